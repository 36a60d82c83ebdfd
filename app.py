"""wijkmap: entry point. Sets up the page and the navigation; each page does its own work.
The one place that reports a store that is missing or, on PostgreSQL, cannot be reached."""

from pathlib import Path

import streamlit as st

from wijkmap.core.i18n import LANGUAGES, t
from wijkmap.data.backend import unreachable_errors, use_password_from
from wijkmap.data.store import StoreMissing
from wijkmap.map.assets import ensure_static_assets, serve_under
from wijkmap.shell import loading, map_widget, outage
from wijkmap.shell.session import current_language, set_language

# No page_icon or page icons: Streamlit fetches Material and emoji icons from Google's font servers.
st.set_page_config(page_title="wijkmap", layout="wide")
# Leaflet and its plugins are served from here (static/vendor), never from a CDN.
ensure_static_assets(Path(__file__).parent / "static")
serve_under(st.get_option("server.baseUrlPath"))
# Streamlit's input hints (the character count, "Press Enter to apply") and the labels of
# widgets not yet in use ("Buurt" before a gemeente is chosen) are #acabaa on white, 2.3:1,
# its captions dark text at 60% opacity, 3.9:1; WCAG AA asks 4.5:1 of text to be read.
# A table's row headings may break inside a long word (Eenpersoonshuishoudens), so that
# in a narrow column the values beside them stay in view.
st.html(
    "<style>[data-testid='InputInstructions'], label[data-testid='stWidgetLabel'][disabled]"
    " { color: #6b6a69; } [data-testid='stCaptionContainer'] { color: #6b6a69; opacity: 1; }"
    " [data-testid='stTable'] th[scope='row'] p { overflow-wrap: anywhere; }</style>"
)

lang = current_language()
st.html(loading.map_placeholder_style(lang) + map_widget.leaving_watch(), unsafe_allow_javascript=True)
navigation = st.navigation(
    [
        st.Page("app_pages/kaart.py", title=t("page_map", lang), default=True),
        st.Page("app_pages/verandering.py", title=t("page_change", lang), url_path="verandering"),
        st.Page("app_pages/gegevens.py", title=t("page_data", lang), url_path="gegevens"),
        st.Page("app_pages/voorbeelden.py", title=t("page_examples", lang), url_path="voorbeelden"),
        st.Page("app_pages/bijdragen.py", title=t("page_contribute", lang), url_path="insturen"),
        st.Page("app_pages/moderatie.py", title=t("page_moderation", lang), url_path="moderatie"),
        st.Page("app_pages/beheer.py", title=t("page_beheer", lang), url_path="beheer"),
    ]
)
with st.sidebar:
    # Set each run, so the switch follows the view's language (the back button included).
    st.session_state["lang_choice"] = lang
    st.radio(
        t("language", lang),
        list(LANGUAGES),
        format_func=LANGUAGES.get,
        horizontal=True,
        key="lang_choice",
        on_change=lambda: set_language(st.session_state["lang_choice"]),
    )
# A PostgreSQL store's password may be in .streamlit/secrets.toml ([wijkmap] store_password).
use_password_from(st.secrets if st.secrets.load_if_toml_exists() else {})
try:
    with loading.first_run(lang):
        navigation.run()
except StoreMissing:  # any page: the store was not built (or WIJKMAP_STORE points nowhere)
    st.error(t("store_missing", lang))
except unreachable_errors() as error:  # a PostgreSQL store whose server is down or restarting
    outage.report(error, lang)
