"""What a report holds, gathered from the store without Streamlit: the view it is of
(area, level, layer, colouring), the map's classes, the profile, the provisions, the
change over a period and the Hoge nood list.

The report shows what Kaart shows for the same view: it calls the same models
(explorer.model for colours, profile and ranking; change.model and change.view for the
period), so the paper and the screen agree. All text is plain; the HTML escapes it."""

from __future__ import annotations

import dataclasses
import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkmap.change import model as change, view as change_view
from wijkmap.config import REPORT_MAX_RECORDS, REPORT_RANKING_ROWS
from wijkmap.core import analysis, indeling, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import sample_mask, split_list
from wijkmap.core.view import ViewState, level, level_in_gemeente
from wijkmap.council import compare, need as need_model, ranking as ranking_model
from wijkmap.data import placement, store
from wijkmap.explorer import model as explorer

LEVEL_OF_PREFIX = {"BU": "buurt", "WK": "wijk", "GM": "gemeente"}


class ReportError(ValueError):
    """A report cannot be made for what was asked (an unknown code, no figures): the
    message names what and where, in Dutch, as the CLI shows it."""


@dataclass(frozen=True)
class StoreData:
    """The store's frames a report reads (read once; a benchmark reuses them)."""

    path: Path
    statistics: pd.DataFrame
    catalogue: pd.DataFrame
    records: gpd.GeoDataFrame
    layers: list[str]
    names: dict[str, pd.DataFrame] = dataclasses.field(default_factory=dict)  # per layer, read once

    def area_names(self, layer: str) -> pd.DataFrame:
        """code, naam, wijkcode, gemeentecode of a layer's areas (store.read_area_names), remembered."""
        if layer not in self.names:
            self.names[layer] = store.read_area_names(layer, self.path)
        return self.names[layer]


def load(path: Path | None = None) -> StoreData:
    """Read what a report needs from the store at `path` (default: the app's store)."""
    path = store.store_path() if path is None else Path(path)
    return StoreData(
        path=path,
        statistics=store.read_statistics(path),
        catalogue=store.read_catalogue(path),
        records=placement.complete(store.read_records(path), path),
        layers=store.area_layers(path),
    )


@dataclass(frozen=True)
class AreaRef:
    code: str
    naam: str
    niveau: str  # buurt, wijk or gemeente
    gemeentecode: str
    gemeentenaam: str


def find_area(data: StoreData, code: str) -> AreaRef:
    """The area with this code in the newest layer of its level that has it.

    Raises ReportError naming the code when no layer of the store holds it."""
    code = code.strip().upper()
    niveau = LEVEL_OF_PREFIX.get(code[:2])
    if niveau is None:
        raise ReportError(f"{code}: geen gebiedscode (verwacht BU + 8, WK + 6 of GM + 4 cijfers)")
    for layer in reversed(list(indeling.layers_of(data.layers, niveau))):
        names = data.area_names(layer)
        hit = names[names["code"] == code]
        if len(hit):
            row = hit.iloc[0]
            gemeentecode = code if niveau == "gemeente" else str(row["gemeentecode"])
            return AreaRef(code, str(row["naam"]), niveau, gemeentecode, _gemeente_name(data, gemeentecode))
    raise ReportError(f"{code}: dit gebied staat niet in het gegevensbestand ({data.path})")


def _gemeente_name(data: StoreData, gemeentecode: str) -> str:
    for layer in reversed(list(indeling.layers_of(data.layers, "gemeente"))):
        names = data.area_names(layer)
        hit = names.loc[names["code"] == gemeentecode, "naam"]
        if len(hit):
            return str(hit.iloc[0])
    return gemeentecode


@dataclass(frozen=True)
class ChangePart:
    """Verandering for the report's area: the period, its summary and the cycle chart."""

    a: int
    b: int
    summary: str
    counts: dict[str, int]
    charts: list[tuple[pd.DataFrame, dict]]  # change_view.cycle_chart's (data, spec) pairs


