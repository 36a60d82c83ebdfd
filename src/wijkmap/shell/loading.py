"""What a page shows while it loads, instead of blank white: a session's first run
reads the data (seconds on a fresh server), and a map's frame stays empty until its
libraries have loaded and it has drawn (seconds again, on every new page load)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from contextlib import contextmanager

import streamlit as st

from wijkmap.core.i18n import t

_SHOWN = "_loading_shown"
# The map's place while its frame is still small: the lowest map of the app (Beheer's
# preview) is 480 px; streamlit-folium sizes its frame only once loaded.
PLACEHOLDER_HEIGHT = 480

# A status box over the page, not in its flow: the page drawing beneath it does not jump
# when it goes. No motion for those who ask their system for less.
_STYLE = """<style>
.wm-loading { position: fixed; top: 45%; left: 50%; transform: translate(-50%, -50%); z-index: 1000;
  border-radius: 6px; background: #eef0f2; padding: 18px 28px; box-shadow: 0 1px 6px rgba(0,0,0,0.25);
  color: #31333f; font-size: 1.1rem; }
.wm-loading span::after { content: ""; display: inline-block; width: 0.9em; height: 0.9em; margin-left: 0.6em;
  border: 3px solid #6b6a69; border-right-color: transparent; border-radius: 50%; vertical-align: -0.1em;
  animation: wm-turn 0.9s linear infinite; }
@keyframes wm-turn { to { transform: rotate(360deg); } }
@media (prefers-reduced-motion: reduce) { .wm-loading span::after { animation: none; } }
</style>"""


@contextmanager
def first_run(lang: str) -> Iterator[None]:
    """Show the loading stand-in while the body runs, on a session's first run only;
    gone once the page has drawn (or failed)."""
    # An empty element on every run, so the page's elements keep their places from the
    # first run on (a map moved to another place would be drawn anew).
    stand_in = st.empty()
    if st.session_state.get(_SHOWN):
        yield
        return
    stand_in.html(f'{_STYLE}<div class="wm-loading" role="status"><span>{html.escape(t("loading", lang))}</span></div>')
    try:
        yield
    finally:
        st.session_state[_SHOWN] = True
        stand_in.empty()


def map_placeholder_style(lang: str) -> str:
    """A style that says, in the map's place, that the map is loading: the text sits
    behind streamlit-folium's frame, which hides it once the map has drawn on its opaque
    background (wijkmap-map.css)."""
    holder = "[data-testid='stElementContainer']:has(> div > iframe[title='streamlit_folium.st_folium']) > div"
    return (
        f"<style>{holder} {{ position: relative; min-height: {PLACEHOLDER_HEIGHT}px; }}"
        f" {holder}::before {{ content: {json.dumps(t('map_loading', lang), ensure_ascii=False)}; position: absolute;"
        " inset: 0; display: flex; align-items: center; justify-content: center; background: #eef0f2;"
        " color: #31333f; font-size: 1.1rem; border-radius: 4px; }"
        " iframe[title='streamlit_folium.st_folium'] { position: relative; display: block; }</style>"
    )


# How long the rest of a page waits for its map's first report at most: the report comes
# from the map's own script (wijkmap-map.js), and a map whose script did not load (blocked,
# a broken deploy) never sends it.
REST_FOLLOWS_WAIT_S = 5
_REST_TIMER = "_rest_follows_timer_started"


def rest_follows(lang: str) -> None:
    """Say, where the parts beside and below the map will be, that they follow the map
    (map_widget.first_report_pending); run the page again, whole, if the map has not
    reported within REST_FOLLOWS_WAIT_S."""
    st.html(f'<p class="wm-rest-follows" role="status">{html.escape(t("rest_follows", lang))}</p>')
    _rest_anyway()


@st.fragment(run_every=REST_FOLLOWS_WAIT_S)
def _rest_anyway() -> None:
    # Its first run is within the page's; the browser runs it again after the wait, unless
    # the map's report has run the page whole (and this fragment is no longer on it).
    if st.session_state.get(_REST_TIMER):
        st.rerun()
    st.session_state[_REST_TIMER] = True
