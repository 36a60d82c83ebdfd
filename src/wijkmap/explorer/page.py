"""Kaart: the sociale basis of a gemeente on one map, over CBS statistics."""

import dataclasses
import datetime
import functools

import pandas as pd
import streamlit as st

from wijkmap import config
from wijkmap.accounts import login
from wijkmap.core import analysis, indeling, view as view_state
from wijkmap.core.i18n import t
from wijkmap.core.records import sample_mask, sources_credit, stale_count
from wijkmap.council import compare_view, ranking_view
from wijkmap.council.report.button import report_button
from wijkmap.explorer import cache as explorer_cache, map as explorer_map, model as explorer, national, sidebar
from wijkmap.map import handout, layers as mapview
from wijkmap.shell import cache, loading, map_widget, session, widgets
from wijkmap.shell.text import literal
from wijkmap.workshop import presentation as workshop


def page() -> None:
    lang = session.current_language()
    catalogue = cache.catalogue()
    state, notes = session.load_from_url()
    state, _, book = workshop.prepare(state, notes)
    state = compare_view.prepare(state)
    compare_view.search_box(lang)
    statistics, records = cache.statistics(), cache.records()

    def years_for(indicator: str, gemeente, niveau: str) -> list[int]:
        return cache.years_available(indicator, gemeente, niveau)

    state = sidebar.sidebar(state, cache.gemeenten(), catalogue, years_for, sorted(records["bron"].unique()), lang)
    state = ranking_view.sidebar(state, catalogue, lang)
    state = workshop.sidebar(state, lang)
    workshop.page_css(state)
    presenting = state.presentatie
    niveau = view_state.level(state)
    # Every buurt or wijk of the country is drawn from vector tiles (explorer.national).
    tiled = national.tiled(state)
    if tiled and national.missing():
        st.warning(t("tiles_missing", lang).format(wat=", ".join(national.missing())))
        return
    coverage = years_for(state.indicator, state.gemeente, niveau)
    jaar = state.jaar if state.jaar in coverage else indeling.default_year(coverage)
    if jaar is None:
        st.warning(t("no_figures", lang))
        return
    layer = cache.area_layer(niveau, jaar, state.indicator, state.gemeente)
    areas = (cache.area_names(layer) if tiled else cache.lean_areas(layer, state.gemeente, niveau)) if layer else None
    if areas is None or areas.empty:
        st.warning(t("no_areas", lang))
        return
    chosen = (layer, niveau, state.indicator, jaar, state.schema, state.klassen, state.palet, lang)
    if tiled:
        choropleth = national.choropleth(*chosen)
    else:
        choropleth = explorer_cache.choropleth(layer, state.gemeente, *chosen[1:])

    in_view = cache.records_of(state.gemeente)
    shown = explorer.visible_records(in_view, state)
    # The provisions this view knows of before filters: with none, a count of 0 is no finding.
    known = in_view["gemeentecode"] if state.voorbeeld else in_view["gemeentecode"][~sample_mask(in_view)]
    covered = set(known.unique())

    sample_shown = bool(state.voorbeeld and sample_mask(shown).any())
    if not presenting:
        st.title(t("app_title", lang))
        login.greet_provider_login(lang)
    # A refused draaiboek has its own message (workshop.messages).
    ignored = [note for note in session.ignored_parameters() if not note.startswith("draaiboek=")]
    if ignored:
        st.warning(t("ignored_parameters", lang) + literal(", ".join(ignored)))
    workshop.messages(lang)
    # Always one element here, shown or empty: the elements below (the map) keep their
    # place in the page, so switching the sample off does not redraw the map.
    notice = st.empty()
    if sample_shown and not presenting:
        notice.info(t("sample_on_map", lang), icon="⚠️")
    look = explorer_map.look(state)
    if tiled:
        build = national.map_builder(state, choropleth, layer, areas, shown, lang, look)
    else:
        build = _map_builder(state, choropleth, layer, niveau, areas, shown, lang, look)
    names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    heading = names.get(state.gemeente) or t("netherlands", lang)
    missing = workshop.missing_for_step(state, book, names, catalogue, records, areas["code"])
    step = book.steps[state.stap - 1] if book and state.stap else None
    save_as = _handout(build, state, step, len(book) if book else 0, heading, choropleth, shown, sample_shown, lang)
    workshop.step_bar(
        state,
        book,
        lang,
        heading,
        missing + ([t("handout_sample", lang)] if sample_shown and presenting else []),
        save_as,
        f"wijkmap-stap-{state.stap}.html" if step else "wijkmap-kaart.html",
    )
    if not presenting and state.gemeente and not covered:
        message = "no_provisions_sample_off" if sample_mask(in_view).any() else "no_provisions_known"
        summary = st.columns([3, 1])
        summary[0].info(t(message, lang).format(plaats=heading))
        summary[1].metric(t("areas_drawn", lang), len(areas))
    elif not presenting:
        counts = analysis.strategy_counts(shown)
        summary = st.columns(4)
        summary[0].metric(t("shown", lang), len(shown))
        # 'beide' counts for both: say so where the two numbers stand.
        summary[1].metric(t("bonding", lang), counts["bonding"], help=t("strategy_help", lang))
        summary[2].metric(t("bridging", lang), counts["bridging"], help=t("strategy_help", lang))
        summary[3].metric(t("areas_drawn", lang), len(areas))

    draw = national.draw_map if tiled else _draw_map
    if presenting:  # the map over the whole width; nothing else
        result = draw(state, build, look)
    else:
        map_column, profile_column = st.columns([2.5, 1.5])
        with map_column:
            result = draw(state, build, look)
            boundary_year = indeling.layer_year(layer)
            if boundary_year != jaar:
                st.caption(t("other_year_boundaries", lang).format(jaar=jaar, grensjaar=boundary_year))
            stale = stale_count(shown, config.STALE_MONTHS, datetime.date.today())
            if stale:
                st.caption(t("stale_on_map", lang).format(n=stale, maanden=config.STALE_MONTHS))
            st.caption(t("map_as_text", lang))
    map_widget.show_clicked_area(result, "kaart", functools.partial(_selected, state))
    if tiled:
        national.show_clicked_point(result, layer, state)
    state = map_widget.with_map_position(state, result, "kaart")
    session.write_to_url(state)
    if map_widget.first_report_pending(result):
        if not presenting:  # on the big screen the map alone, without a note
            with profile_column:
                loading.rest_follows(lang)
        return
    compare_view.section(state, lang)
    if presenting:
        return
    # Records carry the codes of the buurten they are placed in; on another indeling
    # they are counted by where they lie.
    located = cache.located(layer, state.gemeente)
    # The Hoge nood ranking; provisions across the gemeente's border reach its residents too.
    nearby = explorer.visible_records(records, state)
    need = functools.partial(ranking_view.compute, state, layer, niveau, jaar, catalogue, nearby, covered, lang)
    with profile_column:
        if not tiled:  # a list of every buurt of the country would be too long to send
            area_names = dict(zip(areas["code"], areas["naam"]))
            widgets.area_picker(area_names, state.gebied, functools.partial(_selected, state), lang, map_key="kaart")
        if state.gebied and state.gebied in set(areas["code"]):
            _profile(state, layer, areas, shown, lang, located)
            ranking_view.area_section(need(), state.gebied, catalogue, lang)
        else:
            st.info(t("click_area_tiled" if tiled else "click_area", lang))
            place = state.gemeente or "nederland"
            ranking_view.section(
                need(),
                catalogue,
                heading,
                sample_shown,
                lang,
                functools.partial(_selected, state),
                file_stem=f"wijkmap-hoge-nood-{niveau}-{jaar}-{place}",
                boundaries=functools.partial(cache.areas, layer, state.gemeente),
            )
            # One source alone (Amsterdam: only repair cafés) makes every other kind look absent.
            if covered and len(shown):
                st.caption(t("thin_spots_counted", lang).format(bronnen=literal(sources_credit(shown, lang))))

    workshop.editor(state, book, lang)
    st.header(t("table_title", lang))
    widgets.records_table(shown, lang, key="table")
    st.markdown(f"**{t('areas_download_title', lang)}**", help=t("areas_download_help", lang).format(jaar=jaar))
    count = functools.partial(analysis.counts_per_area, level=niveau, located=located)
    make_areas = functools.partial(
        explorer.areas_table, areas, statistics, catalogue, shown, count, niveau, jaar, state.indicator, sample_shown
    )
    place = state.gemeente or "nederland"
    boundaries = functools.partial(cache.areas, layer, state.gemeente)
    widgets.areas_downloads(make_areas, catalogue, lang, "areas", f"wijkmap-{niveau}-{jaar}-{place}", boundaries)
    report_button(state, lang)
    st.caption(t("share_hint", lang))
    st.code(widgets.share_url(state), language=None, wrap_lines=True)