@dataclass(frozen=True)
class ReportContent:
    """Everything a report shows, as plain values and tables."""

    area: AreaRef
    state: ViewState
    lang: str
    jaar: int
    niveau: str  # the level the map is drawn at
    layer: str
    areas: gpd.GeoDataFrame  # the map's (lean) areas
    classes: pd.Series  # class index per area code (-1: grey), as the map's GeoJSON has it
    choropleth: explorer.Choropleth
    focus: gpd.GeoDataFrame | None  # the area's outline on the map (None for a gemeente)
    shown: gpd.GeoDataFrame  # the records the map draws
    here: pd.DataFrame  # the records in the area
    profile: pd.DataFrame
    ranking: pd.DataFrame | None  # council.ranking.ranking_table's ranked rows (index: code)
    ranking_notes: list[str]  # what the list is and is not, and where this area stands
    change: ChangePart | None
    asked_jaar: int | None  # --jaar, when the map's indicator has no figures of it (the map shows `jaar`)
    periode: tuple[int, int]  # the change's period (report_period), the comparison's too
    focus_shapes: gpd.GeoDataFrame | None  # the area's outline (code, geometry), for counting by place
    profile_sources: list[str]  # the statistics' sources of the profile (CBS tables)
    sample: bool  # whether fictional sample records are in the report
    made: datetime.datetime


def view_for(area: AreaRef, state: ViewState | None, jaar: int | None) -> ViewState:
    """The view a report is of: the given one (Kaart's), else the default view of the
    area's gemeente with the area selected."""
    state = ViewState() if state is None else dataclasses.replace(state)
    state.gemeente = area.gemeentecode
    state.gebied = None if area.niveau == "gemeente" else area.code
    if area.niveau != "gemeente":
        state.niveau = level_in_gemeente(area.niveau)
    if jaar is not None:
        state.jaar = jaar
    return state


def gather(data: StoreData, code: str, *, state: ViewState | None = None, jaar: int | None = None, lang: str = "nl"):
    """The content of the report on the area `code` for the view `state` (see view_for)."""
    area = find_area(data, code)
    state = view_for(area, state, jaar)
    niveau = level(state)
    gemeente = area.gemeentecode
    catalogue = data.catalogue
    if state.indicator not in set(catalogue["indicator"]):
        raise ReportError(f"indicator {state.indicator}: staat niet in de catalogus")
    layers = indeling.layers_of(data.layers, niveau)
    codes_by_layer = {
        name: list(names.loc[names["gemeentecode"] == gemeente, "code"])
        for name in layers
        for names in [data.area_names(name)]
    }
    all_codes = set().union(*codes_by_layer.values()) if codes_by_layer else set()
    # Every step below looks figures up by code: the gemeente's rows are all it needs
    # (and the gemeenten', for the country in the profile). Scanning those is much faster.
    statistics = data.statistics
    local = statistics[statistics["code"].isin(all_codes | {gemeente})]
    coverage = indeling.years_available(local, state.indicator, all_codes)
    if jaar is not None:
        # --jaar is the year of the figures: refused only when the gemeente has none at
        # all of that year; the map's indicator may lack it (then its newest is drawn).
        years_here = sorted({int(y) for y in local["jaar"].dropna().unique()})
        if jaar not in years_here:
            years = ", ".join(str(y) for y in years_here) or "geen"
            raise ReportError(
                f"--jaar {jaar}: geen cijfers voor {area.gemeentenaam} ({gemeente}) in {jaar}"
                f" (jaren met cijfers: {years})"
            )
    chosen = state.jaar if state.jaar in coverage else indeling.default_year(coverage)
    if chosen is None:
        raise ReportError(f"{area.code}: geen cijfers voor {state.indicator} in {area.gemeentenaam}")
    layer = indeling.view_layer(local, state.indicator, chosen, codes_by_layer)
    if layer is None:
        raise ReportError(f"{area.code}: geen gebieden ({niveau}) om te tekenen in {area.gemeentenaam}")
    areas = indeling.lean_areas(store.read_areas(layer, gemeente, data.path), niveau)
    item = catalogue.set_index("indicator").loc[state.indicator].to_dict() | {"indicator": state.indicator}
    layer_jaar = indeling.layer_year(layer)
    choropleth = explorer.choropleth(
        areas,
        niveau,
        local,
        item,
        chosen,
        state.schema,
        state.klassen,
        state.palet,
        lang,
        layer_jaar,
        geometry_json=False,
    )
    classes = choropleth.classes

    in_view = data.records[data.records["gemeentecode"] == gemeente]
    shown = explorer.visible_records(in_view, state)
    located = _located(data, layer, gemeente, in_view, areas)
    focus = None
    if area.niveau == "gemeente":
        here = shown
    else:
        here = analysis.records_in_area(shown, area.code, located)
        focus = areas[areas["code"] == area.code]
        if focus.empty:  # the area is not on this layer: draw its own outline
            focus = store.read_areas(_layer_with(data, area), gemeente, data.path)
            focus = focus[focus["code"] == area.code]
    around = statistics[(statistics["code"] == area.code) | statistics["code"].str.startswith("GM")]
    if jaar is not None:  # the profile of that year's figures
        around = around[around["jaar"] == jaar]
    profile = explorer.area_profile(
        area.code, gemeente, around, catalogue, lang, layer_jaar if area.code in set(areas["code"]) else None
    )
    known = in_view if state.voorbeeld else in_view[~sample_mask(in_view)]
    covered = set(known["gemeentecode"])
    ranking, ranking_notes = _ranking(data, local, state, area, layer, niveau, chosen, covered, lang)
    periode = report_period(data, state)
    shapes = None if focus is None or focus.empty else focus[["code", "geometry"]]
    change_part = _change(data, state, area, niveau, lang, periode, shapes)
    sample = bool(sample_mask(shown).any())
    own = local[local["code"].isin({area.code, gemeente})]
    profile_sources = sorted(str(b) for b in own["bron"].dropna().unique() if str(b))
    return ReportContent(
        area=area,
        state=state,
        lang=lang,
        jaar=chosen,
        niveau=niveau,
        layer=layer,
        areas=areas,
        classes=classes,
        choropleth=choropleth,
        focus=focus,
        shown=shown,
        here=here,
        profile=profile,
        ranking=ranking,
        ranking_notes=ranking_notes,
        change=change_part,
        asked_jaar=jaar if jaar is not None and jaar != chosen else None,
        periode=periode,
        focus_shapes=shapes,
        profile_sources=profile_sources,
        sample=sample,
        made=datetime.datetime.now().astimezone(),
    )


