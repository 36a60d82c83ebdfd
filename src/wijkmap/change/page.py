"""Verandering: what disappeared over a period, what came back and in which form, and where."""

import dataclasses

import streamlit as st

from wijkmap import config
from wijkmap.change import (
    cache as change_cache,
    layers as changemap,
    model as change,
    sidebar as change_controls,
    view as change_view,
)
from wijkmap.core import analysis, indeling, vocabulary as vocab
from wijkmap.core.i18n import format_value, t
from wijkmap.core.records import sample_mask, sources_credit
from wijkmap.map import assets, layers as mapview, served
from wijkmap.shell import cache, map_widget, session, widgets
from wijkmap.shell.text import literal


def page() -> None:
    lang = session.current_language()
    catalogue = cache.catalogue()
    state, _ = session.load_from_url()

    def years_for(indicator, gemeente, niveau):
        return cache.years_available(indicator, gemeente, niveau)

    state = change_controls.sidebar(state, cache.gemeenten(), catalogue, years_for, lang)
    niveau = (state.niveau or "buurt") if state.gemeente else "gemeente"
    in_view = change_cache.in_view(state.gemeente, state.voorbeeld)
    a, b = change_cache.cached_period_choice(state.gemeente, state.voorbeeld).resolve(state.van, state.tot)

    joined = change_cache.statuses(a, b)
    joined = joined[joined.index.isin(set(in_view["id"]))]
    scope = change_view.in_scope(joined, state.soortgroep)
    shown = scope[scope["status"].isin(state.statussen)]
    pairs = change_cache.pairs(a, b)
    pairs = pairs[pairs["van"].isin(set(shown.index))]
    records_by_id = change_cache.records_by_id()

    # The areas: net change of provisions (on the layer records carry the codes of), or a
    # statistic compared between two years (on the layer that fits the later year).
    balance = change.balance(joined, niveau, state.soortgroep)
    comparison, compare_years, item, outlines = None, None, None, None
    if state.kleuring == "statistiek":
        coverage = list(cache.years_available(state.indicator, state.gemeente, niveau))
        if len(coverage) >= 2:
            jaar_a = state.vergelijk_van if state.vergelijk_van in coverage else coverage[0]
            jaar_b = state.vergelijk_tot if state.vergelijk_tot in coverage else coverage[-1]
            jaar_a, jaar_b = sorted((jaar_a, jaar_b))
            compare_years = (jaar_a, jaar_b)
            item = catalogue.set_index("indicator").loc[state.indicator].to_dict() | {"indicator": state.indicator}
    if compare_years:
        layer = cache.area_layer(niveau, compare_years[1], state.indicator, state.gemeente)
        other = cache.area_layer(niveau, compare_years[0], state.indicator, state.gemeente)
    else:
        layer = other = _balance_layer(niveau, state.gemeente)
    areas = cache.lean_areas(layer, state.gemeente, niveau) if layer else None
    if areas is None or areas.empty:
        st.warning(t("no_areas", lang))
        return
    names = dict(zip(areas["code"], areas["naam"]))
    if compare_years:
        codes = list(areas["code"])
        if other and other != layer:
            older = cache.areas(other, state.gemeente)
            names = dict(zip(older["code"], older["naam"])) | names
            codes += [c for c in older["code"] if c not in set(codes)]
            if [indeling.layer_year(other), indeling.layer_year(layer)] == list(compare_years):
                outlines = change_cache.boundary_change(other, layer, state.gemeente)
        comparison = change.compare_statistics(
            cache.statistics(), state.indicator, *compare_years, codes, geometry_change=outlines
        )
        colouring = change_view.comparison_colouring(comparison.loc[list(areas["code"])], item, *compare_years, lang)
    else:
        colouring = change_view.balance_colouring(balance, list(areas["code"]), niveau, a, b, lang, state.soortgroep)
    if not state.gemeente:
        names |= dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))

    st.title(t("change_title", lang))
    if session.ignored_parameters():
        st.warning(t("ignored_parameters", lang) + literal(", ".join(session.ignored_parameters())))
    if state.kleuring == "statistiek" and not compare_years:
        st.info(t("compare_one_year", lang))
    for caveat in change_view.caveats(in_view, lang):
        st.warning(caveat, icon="⚠️")
    if state.voorbeeld and sample_mask(in_view).any():
        st.info(t("change_sample_note", lang), icon="⚠️")
    st.markdown(
        f"**{t('change_summary', lang)} {change_view.period_text(a, b)}.** "
        + literal(change.summary(joined, a, b, lang, state.soortgroep, names, balance))
    )

    # The chosen categories only; the map also draws their successors of other categories.
    counted = joined[joined["categorie"].isin(state.soortgroep)] if state.soortgroep else joined
    counts = change_view.status_counts(counted)
    columns = st.columns(len(change.STATUSES))
    for column, status in zip(columns, change.STATUSES):
        column.metric(vocab.label("status", status, lang), counts[status])

    map_column, profile_column = st.columns([3.2, 1])
    with map_column:
        result = _draw_map(state, areas, layer, niveau, colouring, shown, pairs, records_by_id, in_view, a, b, lang)
    map_widget.show_clicked_area(result, "verandering", lambda code: dataclasses.replace(state, gebied=code))
    state = map_widget.with_map_position(state, result, "verandering")
    session.write_to_url(state)
    with profile_column:
        on_map = {code: names[code] for code in areas["code"]}
        widgets.area_picker(
            on_map, state.gebied, lambda code: dataclasses.replace(state, gebied=code), lang, map_key="verandering"
        )
        # On a layer whose codes the records do not carry, they are found by where they lie.
        located = cache.located(layer, state.gemeente)
        _profile(state, names, balance, scope, records_by_id, comparison, compare_years, item, lang, located)

    st.header(t("change_cycle", lang))
    first, last = change_view.chart_years(in_view, a, b, change.this_year())
    yearly = change_cache.yearly(state.gemeente, state.voorbeeld, first, last)
    if yearly.empty:
        st.info(t("change_no_records", lang))
    else:
        for data, spec in change_view.cycle_chart(yearly, a, b, lang, state.soortgroep):
            st.vega_lite_chart(data, spec, width="stretch")
        st.caption(t("change_cycle_caption", lang))

    tabs = st.tabs([t("change_tab_records", lang), t("change_tab_balance", lang), t("change_tab_statistics", lang)])
    with tabs[0]:
        st.dataframe(change_view.status_table(scope, records_by_id, lang), hide_index=True, width="stretch", height=320)
    with tabs[1]:
        st.dataframe(change_view.balance_table(balance, names, lang), hide_index=True, width="stretch", height=320)
    with tabs[2]:
        if comparison is not None:
            st.caption(
                t("compare_rule", lang).format(
                    drempel=f"{change.BOUNDARY_CHANGE:.0%}", mensen=change.BOUNDARY_MIN_PEOPLE
                )
            )
            if outlines is not None:
                st.caption(
                    t("compare_rule_geometry", lang).format(
                        drempel=f"{indeling.GEOMETRY_CHANGE:.0%}", rand=f"{2 * indeling.GEOMETRY_EDGE_M:.0f}"
                    )
                )
            st.dataframe(
                change_view.comparison_table(comparison, names, item, *compare_years, lang),
                hide_index=True,
                width="stretch",
                height=320,
            )
        else:
            st.info(t("compare_hint", lang))
    st.caption(t("share_hint", lang))
    st.code(widgets.share_url(state), language=None, wrap_lines=True)


