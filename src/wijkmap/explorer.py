"""What the map explorer shows for a view state, without Streamlit.

The page hands in a ViewState and the store's frames; this module decides which area
layer and year fit, computes values and classes (via analysis), makes the geometry lean
(via geometry) and says what the legend and the profile hold. Keeping it free of
Streamlit makes every step testable and lets the benchmark time it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from wijkmap import analysis, geometry
from wijkmap.i18n import format_value, t, unit_label
from wijkmap.records import is_sample
from wijkmap.mapview import MISSING_COLOUR, LegendClass, class_colours, escape_text

# Simplification tolerance (m) and coordinate decimals per level: coarse where a
# whole country is shown, finer where a person looks at one gemeente.
# The national view at 120 m / 4 decimals sent 785 KB (bench/benchmark_map.py); at zoom 7
# a pixel is ~750 m, so 300 m / 3 decimals loses nothing a reader can see.
DETAIL = {"gemeente": (300.0, 3), "wijk": (15.0, 5), "buurt": (10.0, 5)}


def area_layer(niveau: str, jaar: int) -> str:
    """The area layer whose codes and boundaries fit statistics of `jaar`.

    Buurt figures of every year are on 2015 codes in our sources; wijk and gemeente
    figures from 2024 use that year's codes, which the 2024/2023 maps carry."""
    if niveau == "buurt":
        return "buurt_2015"
    if niveau == "wijk":
        return "wijk_2024" if jaar >= 2024 else "wijk_2015"
    return "gemeente_2023" if jaar >= 2016 else "gemeente_2015"


def years_available(statistics: pd.DataFrame, indicator: str, codes) -> dict[int, int]:
    """For each year in which `indicator` has a value for some of `codes`: how many."""
    rows = statistics[(statistics["indicator"] == indicator) & statistics["code"].isin(set(codes))]
    return {int(year): int(count) for year, count in rows.groupby("jaar").size().sort_index().items()}


def default_year(coverage: dict[int, int]) -> int | None:
    """The year to show when none is chosen: the best covered, the newest among equals.

    The newest year alone would colour the whole country grey when only one gemeente
    has figures for it."""
    return max(coverage, key=lambda year: (coverage[year], year)) if coverage else None


# The layers whose areas a view at each level may show, depending on the year.
CANDIDATE_LAYERS = {
    "buurt": ["buurt_2015"],
    "wijk": ["wijk_2015", "wijk_2024"],
    "gemeente": ["gemeente_2015", "gemeente_2023"],
}


@dataclass(frozen=True)
class Choropleth:
    """Everything the map needs to colour areas, and the legend that explains it."""

    geojson: str
    colours: list[str]
    legend_title: str
    legend_subtitle: str
    legend_classes: list[LegendClass]
    missing: LegendClass | None
    source: str
    bounds: list[list[float]]
    values: pd.Series  # by code, for tables and profiles


def lean_areas(areas: gpd.GeoDataFrame, niveau: str) -> gpd.GeoDataFrame:
    """The areas simplified for the browser (cache the result: this is the slow step)."""
    tolerance, _ = DETAIL[niveau]
    return geometry.simplify_coverage(areas, tolerance)


def choropleth(
    areas: gpd.GeoDataFrame,
    niveau: str,
    statistics: pd.DataFrame,
    indicator: dict,
    jaar: int,
    scheme: str,
    klassen: int,
    palette: str,
    lang: str,
) -> Choropleth:
    """Colour `areas` (already lean) by `indicator` in `jaar`.

    `indicator` is one row of the catalogue as a dict (label_nl/en, eenheid, ...)."""
    codes = list(areas["code"])
    values = analysis.indicator_values(statistics, indicator["indicator"], jaar, codes)
    classification = analysis.classify(values, scheme, klassen)
    colours = class_colours(palette, len(classification.bins))
    unit = indicator["eenheid"]
    texts = [
        format_value(value, unit, lang) if pd.notna(value) else t("missing_value", lang)
        for value in values.to_numpy()
    ]
    _, decimals = DETAIL[niveau]
    geojson = geometry.lean_geojson(
        areas,
        {
            "c": codes,
            "n": [escape_text(name) for name in areas["naam"]],
            "k": [int(k) for k in classification.classes.to_numpy()],
            "t": [escape_text(text) for text in texts],
        },
        decimals=decimals,
    )
    lower = classification.lower
    legend_classes = []
    for colour, upper in zip(colours, classification.bins):
        legend_classes.append(
            LegendClass(
                colour,
                f"{format_value(lower, unit, lang, with_unit=False)} – {format_value(upper, unit, lang, with_unit=False)}",
            )
        )
        lower = upper
    missing_count = int(values.isna().sum())
    missing = (
        LegendClass(MISSING_COLOUR, f"{t('missing_value', lang)} ({missing_count})") if missing_count else None
    )
    sources = statistics.loc[
        (statistics["indicator"] == indicator["indicator"]) & (statistics["jaar"] == jaar) & statistics["code"].isin(codes),
        "bron",
    ].unique()
    label = indicator["label_en"] if lang == "en" else indicator["label_nl"]
    scheme_label = t(f"scheme_{scheme}", lang)
    west, south, east, north = areas.total_bounds
    return Choropleth(
        geojson=geojson,
        colours=colours,
        legend_title=label,
        legend_subtitle=f"{jaar} · {unit_label(unit, lang)} · {scheme_label}",
        legend_classes=legend_classes,
        missing=missing,
        source=f"{t('source', lang)}: {', '.join(sorted(sources)) or 'CBS'}; {t('geometry_source', lang)}",
        bounds=[[float(south), float(west)], [float(north), float(east)]],
        values=values,
    )


