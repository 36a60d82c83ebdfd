"""Kaart's search box and comparison section (Streamlit).

The page calls four functions: `prepare` right after reading the view (a comparison
in the link whose codes the store does not know is dropped and named with the link's
other ignored parts), `search_box` at the top of the sidebar, `compare_button` in the
profile of a selected area, and `section` under the map when the view compares areas.
What is shown comes from council.compare (pure); this module draws it.

A comparison lives in the view (ViewState.vergelijk, 2-4 codes), so a link reopens
it. One area picked to compare and waiting for a second is kept in the session only:
a link of one area is no comparison.
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import format_value, t
from wijkmap.core.view import COMPARE_MAX, COMPARE_MIN, ViewState, level_in_gemeente
from wijkmap.council import cache as council_cache, compare as cmp, map_image
from wijkmap.council.compare_export import FORMATS, export_comparison
from wijkmap.council.map_image import legend_image
from wijkmap.council.search import MAX_QUERY_CHARS, Hit, QueryTooLong
from wijkmap.shell import cache as shell_cache, session, widgets
from wijkmap.shell.text import literal

_PENDING = "_compare_pending"  # codes picked to compare while fewer than COMPARE_MIN
_MESSAGE = "_compare_message"
_PERIOD = "compare_periode"
_PERIOD_SYNCED = "_compare_period_synced"
_SEARCH = "council_search"
SEARCH_HITS = 8


def prepare(state: ViewState) -> ViewState:
    """The view with a comparison the store can answer: unknown codes drop it, named."""
    if not state.vergelijk:
        return state
    try:
        cmp.load_areas(state.vergelijk, council_cache.area_index())
    except ValueError as error:
        session.add_ignored(f"vergelijk={','.join(state.vergelijk)} ({error})")
        return session.change(state, vergelijk=[])
    return state


# --- search --------------------------------------------------------------------------


def search_box(lang: str) -> None:
    """The search field at the top of the sidebar, with its hits: open one on the map, or
    put it in the comparison."""
    with st.sidebar:
        query = st.text_input(
            t("search_label", lang),
            key=_SEARCH,
            max_chars=MAX_QUERY_CHARS,
            placeholder=t("search_placeholder", lang),
            help=t("search_help", lang).format(n=MAX_QUERY_CHARS),
        )
        if not query.strip():
            return
        try:
            hits = council_cache.area_index().find(query, limit=SEARCH_HITS)
        except QueryTooLong:
            st.warning(t("search_too_long", lang).format(n=MAX_QUERY_CHARS))
            return
        if not hits:
            st.caption(t("search_none", lang).format(q=literal(query)))
            return
        for number, hit in enumerate(hits):
            left, right = st.columns([4, 1.3], vertical_alignment="center")
            left.button(
                _hit_label(hit, lang),
                key=f"search_open_{number}_{hit.code}",
                on_click=_open,
                args=(hit,),
                help=t("search_open", lang),
                width="stretch",
            )
            right.button(
                t("search_compare", lang),
                key=f"search_compare_{number}_{hit.code}",
                on_click=_add,
                args=(hit.code,),
                help=t("compare_add_help", lang),
            )
        if any(hit.approximate for hit in hits):
            st.caption(t("search_postcode_note", lang))


def _hit_label(hit: Hit, lang: str) -> str:
    """What a hit's button says: name, level, gemeente (and the postcode or a note)."""
    where = vocab.label("niveau", hit.niveau, lang)
    if hit.niveau != "gemeente" and hit.gemeentenaam:
        where += f", {hit.gemeentenaam}"
    extra = f" · {hit.postcode} ≈" if hit.approximate else ""
    if not hit.kaart:
        extra += f" · {t('search_not_on_map', lang)}"
    # Button labels are Markdown: the names are shown literally.
    return literal(f"{hit.naam} ({where}){extra}")


def _open(hit: Hit) -> None:
    """Show the hit on the map: a gemeente opens it; a buurt or wijk opens its gemeente
    at its level, selected."""
    current = session.current_view() or ViewState()
    if hit.niveau == "gemeente":
        view = dataclasses.replace(current, gemeente=hit.code, gebied=None)
    else:
        # A buurt without boundaries in the store (2024) cannot be selected: its gemeente opens.
        gebied = hit.code if hit.kaart else None
        view = dataclasses.replace(
            current, gemeente=hit.gemeentecode, niveau=level_in_gemeente(hit.niveau), gebied=gebied
        )
    session.show_view(dataclasses.replace(view, lat=None, lon=None, zoom=None))