def _ranking(
    data: StoreData, statistics, state: ViewState, area: AreaRef, layer, niveau: str, jaar: int, covered, lang
):
    """The Hoge nood list of the area's gemeente (council.ranking, as Kaart shows it),
    its first REPORT_RANKING_ROWS rows, and the notes that go with it: a signal, not a
    verdict; reach in a straight line; where this area stands."""
    catalogue = data.catalogue
    profile, _ = need_model.profile_for(state.nood, state.indicator, catalogue)  # as Kaart's list
    if profile is None:
        return None, [t("no_need_indicator", lang)]
    gemeente = area.gemeentecode
    areas = store.read_areas(layer, gemeente, data.path)
    nearby = explorer.visible_records(data.records, state)  # across the border too: they reach residents
    in_gemeente = data.records[data.records["gemeentecode"] == gemeente]
    frame = ranking_model.ranking(
        areas,
        statistics,
        catalogue,
        nearby,
        jaar,
        profile,
        niveau,
        covered=covered,
        categorie=state.bereik,
        located=_located(data, layer, gemeente, in_gemeente, areas),
        layer_jaar=indeling.layer_year(layer),
    )
    if (frame["status"] == ranking_model.NO_PROVISION_DATA).all():
        return None, [t("no_thin_spots", lang).format(plaats=area.gemeentenaam), *plain_lines(t("ways_in", lang))]
    table = ranking_model.ranking_table(frame, catalogue, profile.indicators, lang).head(REPORT_RANKING_ROWS)
    notes = [t("report_ranking_note", lang), t("need_signal", lang), t("reach_note", lang)]
    if area.code in frame.index:
        row = frame.loc[area.code]
        rang: int | str = "" if pd.isna(row["rang"]) else int(row["rang"])
        status = t(f"status_{row['status']}", lang).format(rang=rang)
        notes.insert(1, f"{area.naam} — {t('area_status', lang)}: {status}")
    if sample_mask(nearby).any():
        notes.append(t("ranking_sample", lang))
    return (None if table.empty else table), notes + ([t("ranking_none", lang)] if table.empty else [])


def plain_lines(markdown: str) -> list[str]:
    """Kaart's Markdown list as plain lines for print: one per item, emphasis dropped."""
    return [re.sub(r"[*`]", "", line).lstrip("- ").strip() for line in markdown.splitlines() if line.strip()]


