"""Which area layer a view shows (level and year), and how lean its geometry is sent.

A layer is one indeling (the areas of a level as CBS drew them in a year), named
`<niveau>_<jaar>`. Figures of a year are drawn on the layer whose codes they use most
(view_layer); on a layer of another year only where code and population held
(comparable). Where two years' boundaries are known, their outlines tell whether a
code still means the same area (boundary_change)."""

from __future__ import annotations

import math
import re

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkmap.config import RD_NEW
from wijkmap.core import analysis, geometry

# Simplification tolerance (m) and coordinate decimals per level: coarse where a
# whole country is shown, finer where a person looks at one gemeente.
# The national view at 120 m / 4 decimals sent 785 KB (bench/benchmark_map.py); at zoom 7
# a pixel is ~750 m, so 300 m / 3 decimals loses nothing a reader can see.
DETAIL = {"gemeente": (300.0, 3), "wijk": (15.0, 5), "buurt": (10.0, 5)}

# The population rule for a code that stayed the same: a change of more than 30% and at
# least 50 people usually means another boundary or large new-build (18 of Utrecht's 111
# buurten between 2015 and 2023), so its figures are not the same area's.
BOUNDARY_CHANGE = 0.30
BOUNDARY_MIN_PEOPLE = 50

# Where the boundaries of both years are known, an area is another area when more than
# GEOMETRY_CHANGE of the two outlines together (their union) lies in only one of them,
# not counting strips narrower than 2 x GEOMETRY_EDGE_M: a redrawn or generalised edge is
# not a moved boundary. Measured on the bundled wijken of 2015 (TNO) and 2024 (CBS,
# generalised), drawn from different sources: Utrecht's and Rotterdam's wijken, which
# kept their boundaries, differ by at most 9% that way (up to 25% counting the strips).
GEOMETRY_CHANGE = 0.15
GEOMETRY_EDGE_M = 50.0

# Why an area of the layer gets no colour: no figure, or its code or boundary changed
# since the layer's own year (the population rule).
NO_FIGURE = "geen_cijfer"
CHANGED = "veranderd"


# What a person types for a gemeente: GM0150, gm0150, 0150, or 150 where a spreadsheet
# dropped the leading zero (only where `zeros_lost` allows it).
_TYPED_GEMEENTE = re.compile(r"^(?:GM)?(\d{1,4})$")


def typed_gemeentecode(text: str, zeros_lost: bool = False) -> str | None:
    """The gemeentecode (GM + 4 digits) a person typed, or None when it is not one."""
    match = _TYPED_GEMEENTE.match(text.strip().upper())
    if not match or (len(match.group(1)) < 4 and not zeros_lost):
        return None
    return "GM" + match.group(1).zfill(4)


def gemeente_of(codes: pd.Series) -> pd.Series:
    """The gemeentecode in each CBS area code (BU01500101 -> GM0150; "" where a code is not one)."""
    codes = codes.astype(str)
    digits = codes.str[2:6]  # slices, not a regex: this runs over the whole statistics table
    valid = codes.str[:2].isin(("GM", "WK", "BU")) & digits.str.isdigit() & (digits.str.len() == 4)
    return ("GM" + digits).where(valid, "")


def layer_name(niveau: str, jaar: int) -> str:
    """The store's name of the layer of a level in an indeling year (buurt_2015)."""
    return f"{niveau}_{jaar}"


def layer_parts(name: str) -> tuple[str, int] | None:
    """('buurt', 2015) for the layer name 'buurt_2015'; None for a name that is not `<niveau>_<jaar>`."""
    niveau, _, year = name.rpartition("_")
    if niveau not in DETAIL or not (year.isdigit() and len(year) == 4):
        return None
    return niveau, int(year)


def layer_year(name: str) -> int | None:
    """The indeling year of a layer name, None for a name that is not `<niveau>_<jaar>`."""
    parts = layer_parts(name)
    return parts[1] if parts else None


def year_of(name: str) -> int:
    """The indeling year of a layer name; a ValueError for a name that is not `<niveau>_<jaar>`
    (where only layer names can come, as from layers_of)."""
    year = layer_year(name)
    if year is None:
        raise ValueError(f"{name!r} is geen laagnaam <niveau>_<jaar>")
    return year


def layers_of(names, niveau: str) -> dict[str, int]:
    """The layers among `names` of one level, with their indeling year, oldest first."""
    found = {name: layer_year(name) for name in names if name.rpartition("_")[0] == niveau}
    return dict(sorted(((name, year) for name, year in found.items() if year is not None), key=lambda item: item[1]))


