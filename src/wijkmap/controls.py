"""The map explorer's controls: widgets that read and write the ViewState.

A link is where a view starts: on the first run of a session the widgets are set from the
URL, and after every run the URL is rewritten from them, so the address bar always holds
a link that restores this view.

Within a session the widgets are the truth, not the address a rerun carries. That address
can be stale (the browser sends the one it had when it asked, which may predate the last
write: a click right after the map reported its position would be undone) or stripped
(Streamlit drops the query on a switch to another page, which would reset the view). The
widgets follow the URL again only when asked to (show_view: a draaiboek step) and when
the person goes back or forward in the browser's history. The browser can also send the
widgets' own values from before a shown view; for a few seconds those are put right.
"""

from __future__ import annotations

import dataclasses
import time
from datetime import date

import pandas as pd
import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx
import streamlit_folium

from wijkmap import explorer, state as view_state, vocabulary as vocab
from wijkmap.i18n import t
from wijkmap.records import is_sample
from wijkmap.state import ViewState

_PREFIX = "view_"
_VIEW = "view"
_FOLLOW_URL = "_view_follow_url"
_PAGE = "_view_page"  # the page whose widgets were set last from the view
_SHOWN = "_view_shown"  # (view before, view shown, when): see _undo_stale_widgets
_IGNORED = "_view_ignored"  # see ignored_parameters
_STALE_SECONDS = 4


# What a widget shows for a setting that is None in the state.
_WIDGET_NONE = {"gemeente": "", "jaar": 0, "tijdelijk": "", "peiljaar": 0}


def _key(name: str) -> str:
    return _PREFIX + name


def load_from_url() -> tuple[ViewState, list[str]]:
    """The view state, with the problems of the link it was read from (when read from one)."""
    page = getattr(get_script_run_ctx(), "page_script_hash", None)
    switched = st.session_state.get(_PAGE) != page
    st.session_state[_PAGE] = page
    if follows_url():
        st.session_state.pop(_FOLLOW_URL, None)
        state, notes = view_state.from_query(_current_query())
        st.session_state[_VIEW] = state
        st.session_state[_IGNORED] = notes
        _set_widgets(state, overwrite=True)
    else:
        state, notes = st.session_state[_VIEW], []
        if switched:
            st.session_state.pop(_IGNORED, None)
        # Coming from the other page of the view (Kaart, Verandering), its widgets of the
        # same name hold values that do not carry over. Otherwise the widgets hold what
        # the person just did; only those not drawn in the last run lost their state.
        _set_widgets(state, overwrite=switched)
        _undo_stale_widgets()
    return state, notes


def ignored_parameters() -> list[str]:
    """What the link the view was last read from held that was ignored (the notes of
    state.from_query), until the view is read from a link again or the page changes: the
    map's first report reruns the page at once, and the warning must stay to be read."""
    return st.session_state.get(_IGNORED, [])


def follows_url() -> bool:
    """Whether this run takes the view from the URL rather than from the session: the
    session's first run, after show_view, and the browser's back and forward buttons."""
    # Streamlit's page navigation leaves a history entry without a query: going back to it
    # says nothing about the view, so the session's view stays (and is written back).
    return (
        _VIEW not in st.session_state
        or st.session_state.get(_FOLLOW_URL, False)
        or (_history_navigation() and bool(_current_query()))
    )


def current_view() -> ViewState | None:
    """The view of the session's last run (None before the first)."""
    return st.session_state.get(_VIEW)


def write_to_url(state: ViewState) -> None:
    st.session_state[_VIEW] = state
    query = view_state.to_query(state)
    if _current_query() != query:
        st.query_params.from_dict(query)


def show_view(state: ViewState) -> None:
    """Switch to another whole view from a callback (a draaiboek step): the URL is set to
    it, and the next load_from_url sets every widget from the URL, as for a pasted link."""
    st.query_params.from_dict(view_state.to_query(state))
    st.session_state[_FOLLOW_URL] = True
    st.session_state[_SHOWN] = (current_view(), state, time.monotonic())


def _undo_stale_widgets() -> None:
    """Keep a view shown by show_view against a late message of the browser.

    A rerun the browser asked for before it had the shown view (the map reporting its
    position) carries the widgets' values from before it, and Streamlit takes them: a
    step or the way out of presentation mode would be undone. For a few seconds, a
    setting that show_view changed and that is back at its value from before counts as
    such a message, and is set to the shown value again."""
    shown = st.session_state.get(_SHOWN)
    if not shown:
        return
    before, after, when = shown
    if before is None or time.monotonic() - when > _STALE_SECONDS:
        st.session_state.pop(_SHOWN, None)
        return
    old, new = _widget_values(before), _widget_values(after)
    for name, value in new.items():
        if old[name] != value and st.session_state.get(_key(name)) == old[name]:
            st.session_state[_key(name)] = value