# --- adding and removing areas ------------------------------------------------------------


def compare_button(code: str, lang: str, key: str = "profile_compare") -> None:
    """A "Vergelijk" button that puts the area `code` in the comparison."""
    st.button(t("compare_add", lang), key=key, on_click=_add, args=(code,), help=t("compare_add_help", lang))


def _add(code: str) -> None:
    current = session.current_view() or ViewState()
    chosen = list(current.vergelijk) or list(st.session_state.get(_PENDING, []))
    if code in chosen:
        return
    if len(chosen) >= COMPARE_MAX:
        st.session_state[_MESSAGE] = ("compare_full", {"n": COMPARE_MAX})
        return
    chosen.append(code)
    if len(chosen) >= COMPARE_MIN:
        st.session_state.pop(_PENDING, None)
        session.change(current, vergelijk=chosen)
    else:
        st.session_state[_PENDING] = chosen


def _remove(code: str) -> None:
    current = session.current_view() or ViewState()
    chosen = [c for c in (current.vergelijk or st.session_state.get(_PENDING, [])) if c != code]
    if len(chosen) >= COMPARE_MIN:
        session.change(current, vergelijk=chosen)
    else:
        st.session_state[_PENDING] = chosen
        session.change(current, vergelijk=[])


def _clear() -> None:
    st.session_state.pop(_PENDING, None)
    session.change(session.current_view() or ViewState(), vergelijk=[])


# --- the section -------------------------------------------------------------------------


def section(state: ViewState, lang: str) -> None:
    """The comparison under the map: a column per area (its name as heading, a small map),
    the figures beside the gemeenten and the country, provisions, the matrix, the change
    in a period, and the downloads. With one area picked: which, and what to do next."""
    message = st.session_state.pop(_MESSAGE, None)
    if message:
        key, values = message
        st.warning(t(key, lang).format(**values))
    if not state.vergelijk:
        _pending(lang)
        return
    periode = _period(state, lang)
    comparison = council_cache.comparison(state, periode, lang)
    st.header(t("compare_title", lang), anchor="vergelijking")
    if comparison.jaar is None:
        st.info(t("compare_no_year", lang))
    _headings(state, comparison, lang)
    table = cmp.comparison_table(comparison, lang)
    if comparison.sample:
        st.info(t("compare_sample", lang), icon="⚠️")
    section_column = table.columns[0]
    change_section = t("cmp_change", lang).format(van=periode[0], tot=periode[1])
    for name in dict.fromkeys(table[section_column]):
        part = table[table[section_column] == name]
        st.markdown(f"**{literal(name)}**", help=_section_help(name, lang))
        if name == change_section:
            period_slider(lang)
        if name == t("cmp_figures", lang) and comparison.jaar:
            st.caption(t("compare_intro", lang).format(jaar=comparison.jaar))
        st.dataframe(_readable(part, len(comparison.areas), lang), hide_index=True, width="stretch", height="content")
    if comparison.unknown:
        names = ", ".join(area.naam for area in comparison.areas if area.code in comparison.unknown)
        st.caption(t("compare_unknown", lang).format(gebieden=literal(names)))
    if comparison.unplaced:
        names = ", ".join(area.naam for area in comparison.areas if area.code in comparison.unplaced)
        st.caption(t("compare_unplaced", lang).format(gebieden=literal(names)))
    st.caption(f"{t('cmp_sources', lang)}: " + literal(" · ".join(comparison.sources)))
    _downloads(comparison, lang)


def _pending(lang: str) -> None:
    pending = st.session_state.get(_PENDING, [])
    if not pending:
        return
    index = council_cache.area_index()
    names = ", ".join(hit.naam for hit in (index.get(code) for code in pending) if hit)
    left, right = st.columns([4, 1])
    left.info(t("compare_pending", lang).format(namen=literal(names)))
    right.button(t("compare_clear", lang), key="compare_clear_pending", on_click=_clear)


