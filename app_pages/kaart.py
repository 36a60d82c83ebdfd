"""Kaart: the sociale basis of a gemeente on one map, over CBS statistics."""

import dataclasses

import streamlit as st
from streamlit_folium import st_folium

from wijkmap import analysis, assets, components, controls, explorer, geometry, mapview, store, ui
from wijkmap.i18n import t


def page() -> None:
    lang = ui.current_language()
    try:
        catalogue = ui.catalogue()
    except store.StoreMissing:
        st.error(t("store_missing", lang))
        return
    state, notes = controls.load_from_url()
    statistics, records = ui.statistics(), ui.records()

    def years_for(indicator: str, gemeente, niveau: str) -> list[int]:
        return ui.years_available(indicator, gemeente, niveau if gemeente else "gemeente")

    state = controls.sidebar(state, ui.gemeenten(), catalogue, years_for, sorted(records["bron"].unique()), lang)
    niveau = state.niveau if state.gemeente else "gemeente"
    coverage = years_for(state.indicator, state.gemeente, state.niveau)
    jaar = state.jaar if state.jaar in coverage else explorer.default_year(coverage)
    if jaar is None:
        st.warning(t("no_figures", lang))
        return
    layer = explorer.area_layer(niveau, jaar)
    areas = ui.lean_areas(layer, state.gemeente, niveau)
    if areas.empty:
        st.warning(t("no_areas", lang))
        return
    choropleth = ui.choropleth(
        layer, state.gemeente, niveau, state.indicator, jaar, state.schema, state.klassen, state.palet, lang
    )

    in_view = records if not state.gemeente else records[records["gemeentecode"] == state.gemeente]
    shown = explorer.visible_records(in_view, state)

    st.title(t("app_title", lang))
    if notes:
        st.warning(t("ignored_parameters", lang) + ", ".join(notes))
    if state.voorbeeld and shown["bron"].eq("voorbeeld").any():
        st.info(t("sample_on_map", lang), icon="⚠️")
    counts = analysis.strategy_counts(shown)
    summary = st.columns(4)
    summary[0].metric(t("shown", lang), len(shown))
    summary[1].metric(t("bonding", lang), counts["bonding"])
    summary[2].metric(t("bridging", lang), counts["bridging"])
    summary[3].metric(t("areas_drawn", lang), len(areas))

    map_column, profile_column = st.columns([2.7, 1.3])
    with map_column:
        clicked = _draw_map(state, choropleth, areas, shown, lang)
    if clicked:
        _select(state, clicked)
    state = _with_map_position(state)
    controls.write_to_url(state)
    with profile_column:
        if state.gebied and state.gebied in set(areas["code"]):
            _profile(state, areas, statistics, catalogue, shown, lang)
        else:
            st.info(t("click_area", lang))
            indicator = catalogue.set_index("indicator").loc[state.indicator].to_dict() | {"indicator": state.indicator}
            spots = explorer.thin_spots_table(choropleth.values, shown, areas, statistics, indicator, jaar, niveau, lang)
            st.markdown(f"**{t('thin_spots', lang)}**", help=t("thin_spots_help", lang))
            if spots is None:
                st.caption(t("no_need_indicator", lang))
            else:
                st.dataframe(spots, hide_index=True, width="stretch")

    st.subheader(t("table_title", lang))
    components.records_table(shown, lang, key="table")
    st.caption(t("share_hint", lang))
    st.code(components.share_url(state), language=None)


def _draw_map(state, choropleth, areas, shown, lang):
    """Draw the map and return the code of a newly clicked area, if any."""
    m = mapview.base_map(choropleth.bounds, mapview.tile_url(), explorer.sources_credit(shown, lang))
    surroundings = ui.surroundings(state.gemeente)
    if surroundings:
        mapview.OutlineLayer(surroundings, mapview.SURROUNDINGS_STYLE).add_to(m)
    mapview.AreaLayer(choropleth.geojson, choropleth.colours, None).add_to(m)
    mapview.Legend(
        choropleth.legend_title, choropleth.legend_subtitle, choropleth.legend_classes, choropleth.missing,
        mapview.category_symbols(state.lagen, lang), choropleth.source,
    ).add_to(m)
    # What changes with filters and clicks goes into a feature group that streamlit-folium
    # swaps in place: the map itself (and its position) stays as it is.
    overlay = assets.OfflineFeatureGroup(name="overlay")
    if state.gebied in set(areas["code"]):
        selected = areas[areas["code"] == state.gebied]
        outline = geometry.lean_geojson(selected, {})
        mapview.OutlineLayer(outline, {"color": "#000", "weight": 4, "fill": False}).add_to(overlay)
    if "professioneel" in state.lagen:
        service = ui.service_areas(shown, state.gemeente)
        if service:
            mapview.OutlineLayer(service, {"color": "#0072B2", "weight": 2, "dashArray": "6 4", "fill": False},
                                 interactive=True).add_to(overlay)
    mapview.RecordLayer(shown, lang).add_to(overlay)
    result = st_folium(
        m,
        key="kaart",
        height=640,
        use_container_width=True,
        feature_group_to_add=overlay,
        center=(state.lat, state.lon) if state.lat is not None and state.lon is not None else None,
        zoom=state.zoom,
        returned_objects=["last_active_drawing", "center", "zoom"],
    )
    st.session_state["_map_result"] = result or {}
    drawing = (result or {}).get("last_active_drawing") or {}
    code = (drawing.get("properties") or {}).get("c")
    if code and code != st.session_state.get("_last_clicked"):
        st.session_state["_last_clicked"] = code
        return code
    return None


def _select(state, code: str) -> None:
    if code.startswith("GM"):
        controls.set_value("gemeente", code)
        for name in ("gebied", "lat", "lon", "zoom"):
            controls.set_value(name, None)
    else:
        controls.set_value("gebied", code)
    controls.write_to_url(dataclasses.replace(state, gemeente=code if code.startswith("GM") else state.gemeente,
                                              gebied=None if code.startswith("GM") else code))
    st.rerun()


def _with_map_position(state):
    result = st.session_state.get("_map_result") or {}
    center, zoom = result.get("center"), result.get("zoom")
    if not center or not zoom:
        return state
    return dataclasses.replace(state, lat=round(center["lat"], 5), lon=round(center["lng"], 5), zoom=int(zoom))


def _profile(state, areas, statistics, catalogue, shown, lang):
    name = areas.loc[areas["code"] == state.gebied, "naam"].iloc[0]
    st.subheader(name)
    st.caption(state.gebied)
    gemeentecode = state.gemeente or state.gebied
    st.dataframe(explorer.area_profile(state.gebied, gemeentecode, statistics, catalogue, lang), hide_index=True)
    here = analysis.records_in_area(shown, state.gebied)
    counts = analysis.strategy_counts(here)
    st.markdown(f"**{t('in_this_area', lang)}: {len(here)}**")
    left, right = st.columns(2)
    left.metric(t("bonding", lang), counts["bonding"])
    right.metric(t("bridging", lang), counts["bridging"])
    components.records_table(here, lang, key="profile", downloads=False)


page()