def set_language(lang: str) -> None:
    """Switch the interface language (kept in the view, so it survives a page switch)."""
    state = dataclasses.replace(current_view() or view_state.from_query(_current_query())[0], lang=lang)
    st.session_state[_VIEW] = state
    if lang == ViewState().lang:  # as view_state.to_query writes it: the default left out
        st.query_params.pop("lang", None)
    else:
        st.query_params["lang"] = lang
    # Every label changes, so Streamlit sees new widgets: set them all from the view again.
    st.session_state.pop(_PAGE, None)


def set_value(name: str, value) -> None:
    """Change one setting from outside a widget (a click on the map)."""
    st.session_state[_key(name)] = _WIDGET_NONE.get(name) if value is None else value


def change(state: ViewState, **changes) -> ViewState:
    """Change settings from outside their widgets, before those are drawn in this run:
    the view and the widgets both, so the next run keeps them."""
    state = dataclasses.replace(state, **changes)
    st.session_state[_VIEW] = state
    for name, value in changes.items():
        set_value(name, value)
    return state


def clicked_area(result: dict | None, map_key: str) -> str | None:
    """The code of an area newly clicked on the map `map_key` (st_folium's `result`).

    streamlit-folium keeps reporting the last clicked shape on every run; a click counts
    once, so that changing the selection elsewhere is not undone by an old click."""
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("c")
    remembered = f"_map_clicked_{map_key}"
    if code and code != st.session_state.get(remembered):
        st.session_state[remembered] = code
        return code
    return None


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


def draw_map(m, overlay, state: ViewState, map_key: str, height: int) -> dict | None:
    """Draw the folium map `m` with streamlit-folium, `overlay` swapped in place (the map
    keeps its position when only the overlay changes); return what it reports, for
    clicked_area and with_map_position with the same `map_key`."""
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
        returned_objects=["last_active_drawing", "center", "zoom"],
    )


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


def _current_query() -> dict[str, str]:
    return {key: st.query_params[key] for key in st.query_params}


def _history_navigation() -> bool:
    """Whether this run answers the browser's back or forward button."""
    context = get_script_run_ctx()
    return bool(getattr(context, "is_history_navigation", False))


def _widget_values(state: ViewState) -> dict:
    """What each setting's widget shows for `state`."""
    values = {}
    for item in dataclasses.fields(ViewState):
        value = getattr(state, item.name)
        values[item.name] = _WIDGET_NONE.get(item.name) if value is None else value
    return values


def _set_widgets(state: ViewState, overwrite: bool) -> None:
    for name, value in _widget_values(state).items():
        if overwrite:
            st.session_state[_key(name)] = value
        else:
            st.session_state.setdefault(_key(name), value)


