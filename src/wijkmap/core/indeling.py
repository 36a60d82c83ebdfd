"""Which area layer a view shows (level and year), and how lean its geometry is sent.

A layer is one indeling (the areas of a level as CBS drew them in a year); figures of a
year are drawn only on a layer whose codes they use."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from wijkmap.core import geometry

# Simplification tolerance (m) and coordinate decimals per level: coarse where a
# whole country is shown, finer where a person looks at one gemeente.
# The national view at 120 m / 4 decimals sent 785 KB (bench/benchmark_map.py); at zoom 7
# a pixel is ~750 m, so 300 m / 3 decimals loses nothing a reader can see.
DETAIL = {"gemeente": (300.0, 3), "wijk": (15.0, 5), "buurt": (10.0, 5)}

# The layers whose areas a view at each level may show, depending on the year.
CANDIDATE_LAYERS = {
    "buurt": ["buurt_2015"],
    "wijk": ["wijk_2015", "wijk_2024"],
    "gemeente": ["gemeente_2015", "gemeente_2023"],
}


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
    counts = rows.groupby("jaar").size().sort_index()
    return {int(year): int(count) for year, count in zip(counts.index, counts)}


def default_year(coverage: dict[int, int]) -> int | None:
    """The year to show when none is chosen: the best covered, the newest among equals.

    The newest year alone would colour the whole country grey when only one gemeente
    has figures for it."""
    return max(coverage, key=lambda year: (coverage[year], year)) if coverage else None


def lean_areas(areas: gpd.GeoDataFrame, niveau: str) -> gpd.GeoDataFrame:
    """The areas simplified for the browser (cache the result: this is the slow step)."""
    tolerance, _ = DETAIL[niveau]
    return geometry.simplify_coverage(areas, tolerance)
