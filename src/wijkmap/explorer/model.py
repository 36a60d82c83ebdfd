"""What the map explorer shows for a view state, without Streamlit.

The page hands in a ViewState, the store's frames and the area layer that fits
(indeling.view_layer); this module computes values and classes (via analysis), greys
what cannot be drawn on that layer (indeling.comparable), makes the geometry lean
(via geometry) and says what the legend and the profile hold, all as plain text: the map
layers escape it as they draw. Keeping it free of Streamlit and folium makes every step
testable and lets the benchmark time it.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkmap.core import analysis, geometry, indeling
from wijkmap.core.classification import classify
from wijkmap.core.i18n import format_value, t, unit_label
from wijkmap.core.records import sample_mask
from wijkmap.core.style import MISSING_COLOUR, LegendClass, class_colours
from wijkmap.data import export_areas


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
    values: pd.Series  # by code, for tables and profiles; NaN where grey
    grey: dict[str, int]  # how many areas are grey, per reason (indeling.NO_FIGURE, CHANGED)
    classes: pd.Series  # class per code (-1: grey)
    texts: pd.Series  # the value as text per code (or why it is grey)


# The Netherlands, [[south, west], [north, east]]: the national tile map's first view.
NETHERLANDS_BOUNDS = [[50.75, 3.36], [53.56, 7.23]]


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
    layer_jaar: int | None = None,
    geometry_json: bool = True,
) -> Choropleth:
    """Colour `areas` (already lean) by `indicator` in `jaar`.

    Without `geometry_json` (the maps whose geometry comes apart: the national tiles, a
    gemeente's served outlines) the result has no GeoJSON, only the class and value text
    per code; `areas` then need no geometry (code, naam, gemeentecode), and without it the
    bounds are the Netherlands.

    `indicator` is one row of the catalogue as a dict (label_nl/en, eenheid, ...).
    `areas` are of the indeling of `layer_jaar` (default `jaar`); figures of another
    year colour only the areas indeling.comparable allows. Every area is drawn: the
    others grey, and the legend counts them per reason."""
    codes = list(areas["code"])
    layer_jaar = jaar if layer_jaar is None else layer_jaar
    reasons = indeling.comparable(statistics, indicator["indicator"], jaar, codes, layer_jaar, areas["gemeentecode"])
    values = analysis.indicator_values(statistics, indicator["indicator"], jaar, codes).where(
        (reasons == "").to_numpy()
    )
    classification = classify(values, scheme, klassen)
    colours = class_colours(palette, len(classification.bins))
    unit = indicator["eenheid"]
    grey_texts = {
        indeling.NO_FIGURE: t("missing_value", lang),
        indeling.CHANGED: t("layer_changed_since", lang).format(jaar=layer_jaar),
    }
    texts = [
        format_value(value, unit, lang) if pd.notna(value) else grey_texts[reason]
        for value, reason in zip(values.to_numpy(), reasons.to_numpy())
    ]
    _, decimals = indeling.DETAIL[niveau]
    geojson = (
        geometry.lean_geojson(
            areas,
            {
                "c": codes,
                "n": list(areas["naam"]),
                "k": [int(k) for k in classification.classes.to_numpy()],
                "t": texts,
            },
            decimals=decimals,
        )
        if geometry_json
        else ""
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
    grey = {reason: int(count) for reason, count in reasons[reasons != ""].value_counts().items()}
    missing = _grey_legend(grey, layer_jaar, lang)
    sources = statistics.loc[
        (statistics["indicator"] == indicator["indicator"])
        & (statistics["jaar"] == jaar)
        & statistics["code"].isin(codes),
        "bron",
    ].unique()
    label = indicator["label_en"] if lang == "en" else indicator["label_nl"]
    scheme_label = t(f"scheme_{scheme}", lang)
    if isinstance(areas, gpd.GeoDataFrame):
        west, south, east, north = areas.total_bounds
        bounds = [[float(south), float(west)], [float(north), float(east)]]
    else:
        bounds = NETHERLANDS_BOUNDS
    return Choropleth(
        geojson=geojson,
        colours=colours,
        legend_title=label,
        legend_subtitle=f"{jaar} · {unit_label(unit, lang)} · {scheme_label}",
        legend_classes=legend_classes,
        missing=missing,
        source=f"{t('source', lang)}: {', '.join(sorted(sources)) or 'CBS'}; {t('geometry_source', lang)}",
        bounds=bounds,
        values=values,
        grey=grey,
        classes=pd.Series(classification.classes.to_numpy(), index=codes).astype(int),
        texts=pd.Series(texts, index=codes, dtype=object),
    )


def _grey_legend(grey: dict[str, int], layer_jaar: int, lang: str) -> LegendClass | None:
    """The legend line of the grey areas: how many, and why."""
    total = sum(grey.values())
    if not total:
        return None
    if not grey.get(indeling.CHANGED):
        return LegendClass(MISSING_COLOUR, f"{t('missing_value', lang)} ({total})")
    parts = [t("layer_grey_changed", lang).format(n=grey[indeling.CHANGED], jaar=layer_jaar)]
    if grey.get(indeling.NO_FIGURE):
        parts.insert(0, t("layer_grey_no_figure", lang).format(n=grey[indeling.NO_FIGURE]))
    return LegendClass(MISSING_COLOUR, f"{t('layer_no_comparable', lang)} ({total}): {', '.join(parts)}")


def area_profile(
    code: str,
    gemeentecode: str,
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    lang: str,
    layer_jaar: int | None = None,
) -> pd.DataFrame:
    """Key figures of one area against its gemeente and the country.

    For each indicator the newest year with a value for the area is used, and the
    gemeente and national figures are of that same year, so rows compare like with like.
    For an area of a layer of `layer_jaar`, only years whose figures belong to it count:
    that year, and those in which its population did not jump (indeling.comparable)."""
    rows = []
    own = statistics[statistics["code"] == code]
    if layer_jaar is not None:
        inwoners = own[own["indicator"] == "inwoners"].set_index("jaar")["waarde"].astype(float)
        years = sorted(set(own["jaar"]) - {layer_jaar})
        before = pd.Series(inwoners.get(layer_jaar, float("nan")), index=years, dtype=float)
        _, jumped = indeling.population_jumped(before, inwoners.reindex(years))
        own = own[~own["jaar"].isin(set(jumped.index[jumped]))]
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
    return analysis.view_records(records, state, peiljaar=state.peiljaar or datetime.date.today().year)


def areas_table(
    areas: pd.DataFrame,
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    shown: pd.DataFrame,
    count: Callable[[pd.DataFrame], pd.Series],
    niveau: str,
    jaar: int,
    indicator: str,
    sample_shown: bool,
) -> pd.DataFrame:
    """The areas of a map with every figure of its year (the chosen indicator first),
    their sources and the provisions shown in each (`count(records)`: records per area
    code, as the map counts them); with the sample on the map, a column says how many of
    those are fictional, so the file cannot pass them off as real.

    Areas with a figure of that year that the map's layer lacks (2024 buurten drawn on
    the 2015 map) are listed too, as `wijkmap export-gebieden` lists them, with
    `op_de_kaart` = nee and no count: the map cannot place provisions in them."""
    order = [indicator, *(code for code in catalogue["indicator"] if code != indicator)]
    on_map = list(areas["code"])
    year_rows = statistics[
        (statistics["jaar"] == jaar)
        & statistics["code"].str.startswith(export_areas.LEVEL_PREFIX[niveau])
        & indeling.gemeente_of(statistics["code"]).isin(set(areas["gemeentecode"]))
    ]
    elsewhere = sorted(set(year_rows["code"]) - set(on_map))
    table = export_areas.area_table(
        statistics, catalogue, areas[["code", "naam"]], niveau, jaar, indicators=order, codes=on_map + elsewhere
    )
    mapped = table["code"].isin(set(on_map)).to_numpy()
    table["op_de_kaart"] = np.where(mapped, "ja", "nee")

    def per_area(records: pd.DataFrame) -> pd.Series:
        counts = count(records).reindex(table["code"]).fillna(0).astype("Int64")
        return counts.where(mapped, pd.NA).to_numpy()

    table["voorzieningen"] = per_area(shown)
    if sample_shown:
        table["waarvan_fictief_voorbeeld"] = per_area(shown[sample_mask(shown)])
    return table