def sidebar(
    state: ViewState,
    gemeenten: pd.DataFrame,
    catalogue: pd.DataFrame,
    years_for,
    bronnen: list[str],
    lang: str,
) -> ViewState:
    """Draw the sidebar and return the state it describes.

    `years_for(indicator, gemeente, niveau)` gives the years an indicator has values
    for in that view (with their coverage), so the year list follows the indicator
    just chosen."""
    names = dict(zip(gemeenten["code"], gemeenten["naam"]))
    # Streamlit shows a None value as 'no choice made', so "" and 0 stand for 'all' and 'newest'.
    options = ["", *sorted(names, key=lambda code: (names[code], code))]
    values: dict = {}
    with st.sidebar:
        values["gemeente"] = st.selectbox(
            t("choose_gemeente", lang),
            options,
            format_func=lambda code: f"{names[code]} ({code})" if code else t("all_gemeenten", lang),
            key=_key("gemeente"),
            help=t("choose_gemeente_help", lang),
        )
        if values["gemeente"]:
            values["niveau"] = st.radio(
                t("level", lang), view_state.LEVELS, format_func=lambda n: vocab.label("niveau", n, lang),
                key=_key("niveau"), horizontal=True,
            )
        indicators = catalogue[catalogue["jaren"].fillna("") != ""]
        labels = dict(zip(indicators["indicator"], indicators["label_en" if lang == "en" else "label_nl"]))
        if st.session_state.get(_key("indicator")) not in labels:
            st.session_state[_key("indicator")] = next(iter(labels))
        values["indicator"] = st.selectbox(
            t("colour_by", lang), list(labels), format_func=labels.get, key=_key("indicator")
        )
        coverage = years_for(values["indicator"], values["gemeente"], values.get("niveau", "buurt"))
        fallback = explorer.default_year(coverage)
        year_options = [0, *coverage]
        if st.session_state.get(_key("jaar")) not in year_options:
            st.session_state[_key("jaar")] = 0
        values["jaar"] = st.selectbox(
            t("year", lang), year_options,
            format_func=lambda y: str(y) if y else t("best_year", lang) + (f" ({fallback})" if fallback else ""),
            key=_key("jaar"),
        )
        with st.expander(t("classification", lang)):
            values["schema"] = st.selectbox(
                t("scheme", lang), view_state.SCHEMES, format_func=lambda s: t(f"scheme_{s}", lang), key=_key("schema")
            )
            values["klassen"] = st.slider(t("classes", lang), 3, 9, key=_key("klassen"))
            values["palet"] = st.selectbox(
                t("palette", lang), view_state.PALETTES, format_func=lambda p: t(f"palette_{p}", lang), key=_key("palet")
            )

        st.markdown(f"**{t('layers', lang)}**")
        values["lagen"] = st.pills(
            t("layers", lang), view_state.LAYERS, selection_mode="multi",
            format_func=lambda c: vocab.label("categorie", c, lang), key=_key("lagen"), label_visibility="collapsed",
        )
        with st.expander(t("filters", lang), expanded=bool(_active_filters(state))):
            values["strategie"] = st.pills(
                t("strategy", lang), ["bonding", "bridging", "beide"], selection_mode="multi",
                format_func=lambda c: vocab.label("strategie", c, lang), key=_key("strategie"),
                help=t("strategy_help", lang),
            )
            values["formaliteit"] = st.pills(
                t("formality", lang), list(vocab.ACTOR_FORMALITIES), selection_mode="multi",
                format_func=lambda c: vocab.label("formaliteit", c, lang), key=_key("formaliteit"),
            )
            values["actortype"] = _multiselect("actortype", t("actortype", lang), lang)
            values["soort"] = _multiselect("soort", t("kind", lang), lang)
            values["doelgroep"] = _multiselect("doelgroep", t("target_groups", lang), lang)
            values["tarief"] = _multiselect("tarief", t("fee", lang), lang)
            values["tijdelijk"] = st.selectbox(
                t("temporary", lang), ["", "ja", "nee"],
                format_func=lambda v: {"": t("all", lang), "ja": t("yes", lang), "nee": t("no", lang)}[v],
                key=_key("tijdelijk"),
            )
            values["peiljaar"] = st.selectbox(
                t("map_year", lang), [0, *range(date.today().year, 1949, -1)],
                format_func=lambda y: str(y) if y else t("now", lang), key=_key("peiljaar"),
                help=t("map_year_help", lang),
            )
            values["voorbeeld"] = st.toggle(t("show_sample", lang), key=_key("voorbeeld"), help=t("show_sample_help", lang))
            real = [b for b in bronnen if not is_sample(b)]
            st.session_state[_key("bron")] = [b for b in st.session_state.get(_key("bron"), []) if b in real]
            values["bron"] = st.multiselect(t("sources", lang), real, key=_key("bron"), placeholder=t("all", lang))
    # Back from the widgets' stand-ins to the state's None.
    for name in ("gemeente", "jaar", "tijdelijk", "peiljaar"):
        values[name] = values[name] or None
    # Another gemeente or level: the old selection and map position no longer apply.
    if values["gemeente"] != state.gemeente or values.get("niveau", state.niveau) != state.niveau:
        values.update(gebied=None)
        set_value("gebied", None)
    if values["gemeente"] != state.gemeente:
        values.update(lat=None, lon=None, zoom=None)
    return dataclasses.replace(state, **values)


def _multiselect(vocabulary: str, label: str, lang: str) -> list[str]:
    codes = list(vocab.VOCABULARIES[vocabulary])
    return st.multiselect(
        label, codes, format_func=lambda c: vocab.label(vocabulary, c, lang), key=_key(vocabulary),
        placeholder=t("all", lang),
    )


def _active_filters(state: ViewState) -> list[str]:
    names = ("strategie", "formaliteit", "actortype", "soort", "doelgroep", "tarief", "tijdelijk", "peiljaar", "bron")
    return [name for name in names if getattr(state, name)] + ([] if state.voorbeeld else ["voorbeeld"])