def _balance_layer(niveau: str, gemeente: str | None) -> str | None:
    """The layer of the level whose codes the gemeente's records carry: of the year of the
    buurten they are placed in; the oldest for the whole country (most gemeenten)."""
    layers = cache.layers(niveau)
    year = cache.placement_year(gemeente)
    placed = indeling.layer_name(niveau, year) if year else None
    return placed if placed in layers else next(iter(layers), None)


def _draw_map(state, areas, layer, niveau, colouring, shown, pairs, records_by_id, in_view, a, b, lang):
    """Draw the change map; return what it reports (position, last click)."""
    west, south, east, north = areas.total_bounds
    m = mapview.base_map(
        [[float(south), float(west)], [float(north), float(east)]],
        config.tile_url(),
        " · ".join(filter(None, [t("attribution", lang), sources_credit(in_view, lang)])),
        legend_width=changemap.LEGEND_WIDTH,
        lang=lang,
    )
    surroundings = cache.surroundings(state.gemeente)
    if surroundings:
        mapview.OutlineLayer(served.reference(surroundings), mapview.SURROUNDINGS_STYLE).add_to(m)
    changemap.ChangeStyles().add_to(m)
    # Served as files: the map's arguments go again with every run (a period, a filter).
    changemap.ChangeAreas(served.reference(change_cache.area_geojson(layer, state.gemeente, niveau))).add_to(m)
    # What the period changes goes into the overlay, swapped in place: the map stays.
    overlay = assets.OfflineFeatureGroup(name="overlay")
    changemap.ChangeAreaColours(colouring.info, colouring.colours, state.gebied).add_to(overlay)
    lines = change_view.lines(pairs, shown, records_by_id, lang) if state.opvolging else []
    if lines:
        changemap.SuccessionLayer(lines).add_to(overlay)
    changemap.StatusLayer(
        change_view.markers(shown, pairs, records_by_id, lang), change_view.relation_labels(a, b, lang), lang
    ).add_to(overlay)
    counts = change_view.status_counts(shown)
    line_keys = []
    if state.opvolging:
        line_keys = [(t("change_line_successor", lang), False), (t("change_line_move", lang), True)]
    changemap.ChangeLegend(
        colouring.title,
        colouring.subtitle,
        colouring.classes,
        colouring.missing,
        [(s, counts[s]) for s in state.statussen],
        line_keys,
        f"{t('attribution', lang)}",
        lang,
    ).add_to(overlay)
    return map_widget.draw_map(m, overlay, state, "verandering", height=620)


def _profile(state, names, balance, scope, records_by_id, comparison, compare_years, item, lang, located):
    if not state.gebied or state.gebied not in names:
        st.info(t("change_click_area", lang))
        return
    st.header(literal(names[state.gebied]))
    st.caption(state.gebied)
    if comparison is not None and state.gebied in comparison.index:
        row = comparison.loc[state.gebied]
        flag = change_view.flag_text(row, *compare_years, lang)
        if flag:
            st.warning(flag)
        elif item is not None:
            st.metric(
                item["label_en" if lang == "en" else "label_nl"],
                format_value(row["waarde_b"], item["eenheid"], lang),
                change_view.difference_text(row["verschil"], item["eenheid"], lang),
            )
    if located is None and state.gebied in balance.index:
        row = balance.loc[state.gebied]
        left, right = st.columns(2)
        left.metric(t("col_begin", lang), int(row["open_begin"]))
        right.metric(t("col_end", lang), int(row["open_eind"]), int(row["netto"]))
    here = analysis.records_in_area(scope, state.gebied, located)
    if here.empty:
        st.info(t("change_area_empty", lang))
    else:
        st.dataframe(change_view.status_table(here, records_by_id, lang), hide_index=True, height=240)