def _layer_with(data: StoreData, area: AreaRef) -> str:
    for layer in reversed(list(indeling.layers_of(data.layers, area.niveau))):
        if area.code in set(data.area_names(layer)["code"]):
            return layer
    raise ReportError(f"{area.code}: geen grenzen in het gegevensbestand")


def _located(data: StoreData, layer: str, gemeente: str, records: pd.DataFrame, areas) -> pd.Series | None:
    """Per record the area of `layer` it lies in, when records do not carry that layer's
    codes (as shell.cache.located decides for Kaart); None when they do."""
    names = {name: data.area_names(name) for name in indeling.layers_of(data.layers, "buurt")}
    placed = placement.years_by_name(names).get(gemeente)
    if placed == indeling.layer_year(layer):
        return None
    return analysis.area_codes_at(records, store.read_areas(layer, gemeente, data.path))


def report_period(data: StoreData, state: ViewState) -> tuple[int, int]:
    """The period of the report's change: the view's van/tot, else Verandering's default,
    both over all records, exactly as Kaart's comparison (council.cache.period_choice)."""
    return change.period_choice(data.records).resolve(state.van, state.tot)


def view_change_records(data: StoreData, state: ViewState) -> pd.DataFrame:
    """The records the view's change counts: its filters (the sample only when shown),
    every year, every gemeente (a successor may stand across the border): what the
    comparison on screen counts (compare.records_for)."""
    records = compare.records_for(data.records, state)
    return pd.DataFrame(records.drop(columns="geometry")).reset_index(drop=True)


def _change(data: StoreData, state: ViewState, area: AreaRef, niveau: str, lang: str, periode, shapes):
    """Verandering's summary and cycle chart for the provisions in the area over the
    report's period, counted as the comparison counts them (compare.change_rows and
    compare.in_area): the summary, the counts and the comparison's table agree."""
    records = view_change_records(data, state)
    target = compare.Area(area.code, area.naam, area.niveau, area.gemeentecode, area.gemeentenaam)
    mine = records[compare.in_area(records, target, shapes).to_numpy()] if len(records) else records
    if mine.empty:
        return None
    a, b = periode
    links = change.succession_links(records)
    joined = compare.change_rows(records, periode, links)
    joined = joined[compare.in_area(joined, target, shapes).to_numpy()]
    balance = change.balance(joined, "buurt" if niveau == "buurt" else niveau)
    summary = change.summary(joined, a, b, lang, (), None, balance)
    first, last = change_view.chart_years(mine, a, b, change.this_year())
    yearly = change.yearly_counts(mine, first, last, links)
    charts = list(change_view.cycle_chart(yearly, a, b, lang)) if not yearly.empty else []
    return ChangePart(a, b, summary, change_view.status_counts(joined), charts)


_SAMPLE_MARK = re.compile(r"\s*\((fictief|fictional)\)\s*$", re.IGNORECASE)


def _without_sample_mark(naam: str) -> str:
    """A sample record's name without the "(fictief)" its name often ends in (the report
    marks the row itself, in its language)."""
    return _SAMPLE_MARK.sub("", naam) or naam


def provisions_table(records: pd.DataFrame, lang: str, limit: int = REPORT_MAX_RECORDS) -> list[dict]:
    """The provisions by category, each with its kind, strategy, actors, source and
    whether it is fictional: [{'categorie', 'rows': [...]}], at most `limit` rows."""
    groups = []
    records = records.head(limit)
    category = records["soort"].map(vocab.category_of).to_numpy()
    sample = sample_mask(records).to_numpy()
    for code in vocab.SOORT_CATEGORIES:
        mine = records[category == code].assign(_fictief=sample[category == code])
        if mine.empty:
            continue
        rows = [
            {
                "naam": _without_sample_mark(row["naam"]) if row["_fictief"] else row["naam"],
                "soort": vocab.label("soort", row["soort"], lang),
                "strategie": vocab.label("strategie", row["strategie"], lang) if row["strategie"] else "",
                "actoren": vocab.labels("actortype", split_list(row["actortype"] or ""), lang),
                "bron": row["bron"],
                # Sample names often end in "(fictief)": that is dropped from the name and
                # the row marked once, in the report's language.
                "fictief": bool(row["_fictief"]),
            }
            for _, row in mine.sort_values("naam").iterrows()
        ]
        groups.append({"categorie": vocab.label("categorie", code, lang), "rows": rows})
    return groups