def pick_layer(matches: dict[str, int], years: dict[str, int], jaar: int) -> str | None:
    """The layer to draw figures of `jaar` on: the one whose codes match them best.

    `matches` counts, for each layer with areas in the view (a layer imported for some
    gemeenten has none elsewhere), those with a figure of that year and indicator;
    `years` is each layer's indeling year. Among equals the layer of `jaar` itself, then
    the newest. None when no layer has areas in the view."""
    if not matches:
        return None
    return max(matches, key=lambda name: (matches[name], years[name] == jaar, years[name]))


def view_layer(statistics: pd.DataFrame, indicator: str, jaar: int, codes_by_layer: dict[str, list]) -> str | None:
    """pick_layer for a view: `codes_by_layer` holds, per layer of the level, the codes of
    its areas in the view (the gemeente's, or all)."""
    rows = statistics[(statistics["indicator"] == indicator) & (statistics["jaar"] == jaar)]
    with_figure = set(rows["code"])
    matches = {name: len(with_figure.intersection(codes)) for name, codes in codes_by_layer.items() if len(codes)}
    return pick_layer(matches, {name: year_of(name) for name in matches}, jaar)


def population_jumped(
    before: pd.Series,
    after: pd.Series,
    threshold: float = BOUNDARY_CHANGE,
    min_people: int = BOUNDARY_MIN_PEOPLE,
) -> tuple[pd.Series, pd.Series]:
    """Per code: the relative change of inhabitants, and whether it jumped (the rule above).

    From none to some is an infinite change; an unknown count is never a jump."""
    before, after = before.astype(float), after.astype(float)
    grown = after - before
    change = grown / before.where(before > 0)
    change = change.mask((before == 0) & (after > 0), math.inf)
    change = change.mask((before == 0) & (after == 0), 0.0)
    return change, (change.abs() > threshold) & (grown.abs() >= min_people)


def comparable(
    statistics: pd.DataFrame,
    indicator: str,
    jaar: int,
    codes,
    layer_jaar: int,
    gemeenten=None,
) -> pd.Series:
    """Per code of a layer of `layer_jaar`: '' when its figure of `jaar` can be drawn on
    it, else why not: NO_FIGURE, or CHANGED (code or boundary changed since `layer_jaar`).

    Figures of another year than the layer's are drawn only where the code exists in the
    layer (the codes given) and its population did not jump between the two years: the
    same code on another area would colour the wrong place. A code without any figure of
    `jaar` while other areas of its gemeente (`gemeenten`, per code) have some no longer
    exists in that year's indeling: changed too."""
    codes = list(codes)
    index = pd.Index(codes, name="code")
    values = analysis.indicator_values(statistics, indicator, jaar, codes).astype(float)
    reasons = pd.Series("", index=index, dtype=object)
    reasons[values.isna().to_numpy()] = NO_FIGURE
    if jaar == layer_jaar:
        return reasons
    _, jumped = population_jumped(
        analysis.indicator_values(statistics, "inwoners", layer_jaar, codes),
        analysis.indicator_values(statistics, "inwoners", jaar, codes),
    )
    changed = jumped.to_numpy() & values.notna().to_numpy()
    if gemeenten is not None:
        in_year = set(statistics.loc[(statistics["jaar"] == jaar) & statistics["code"].isin(set(codes)), "code"])
        present = pd.Series([code in in_year for code in codes], index=index)
        gemeente = pd.Series(list(gemeenten), index=index)
        figured = set(gemeente[present])
        changed |= (~present & gemeente.isin(figured)).to_numpy()
    reasons[changed] = CHANGED
    return reasons


def boundary_change(older: gpd.GeoDataFrame, newer: gpd.GeoDataFrame) -> pd.DataFrame:
    """Per code in both layers, how its outline differs between them (in RD New).

    Columns: verschil, the share of the union of both outlines that lies in only one of
    them, strips along the edges left out (GEOMETRY_EDGE_M); veranderd, whether that
    makes it another area (GEOMETRY_CHANGE). Codes in one layer only are left out."""
    shared = sorted(set(older["code"]) & set(newer["code"]))
    index = pd.Index(shared, name="code")
    if not shared:
        return pd.DataFrame({"verschil": pd.Series(dtype=float), "veranderd": pd.Series(dtype=bool)}, index=index)
    a = older.drop_duplicates("code").set_index("code").loc[shared].geometry.to_crs(RD_NEW).make_valid()
    b = newer.drop_duplicates("code").set_index("code").loc[shared].geometry.to_crs(RD_NEW).make_valid()
    union = a.union(b, align=False).area.to_numpy()
    differing = a.symmetric_difference(b, align=False).buffer(-GEOMETRY_EDGE_M).area.to_numpy()
    share = np.divide(differing, union, out=np.zeros_like(union), where=union > 0)
    return pd.DataFrame({"verschil": share, "veranderd": share > GEOMETRY_CHANGE}, index=index)


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