def _map_builder(state, choropleth, layer, niveau, areas, shown, lang, look):
    """A function that builds the map and its overlay: the page draws them, and the
    hand-out saves them. What needs the store is read here, so the function can run
    later, outside this run (a download made when clicked)."""
    context = explorer_map.Context(
        areas=explorer_cache.area_geometry(layer, state.gemeente, niveau),
        surroundings=cache.surroundings(state.gemeente),
        outline=explorer_map.selected_outline(areas, state.gebied),
        service_areas=cache.service_areas(shown, state.gemeente) if "professioneel" in state.lagen else None,
        tiles=config.tile_url(),
        records=explorer_cache.record_table(state.gemeente, lang),
    )
    return functools.partial(explorer_map.build, state, choropleth, shown, context, lang, look)


def _handout(build, state, step, total, heading, choropleth, shown, sample, lang):
    """The hand-out of this view as a function for a download button (made when clicked)."""
    link = widgets.share_url(dataclasses.replace(state, draaiboek=None, stap=None, presentatie=False))
    view = (state.lat, state.lon, state.zoom) if None not in (state.lat, state.lon, state.zoom) else None
    shown_area = map_widget.shown_bounds("kaart")
    title = step.title if step else f"{heading} — {choropleth.legend_title}"
    note = step.note if step else ""
    line = t("step_of", lang).format(n=state.stap, total=total) if step else ""
    sources = [choropleth.source, t("attribution", lang), sources_credit(shown, lang)]

    def make() -> str:
        m, overlay = build(standalone=True)
        overlay.add_to(m)
        return handout.standalone_html(
            m, title, note, sources, lang, step=line, link=link, sample=sample, view=view, bounds=shown_area()
        )

    return make


