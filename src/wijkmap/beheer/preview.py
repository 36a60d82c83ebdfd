"""The preview of a register file before it is imported: its records on the Kaart
page's map (the same builder, explorer.map.build, over the default statistic of the
gemeente) and in the same table as there. Nothing here writes."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijkmap import config
from wijkmap.core import indeling
from wijkmap.core.i18n import t
from wijkmap.core.view import ViewState
from wijkmap.explorer import cache as explorer_cache, map as explorer_map
from wijkmap.shell import cache, map_widget, widgets

MAP_KEY = "beheer_preview_map"


def gemeente_choice(records: pd.DataFrame, names: dict[str, str], lang: str, key: str) -> str | None:
    """The gemeente to show, among those of `records`, most records first."""
    codes = [code for code in records["gemeentecode"].value_counts().index if code]
    if not codes:
        return None
    if len(codes) == 1:
        return codes[0]
    if st.session_state.get(key) not in codes:
        st.session_state[key] = codes[0]
    return st.selectbox(t("preview_gemeente", lang), codes, key=key, format_func=lambda c: names.get(c, c))


def preview(records: pd.DataFrame, lang: str) -> None:
    """The records of a file on a map and in a table (records.FIELDS, placed)."""
    st.header(t("preview_title", lang))
    if records.empty:
        st.info(t("preview_none", lang))
        return
    names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    gemeente = gemeente_choice(records, names, lang, key="beheer_preview_gemeente")
    shown = records[records["gemeentecode"] == gemeente] if gemeente else records
    if len(shown) < len(records):  # the counts below are of the whole file
        st.caption(t("preview_elsewhere", lang).format(n=len(records) - len(shown), totaal=len(records)))
    state = ViewState(gemeente=gemeente)
    built = _map(state, shown, lang)
    if built is not None:
        m, overlay = built
        map_widget.draw_map(m, overlay, state, MAP_KEY, height=explorer_map.NORMAL.height - 160)
    widgets.records_table(shown, lang, key="beheer_preview", downloads=False)


def _map(state: ViewState, shown: pd.DataFrame, lang: str):
    """The Kaart page's map of `state` with `shown` as its records (None: no figures or
    areas for this gemeente, so only the table is shown)."""
    niveau = (state.niveau or "buurt") if state.gemeente else "gemeente"
    jaar = indeling.default_year(cache.years_available(state.indicator, state.gemeente, niveau))
    if jaar is None:
        return None
    layer = cache.area_layer(niveau, jaar, state.indicator, state.gemeente)
    if not layer:
        return None
    choropleth = explorer_cache.choropleth(
        layer, state.gemeente, niveau, state.indicator, jaar, state.schema, state.klassen, state.palet, lang
    )
    context = explorer_map.Context(
        areas=explorer_cache.area_geometry(layer, state.gemeente, niveau),
        surroundings=cache.surroundings(state.gemeente),
        tiles=config.tile_url(),
    )
    return explorer_map.build(state, choropleth, shown, context, lang)