def area_profile(
    code: str,
    gemeentecode: str,
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    """Key figures of one area against its gemeente and the country.

    For each indicator the newest year with a value for the area is used, and the
    gemeente and national figures are of that same year, so rows compare like with like."""
    rows = []
    own = statistics[statistics["code"] == code]
    # Gemeente and national figures come from gemeente rows only: scan those, not all.
    gemeenten = statistics[statistics["code"].str.startswith("GM")]
    for item in catalogue.to_dict("records"):
        mine = own[own["indicator"] == item["indicator"]]
        if mine.empty:
            continue
        latest = mine.sort_values("jaar").iloc[-1]
        jaar = int(latest["jaar"])
        gemeente = analysis.indicator_values(gemeenten, item["indicator"], jaar, [gemeentecode]).iloc[0]
        national = analysis.national_value(gemeenten, item["indicator"], jaar, item["eenheid"])
        unit = item["eenheid"]
        rows.append(
            {
                t("indicator", lang): item["label_en"] if lang == "en" else item["label_nl"],
                t("year", lang): jaar,
                t("this_area", lang): format_value(latest["waarde"], unit, lang),
                t("gemeente", lang): format_value(gemeente, unit, lang) if pd.notna(gemeente) else "–",
                t("netherlands", lang): format_value(national, unit, lang) if national is not None else "–",
            }
        )
    return pd.DataFrame(rows)


def visible_records(records: pd.DataFrame, state) -> pd.DataFrame:
    """The records a view shows: its filters, and only the switched-on layers.

    Without a chosen year the map shows what exists now (this calendar year)."""
    kept = analysis.filter_records(
        records,
        categorie=state.categorie,
        soort=state.soort,
        strategie=state.strategie,
        formaliteit=state.formaliteit,
        actortype=state.actortype,
        doelgroep=state.doelgroep,
        tarief=state.tarief,
        tijdelijk=state.tijdelijk,
        peiljaar=state.peiljaar or datetime.date.today().year,
        voorbeeld=state.voorbeeld,
        bron=state.bron,
    )
    return analysis.filter_records(kept, categorie=state.lagen) if state.lagen else kept.iloc[0:0]


def sources_credit(records: pd.DataFrame, lang: str) -> str:
    """The credit for the records on the map: every real source, and the sample as such.

    CBS/Kadaster are credited by the base map; this goes with the records' layer."""
    real = sorted({bron for bron in records["bron"] if not is_sample(bron)})
    if records["bron"].map(is_sample).any():
        real.append(t("sample_credit", lang))
    return " · ".join(real)


def service_area_geojson(wijkteams: pd.DataFrame, buurten: gpd.GeoDataFrame) -> str | None:
    """The service area of each wijkteam (its werkgebied buurten, merged) as lean GeoJSON."""
    areas = analysis.service_areas(wijkteams, buurten)
    if areas.empty:
        return None
    return geometry.lean_geojson(areas, {"n": [escape_text(name) for name in areas["naam"]]}, decimals=5)


def surroundings_geojson(gemeenten: gpd.GeoDataFrame, gemeente: str) -> str | None:
    """The gemeenten around `gemeente` as coarse outlines with their names.

    Drawn under the areas, they keep a gemeente view readable when no tiles load (no
    network, or tiles switched off): you still see where you are. Only the part near
    the gemeente is sent, coarsely: this is context, not data."""
    own = gemeenten[gemeenten["code"] == gemeente]
    if own.empty:
        return None
    west, south, east, north = own.total_bounds
    pad_x, pad_y = (east - west) * 0.35, (north - south) * 0.35
    window = (west - pad_x, south - pad_y, east + pad_x, north + pad_y)
    around = gemeenten[gemeenten["code"] != gemeente].clip(window)
    around = around[~around.geometry.is_empty]
    if around.empty:
        return None
    around = geometry.simplify_coverage(around, 80.0)
    return geometry.lean_geojson(around, {"n": [escape_text(name) for name in around["naam"]]}, decimals=3)


def thin_spots_table(
    values: pd.Series,
    records: pd.DataFrame,
    areas: gpd.GeoDataFrame,
    statistics: pd.DataFrame,
    indicator: dict,
    jaar: int,
    niveau: str,
    lang: str,
    limit: int = 8,
) -> pd.DataFrame | None:
    """The areas where the chosen need indicator is high and few provisions are shown,
    as a table for people; None when the indicator says nothing about need."""
    higher_is_need = indicator.get("hoger_is_meer_nood")
    if higher_is_need is None or pd.isna(higher_is_need):
        return None
    codes = list(areas["code"])
    inwoners = analysis.indicator_values(statistics, "inwoners", jaar, codes)
    if inwoners.isna().all():  # fall back to the year every area has
        inwoners = analysis.indicator_values(statistics, "inwoners", 2015, codes)
    counts = analysis.counts_per_area(records, niveau) if niveau != "gemeente" else records.groupby("gemeentecode").size()
    spots = analysis.thin_spots(values, counts, inwoners, bool(higher_is_need)).head(limit)
    names = dict(zip(areas["code"], areas["naam"]))
    return pd.DataFrame(
        {
            t("area", lang): [names.get(code, code) for code in spots.index],
            indicator["label_en" if lang == "en" else "label_nl"]: [
                format_value(v, indicator["eenheid"], lang) for v in spots["need"]
            ],
            t("provisions", lang): spots["records"].to_numpy(),
            t("per_1000", lang): [format_value(v, "", lang) for v in spots["per_1000"]],
        }
    )
