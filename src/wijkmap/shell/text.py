"""Text as the pages show it: user, data or URL text for Streamlit's Markdown exactly as
written, and the app's own time stamps as a person reads them."""

from __future__ import annotations

import datetime as dt
import re
import zoneinfo

from wijkmap.core.records import date_text

# Every ASCII punctuation character: CommonMark lets each be escaped with a backslash, and
# between them they start every Markdown construct, every HTML tag and entity, and
# Streamlit's own directives (:red[…], $…$).
_MARKDOWN_SPECIAL = re.compile(r"""([!"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])""")
# What escaping cannot stop: Streamlit finds web addresses (http://, www.), e-mail
# addresses and :emoji: shortcodes in the text itself, after the escapes are gone. An
# invisible word joiner right after "www", "@" and a ":" with text after it breaks those.
_FOUND_IN_TEXT = re.compile(r"(:(?=\S)|www|@)", re.IGNORECASE)
WORD_JOINER = "\u2060"


def literal(text) -> str:
    """User or URL text for anything Streamlit renders as Markdown (st.markdown, st.warning,
    st.info, st.error, captions, subheaders, help texts): shown exactly as written, never
    as a link, an image, formatting or HTML. Line breaks become spaces, so the text stays
    inside the sentence or list item it is put in."""
    # Stripped too: spaces at the start of a line make a code block.
    text = re.sub(r"\s*[\r\n]+\s*", " ", "" if text is None else str(text)).strip()
    text = _FOUND_IN_TEXT.sub(r"\1" + WORD_JOINER, text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


# The store stamps times in UTC; the people reading them live in this zone.
LOCAL_TIME = zoneinfo.ZoneInfo("Europe/Amsterdam")


def local_time(stamp, lang: str) -> str:
    """A stored ISO 8601 time as a person reads it: '2 dec 2026 05:13', Dutch time. Text
    that is no such time is returned as it is."""
    try:
        moment = dt.datetime.fromisoformat(str(stamp)).astimezone(LOCAL_TIME)
    except ValueError:
        return "" if stamp is None else str(stamp)
    return f"{date_text(moment.date().isoformat(), lang)} {moment:%H:%M}"
