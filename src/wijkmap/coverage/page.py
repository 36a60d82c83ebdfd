"""Gegevens: what wijkmap holds for a gemeente (or the country) and what it lacks, in
the user's language: figures per level and year, boundaries, provisions per source with
their dates and licences, and where a technical reader finds the provenance."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.core.i18n import t, unit_label
from wijkmap.coverage import model
from wijkmap.data import store
from wijkmap.shell import cache, session

_CHOICE = "gegevens_gemeente"


@st.cache_data(show_spinner=False, max_entries=4)
def _area_names(version) -> dict[str, pd.DataFrame]:
    layers = [layer for layer in store.area_layers() if indeling.layer_parts(layer)]
    return {layer: store.read_area_names(layer) for layer in layers}


@st.cache_data(show_spinner=False, max_entries=64)
def _coverage(version, gemeente: str | None, today: str) -> model.Coverage:
    """Per gemeente once per store version: finding its figures scans every code (~0.7 s)."""
    return model.coverage(cache.statistics(), _area_names(version), cache.records(), gemeente, today=today)


def page() -> None:
    lang = session.current_language()
    st.title(t("page_data", lang))
    st.write(t("cov_intro", lang))
    gemeenten = cache.gemeenten()
    names = dict(zip(gemeenten["code"], gemeenten["naam"]))
    if _CHOICE not in st.session_state:  # from a link (?gemeente=), or from the map: the gemeente looked at there
        view = session.current_view()
        linked = str(st.query_params.get("gemeente", "")).upper()
        from_map = view.gemeente if view else None
        st.session_state[_CHOICE] = next((code for code in (linked, from_map) if code in names), "")
    chosen = st.selectbox(
        t("cov_choose", lang),
        ["", *names],
        format_func=lambda code: f"{names[code]} ({code})" if code else t("all_gemeenten", lang),
        key=_CHOICE,
    )
    gemeente = chosen or None
    place = names.get(chosen) or t("netherlands", lang)
    found = _coverage(cache.store_version(), gemeente, date.today().isoformat())
    st.header(t("cov_heading", lang).format(plaats=place))
    _figures(found, cache.catalogue(), lang)
    _boundaries(found, lang)
    _provisions(found, place, lang)
    _indicators(cache.catalogue(), lang)
    st.subheader(t("cov_sources", lang))
    st.markdown(t("cov_sources_text", lang))
    st.caption(t("cov_provenance", lang))


def _level(niveau: str, lang: str) -> str:
    return vocab.label("niveau", niveau, lang)


def _years(items) -> str:
    return ", ".join(str(item.jaar) for item in sorted(items, key=lambda item: item.jaar))


def _figures(found: model.Coverage, catalogue: pd.DataFrame, lang: str) -> None:
    st.subheader(t("cov_figures", lang))
    labels = dict(zip(catalogue["indicator"], catalogue["label_en" if lang == "en" else "label_nl"]))
    lines = []
    for niveau in model.LEVEL_ORDER:
        items = [item for item in found.figures if item.niveau == niveau]
        if items:
            lines.append("- " + t("cov_figures_line", lang).format(niveau=_level(niveau, lang), jaren=_years(items)))
        else:
            lines.append("- " + t("cov_no_figures", lang).format(niveau=_level(niveau, lang).lower()))
    st.markdown("\n".join(lines))
    if found.figures:
        # Which figure exists where: one row per indicator, one column per level and year,
        # the number of areas with a value in each cell.
        columns = {f"{_level(item.niveau, lang)} {item.jaar}": dict(item.areas_per_indicator) for item in found.figures}
        codes = [code for code in catalogue["indicator"] if any(code in cells for cells in columns.values())]
        codes += sorted({code for cells in columns.values() for code in cells} - set(codes))
        table = {t("cov_col_indicator", lang): [labels.get(code, code) for code in codes]}
        for title, cells in columns.items():
            table[title] = [str(cells[code]) if code in cells else "" for code in codes]
        st.caption(t("cov_figures_matrix", lang))
        # Every row in view: the point of the table is to see at a glance what is missing.
        st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch", height=35 * (len(codes) + 1) + 3)


def _boundaries(found: model.Coverage, lang: str) -> None:
    st.subheader(t("cov_boundaries", lang))
    if found.boundaries:
        st.dataframe(
            pd.DataFrame(
                {
                    t("cov_col_level", lang): [_level(item.niveau, lang) for item in found.boundaries],
                    t("cov_col_year", lang): [str(item.jaar) for item in found.boundaries],
                    t("cov_col_areas", lang): [item.areas for item in found.boundaries],
                }
            ),
            hide_index=True,
        )
    drawn = {(item.niveau, item.jaar) for item in found.boundaries}
    without = []
    for niveau in model.LEVEL_ORDER:
        items = [item for item in found.figures if item.niveau == niveau and (niveau, item.jaar) not in drawn]
        if items:
            without.append(f"{_level(niveau, lang).lower()} {_years(items)}")
    if without:
        st.caption(t("cov_boundaries_missing", lang).format(lijst="; ".join(without)))


def _provisions(found: model.Coverage, place: str, lang: str) -> None:
    st.subheader(t("cov_provisions", lang))
    if not found.sources:
        st.info(t("cov_no_provisions", lang).format(plaats=place))
    elif not found.real_sources:
        st.info(t("cov_only_sample", lang).format(plaats=place))
    if found.sources:
        st.dataframe(
            pd.DataFrame(
                {
                    t("cov_col_source", lang): [_source_name(item, lang) for item in found.sources],
                    t("cov_col_count", lang): [item.count for item in found.sources],
                    t("cov_col_open", lang): [item.open_now for item in found.sources],
                    t("cov_col_dates", lang): [model.date_span(item) for item in found.sources],
                    t("cov_col_terms", lang): [item.terms for item in found.sources],
                }
            ),
            hide_index=True,
            width="stretch",
        )
    if not found.real_sources:
        if found.sources:
            st.markdown(t("ways_in", lang))
        else:
            st.markdown(t("cov_ways_in", lang) + "\n\n" + t("ways_in", lang))


def _source_name(source: model.ProvisionSource, lang: str) -> str:
    if source.sample:
        return t("cov_sample_source", lang)
    if source.bron == vocab.CONTRIBUTION_BRON:
        return t("cov_contributions_source", lang)
    return source.bron


def _indicators(catalogue: pd.DataFrame, lang: str) -> None:
    st.subheader(t("cov_indicators", lang))
    listed = catalogue[catalogue["jaren"].fillna("") != ""]
    table = {
        t("cov_col_indicator", lang): listed["label_en" if lang == "en" else "label_nl"],
        t("cov_col_unit", lang): [unit_label(unit, lang) for unit in listed["eenheid"]],
        t("cov_col_years", lang): [years.replace(";", ", ") for years in listed["jaren"]],
        t("cov_col_source", lang): listed["bron"],
    }
    if lang != "en":  # the notes are written in Dutch only
        table[t("cov_col_note", lang)] = listed["toelichting_nl"]
    st.dataframe(pd.DataFrame(table), hide_index=True, width="stretch")
    st.caption(t("cov_notes_in_dutch", lang))