def _headings(state: ViewState, comparison: cmp.Comparison, lang: str) -> None:
    """One column per area: its name as heading, where it is, its small map, a way out."""
    catalogue = shell_cache.catalogue().set_index("indicator")
    indicator = state.indicator if state.indicator in catalogue.index else None
    images = None
    if indicator and comparison.jaar:
        unit = catalogue.at[indicator, "eenheid"]
        images = council_cache.small_maps(comparison.codes, indicator, comparison.jaar, unit, state, lang)
    columns = st.columns(len(comparison.areas))
    for column, area in zip(columns, comparison.areas):
        with column:
            st.subheader(literal(area.naam), anchor=False)
            where = vocab.label("niveau", area.niveau, lang)
            if area.niveau != "gemeente":
                where += f" · {area.gemeentenaam}"
            st.caption(f"{area.code} · {literal(where)}")
            if images and area.code in images.images:
                st.image(images.images[area.code], width=map_image.IMAGE_PIXELS)
            else:
                st.caption(t("compare_no_map", lang))
            st.button(t("compare_remove", lang), key=f"compare_remove_{area.code}", on_click=_remove, args=(area.code,))
    if images and images.images:
        label = catalogue.at[indicator, "label_en" if lang == "en" else "label_nl"]
        st.caption(t("compare_map_caption", lang).format(indicator=literal(label), jaar=comparison.jaar))
        st.image(legend_image(images.legend, missing=t("missing_value", lang)), width=560)
    st.button(t("compare_clear", lang), key="compare_clear", on_click=_clear)


def _section_help(name: str, lang: str) -> str | None:
    return t("cmp_matrix_help", lang) if name == t("cmp_matrix", lang) else None


def _readable(part: pd.DataFrame, n_areas: int, lang: str) -> pd.DataFrame:
    """A section of the comparison table as people read it: figures formatted for their
    unit, "–" where there is none; the section and unit columns left out."""
    section, subject, unit, year = part.columns[:4]
    # Every area keeps its column ("–" where nothing is known); a reference only where it has a figure.
    areas, references = list(part.columns[4 : 4 + n_areas]), list(part.columns[4 + n_areas :])
    values = areas + [c for c in references if part[c].notna().any()]
    shown = pd.DataFrame({subject: part[subject].to_numpy(), year: part[year].astype(str).to_numpy()})
    for column in values:
        shown[column] = [
            format_value(value, eenheid, lang) if pd.notna(value) else "–"
            for value, eenheid in zip(part[column], part[unit])
        ]
    return shown


def _period(state: ViewState, lang: str) -> tuple[int, int]:
    """The period of the change part: the view's (van, tot, as on Verandering), chosen here."""
    choice = council_cache.period_choice()
    wanted = choice.resolve(state.van, state.tot)
    marker = ((state.van, state.tot), choice)
    if st.session_state.get(_PERIOD_SYNCED) != marker or _PERIOD not in st.session_state:
        st.session_state[_PERIOD] = wanted
        st.session_state[_PERIOD_SYNCED] = marker
    a, b = st.session_state[_PERIOD]
    return int(a), int(b)


def period_slider(lang: str) -> None:
    """The slider of the change part's period (its value is read by _period)."""
    choice = council_cache.period_choice()
    st.slider(t("compare_period", lang), choice.lo, choice.hi, step=1, key=_PERIOD, on_change=_period_changed)


def _period_changed() -> None:
    choice = council_cache.period_choice()
    a, b = st.session_state[_PERIOD]
    van = None if a == choice.default[0] else int(a)
    tot = None if b == choice.default[1] else int(b)
    state = session.change(session.current_view() or ViewState(), van=van, tot=tot)
    st.session_state[_PERIOD_SYNCED] = ((state.van, state.tot), choice)


def _downloads(comparison: cmp.Comparison, lang: str) -> None:
    stem = "wijkmap-vergelijking-" + "-".join(comparison.codes)
    # Made when clicked; the GeoPackage with the areas' boundaries.
    widgets.format_downloads(
        lambda fmt: export_comparison(comparison, fmt, lang, council_cache.shapes(comparison.areas)),
        FORMATS,
        "compare_download",
        lang,
        "compare",
        stem,
        (1, 1, 1.2, 2),
    )