def _draw_map(state, build, look) -> dict | None:
    """Draw the map; return what it reports (position, last click)."""
    m, overlay = build()
    if state.presentatie:
        mapview.FillFrame().add_to(m)
    return map_widget.draw_map(m, overlay, state, "kaart", height=look.height)


def _selected(state, code: str | None):
    """The view a click on the area `code` asks for: a gemeente opens it, a buurt or wijk
    is selected (None: none is)."""
    if code is None:
        return dataclasses.replace(state, gebied=None)
    if code.startswith("GM"):
        return dataclasses.replace(state, gemeente=code, gebied=None, lat=None, lon=None, zoom=None)
    return dataclasses.replace(state, gebied=code)


def _profile(state, layer, areas, shown, lang, located):
    name = areas.loc[areas["code"] == state.gebied, "naam"].iloc[0]
    st.header(literal(name))
    st.caption(state.gebied)
    compare_view.compare_button(state.gebied, lang)
    own = areas.loc[areas["code"] == state.gebied, "gemeentecode"]
    gemeentecode = state.gemeente or (own.iloc[0] if len(own) and pd.notna(own.iloc[0]) else state.gebied)
    # A plain table, each row headed by its indicator and year: in the narrow column
    # beside the map it wraps the names instead of cutting off the values.
    profile = explorer_cache.area_profile(state.gebied, gemeentecode, lang, layer)
    indicator, year = t("indicator", lang), t("year", lang)
    if len(profile):
        # st.table reads its cells as Markdown: the labels are CBS's text, kept literal.
        profile[indicator] = [literal(f"{name} ({jaar})") for name, jaar in zip(profile[indicator], profile[year])]
        profile = profile.drop(columns=year).set_index(indicator).map(literal)
    st.table(profile)
    here = analysis.records_in_area(shown, state.gebied, located)
    counts = analysis.strategy_counts(here)
    st.markdown(f"**{t('in_this_area', lang)}: {len(here)}**")
    left, right = st.columns(2)
    left.metric(t("bonding", lang), counts["bonding"])
    right.metric(t("bridging", lang), counts["bridging"])
    widgets.records_table(here, lang, key="profile", downloads=False)
