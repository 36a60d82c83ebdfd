"""The map widget every page uses: streamlit-folium's st_folium, with the view's map
position and a clicked area read back from what the map reports."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import streamlit as st

from wijkmap.core.view import ViewState
from wijkmap.map.assets import static_text
from wijkmap.shell import session

# What each map last reported showing (st_folium's bounds), by map key.
_SHOWN_BOUNDS = "_map_shown_bounds"
# Whether a run of this session has asked first_report_pending.
_FIRST_REPORT_ASKED = "_map_first_report_asked"


def clicked_area(result: dict | None, map_key: str) -> str | None:
    """The code of an area newly clicked on the map `map_key` (st_folium's `result`).

    streamlit-folium keeps reporting the last clicked shape on every run; a click counts
    once, so that changing the selection elsewhere is not undone by an old click."""
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("c")
    remembered = _clicked_key(map_key)
    if code and code != st.session_state.get(remembered):
        st.session_state[remembered] = code
        return code
    return None


def _clicked_key(map_key: str) -> str:
    return f"_map_clicked_{map_key}"


def show_clicked_area(result: dict | None, map_key: str, view_of: Callable[[str], ViewState]) -> None:
    """A click on an area of the map `map_key` (st_folium's `result`) shows the view
    `view_of(code)` that the page makes of it, and runs the page again.

    The map is drawn after the widgets, which cannot change any more in this run: the view
    goes the way every view asked for from outside goes (session.show_view), and the next
    run sets every widget from it, as for a link or a draaiboek step."""
    code = clicked_area(result, map_key)
    if code:
        session.show_view(view_of(code))
        st.rerun()


def first_report_pending(result: dict | None) -> bool:
    """Whether the page can stop below the map for now: on a session's first run, while
    the browser is still loading the map that returned `result` (st_folium's).

    The browser draws the map's frame on the same thread as the rest of the page, so all
    that a run sends after the map (a ranking, a table: on Utrecht's page 0.7 s of
    rendering) delays the map. streamlit-folium reports the map's position as soon as it
    has loaded, and that report runs the page again, whole. Only once per session: a new
    map later (another gemeente) would otherwise take the rest of the page away while it
    loads, with what was typed there; and a map that never reports (a script that failed)
    holds back no more than the first run. A run without a browser (Streamlit's AppTest)
    has no map that could report: it is never pending."""
    if st.session_state.get(_FIRST_REPORT_ASKED):
        return False
    st.session_state[_FIRST_REPORT_ASKED] = True
    reported = bool((result or {}).get("center"))
    return not reported and bool(st.context.headers)


def leaving_watch() -> str:
    """A script for the app's page (st.html) that notes a click on a link to another of
    its pages until that page has run: a map's report sent in between would bring the
    person back (map/static/page-leaving.js, read by wijkmap-map.js)."""
    return f"<script>{static_text('page-leaving.js')}</script>"


def with_map_position(state: ViewState, result: dict | None, map_key: str) -> ViewState:
    """The state with the position the map `map_key` reports (st_folium's `result`).

    When the state asks for a position the map did not report itself (a link, a
    draaiboek step, a map drawn anew), the map's first answer can still be the position
    from before, or the fitted view of a new map (streamlit-folium reports that before it
    moves to the position asked), or the asked position seen through a frame of another
    size: that answer is skipped once, so the asked position wins. Taking it would hand
    the map a new position, which it answers again: the Verandering page moved its map
    back and forth for ever that way. After that, the map's own reports are taken."""
    remembered = _reported_key(map_key)
    if (result or {}).get("bounds"):
        st.session_state.setdefault(_SHOWN_BOUNDS, {})[map_key] = result["bounds"]
    center, zoom = (result or {}).get("center"), (result or {}).get("zoom")
    if not center or not zoom:  # a map drawn anew: it has reported nothing yet
        st.session_state.pop(remembered, None)
        return state
    reported = (round(center["lat"], 5), round(center["lng"], 5), round(float(zoom), 2))  # quarter zoom levels
    asked = (state.lat, state.lon, state.zoom)
    if None not in asked and _same_place(asked, reported):
        # Leaflet rounds to whole pixels: a report a pixel off is no move, and not
        # written (each new address is a step back for the browser's back button).
        st.session_state[remembered] = asked
        return state
    if None not in asked and asked != st.session_state.get(remembered):
        st.session_state[remembered] = asked
        return state
    st.session_state[remembered] = reported
    lat, lon, zoom = reported
    return dataclasses.replace(state, lat=lat, lon=lon, zoom=zoom)


def draw_map(
    m, overlay, state: ViewState, map_key: str, height: int, also_returned: tuple[str, ...] = ()
) -> dict | None:
    """Draw the folium map `m` with streamlit-folium, `overlay` swapped in place (the map
    keeps its position when only the overlay changes); return what it reports, for
    clicked_area and with_map_position with the same `map_key`. `also_returned`: more of
    what st_folium can report (each change reruns the page), e.g. "last_clicked"."""
    # Imported here, inside a script run, not with this module: Streamlit registers a
    # component only when it is declared in a run, and wijkmap.server imports the pages
    # outside any (declared there, the map's frame would stay empty).
    import streamlit_folium

    center, zoom = _map_view_args(state, map_key)
    # Looked up on the module, so bench/benchmark_map.py can time it.
    return streamlit_folium.st_folium(
        m,
        key=map_key,
        height=height,
        use_container_width=True,
        feature_group_to_add=overlay,
        center=center,
        zoom=zoom,
        returned_objects=["last_active_drawing", "center", "zoom", "bounds", *also_returned],
    )


def shown_bounds(map_key: str) -> Callable[[], list[list[float]] | None]:
    """A function that tells what the map `map_key` showed when it is called, as
    [[south, west], [north, east]] (None before the map reported): a hand-out made when
    its button is clicked fits it to its own page. The map reports after the page built
    the button, and the download runs outside the page's run, so the function reads a
    dict that this session's runs keep up to date."""
    held = st.session_state.setdefault(_SHOWN_BOUNDS, {})

    def read() -> list[list[float]] | None:
        bounds = held.get(map_key) or {}
        south_west, north_east = bounds.get("_southWest"), bounds.get("_northEast")
        if not south_west or not north_east:
            return None
        return [[south_west["lat"], south_west["lng"]], [north_east["lat"], north_east["lng"]]]

    return read


def _map_view_args(state: ViewState, map_key: str) -> tuple[tuple[float, float] | None, float | None]:
    """The centre and zoom to hand st_folium for the map `map_key`.

    A position asked from outside the map (a link, a draaiboek step) is handed on, and
    streamlit-folium moves the map there. A position the map reported itself is not: it
    keeps what it was handed before. Handed back, streamlit-folium moves the map to it
    once more, and right after a zoom the map could answer with the position from before
    it, which the next run handed back again: the map jumped between two zoom levels
    for ever."""
    given = f"_map_given_{map_key}"
    position = (state.lat, state.lon, state.zoom)
    if None in position:
        args = (None, None)
    elif position == st.session_state.get(_reported_key(map_key)) and given in st.session_state:
        args = st.session_state[given]
    else:
        args = ((state.lat, state.lon), state.zoom)
    st.session_state[given] = args
    return args


def _reported_key(map_key: str) -> str:
    """Where the last position the map `map_key` reported (or was held to) is kept."""
    return f"_map_reported_{map_key}"


def _same_place(a: tuple[float, float, float], b: tuple[float, float, float]) -> bool:
    """Whether two map positions (lat, lon, zoom) differ by less than a pixel."""
    pixel = 360 / (256 * 2 ** a[2])  # degrees of longitude per pixel at this zoom
    return a[2] == b[2] and abs(a[0] - b[0]) < pixel and abs(a[1] - b[1]) < pixel
