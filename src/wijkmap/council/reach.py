"""Reach: the share of a buurt's residents within a straight-line distance of a provision.

CBS counts residents per buurt, not per address, so they are taken to be spread evenly
over the buurt's area: the share within reach is the area of (buurt ∩ the union of
circles of that radius round the provisions) divided by the buurt's area, measured in
RD New (EPSG:28992) metres. A buurt of houses beside a large park is therefore
underestimated or overestimated; and the distance is as the crow flies: walking
distance (streets, rivers, railways, motorways) is not modelled.

Per target group (ouderen, alleenstaanden, jongeren) the same holds for the group's
residents (inwoners × the group's share, spread the same way) and the provisions whose
doelgroep includes the group or 'iedereen' (or is not given).

Pure: no Streamlit, no folium. shapely 2's vectorised functions do the geometry.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from scipy.spatial import cKDTree

from wijkmap.config import (
    RD_NEW,
    REACH_DISTANCES_M,
    REACH_LOCAL_ABOVE,
    REACH_SAMPLE_M,
    REACH_SAMPLED_ABOVE,
    REACH_SAMPLES_PER_AREA,
    WGS84,
)
from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.records import per_value, split_list
from wijkmap.council.need import indicator_year

# Target group -> how many of the area's residents belong to it: (count indicator,
# share indicator in %). Alleenstaanden are the single-person households (one person
# each); jongeren are the 0-14 year olds, the only young age group in the figures.
GROUPS: dict[str, tuple[str, str]] = {
    "ouderen": ("inwoners", "pct_65plus"),
    "alleenstaanden": ("huishoudens", "pct_eenpersoonshuishoudens"),
    "jongeren": ("inwoners", "pct_0_14"),
}
INWONERS = "inwoners"


def share_column(distance: int, group: str | None = None) -> str:
    """The column of the share within `distance` metres: aandeel_500, ouderen_aandeel_500."""
    return f"{group}_aandeel_{distance}" if group else f"aandeel_{distance}"


def matching(records: pd.DataFrame, categorie: str | None = None, doelgroep: str | None = None) -> pd.DataFrame:
    """The records of `categorie` (None = any) that are for `doelgroep` (None = anyone):
    its doelgroep lists the group or 'iedereen', or lists none."""
    if categorie:
        records = records[(per_value(records["soort"], vocab.category_of) == categorie).to_numpy()]
    if doelgroep:
        wanted = {doelgroep, "iedereen"}

        def meant_for_the_group(text) -> bool:
            groups = split_list(text)
            return not groups or not wanted.isdisjoint(groups)

        records = records[per_value(records["doelgroep"], meant_for_the_group).astype(bool).to_numpy()]
    return records


def covered_shares(
    areas: gpd.GeoSeries,
    points: np.ndarray,
    distances: Iterable[float],
    local_above: int = REACH_LOCAL_ABOVE,
    sampled_above: int = REACH_SAMPLED_ABOVE,
    grid: Callable[[], tuple[np.ndarray, np.ndarray]] | None = None,
) -> dict[float, np.ndarray]:
    """Per distance, per area (RD New polygons) the share of its area within that many
    metres of any of `points` (x, y in RD New, one row each): 0 without points, NaN for an
    area of no size.

    Up to `local_above` points the circles are joined once, and each area is cut with
    the part of that union inside its bounding box. With more (a national view over a
    national OpenStreetMap import: 30,000 provisions took a minute to join), each area is
    cut with the union of only the circles that reach its box, and an area whose box
    lies inside one circle is wholly covered without any cutting. Above `sampled_above`
    points (thousands of circles per buurt) the share is that of a grid of sample points
    in the area with a provision within reach (_covered_sampled), every distance
    measured in one pass; `grid` gives the samples of `areas` (_sample_grid), made once
    for several calls on the same areas."""
    distances = list(distances)
    shapes = areas.to_numpy()
    sizes = shapely.area(shapes)
    if not len(points) or not len(shapes):
        covered = {distance: np.zeros(len(shapes)) for distance in distances}
    elif len(points) > sampled_above:
        covered = _covered_sampled(shapes, points, distances, grid() if grid else _sample_grid(shapes))
    elif len(points) > local_above:
        circles = shapely.points(points)
        covered = {distance: _covered_locally(shapes, circles, distance) for distance in distances}
    else:
        circles = shapely.points(points)
        covered = {distance: _covered_jointly(shapes, circles, distance) for distance in distances}
    with np.errstate(invalid="ignore", divide="ignore"):
        return {
            distance: np.where(sizes > 0, np.clip(area / np.where(sizes > 0, sizes, np.nan), 0.0, 1.0), np.nan)
            for distance, area in covered.items()
        }


def _covered_jointly(shapes: np.ndarray, points: np.ndarray, distance: float) -> np.ndarray:
    """The covered area of each shape, from the union of all circles."""
    union = shapely.union_all(shapely.buffer(points, distance, quad_segs=16))
    local = np.array([shapely.clip_by_rect(union, *box) for box in shapely.bounds(shapes)], dtype=object)
    return shapely.area(shapely.intersection(shapes, local))


def _covered_locally(shapes: np.ndarray, points: np.ndarray, distance: float) -> np.ndarray:
    """The covered area of each shape, from the circles that reach its bounding box only."""
    covered = np.zeros(len(shapes))
    bounds = shapely.bounds(shapes)
    boxes = shapely.box(bounds[:, 0], bounds[:, 1], bounds[:, 2], bounds[:, 3])
    area_index, point_index = shapely.STRtree(points).query(boxes, predicate="dwithin", distance=distance)
    # A circle that holds the whole box (its farthest corner within reach) covers the area.
    xy = shapely.get_coordinates(points)[point_index]
    box = bounds[area_index]
    farthest = np.hypot(
        np.maximum(np.abs(xy[:, 0] - box[:, 0]), np.abs(xy[:, 0] - box[:, 2])),
        np.maximum(np.abs(xy[:, 1] - box[:, 1]), np.abs(xy[:, 1] - box[:, 3])),
    )
    whole = np.unique(area_index[farthest <= distance])
    covered[whole] = shapely.area(shapes[whole])
    rest = ~np.isin(area_index, whole)
    area_index, point_index = area_index[rest], point_index[rest]
    if not len(area_index):
        return covered
    order = np.argsort(area_index, kind="stable")
    area_index, point_index = area_index[order], point_index[order]
    pieces = shapely.intersection(shapely.buffer(points[point_index], distance, quad_segs=16), boxes[area_index])
    cuts = np.flatnonzero(np.diff(area_index)) + 1
    for group, part in zip(np.split(area_index, cuts), np.split(pieces, cuts)):
        covered[group[0]] = shapely.area(shapely.intersection(shapes[group[0]], shapely.union_all(part)))
    return covered


def _sample_grid(
    shapes: np.ndarray, spacing: float = REACH_SAMPLE_M, per_area: int = REACH_SAMPLES_PER_AREA
) -> tuple[np.ndarray, np.ndarray]:
    """A grid of sample points in each shape, `spacing` metres apart (coarser where the
    shape would get more than `per_area`), and the shape each sample is in. A shape
    narrower than the grid has its inner point; one of no size has none."""
    samples, owners = [np.empty((0, 2))], [np.empty(0, dtype=int)]
    for i, shape in enumerate(shapes):
        size = shapely.area(shape)
        if not size:
            continue
        step = max(spacing, float(np.sqrt(size / per_area)))
        west, south, east, north = shapely.bounds(shape)
        xs, ys = np.meshgrid(np.arange(west + step / 2, east, step), np.arange(south + step / 2, north, step))
        shapely.prepare(shape)
        inside = shapely.contains_xy(shape, xs.ravel(), ys.ravel())
        here = np.column_stack([xs.ravel()[inside], ys.ravel()[inside]])
        if not len(here):
            here = shapely.get_coordinates(shapely.point_on_surface(shape))
        samples.append(here)
        owners.append(np.full(len(here), i))
    return np.concatenate(samples), np.concatenate(owners)


def _covered_sampled(
    shapes: np.ndarray, points: np.ndarray, distances: list[float], grid: tuple[np.ndarray, np.ndarray]
) -> dict[float, np.ndarray]:
    """Per distance, the covered area of each shape, estimated: the shape's area times
    the share of its samples in `grid` (_sample_grid) that have one of `points` within
    that distance. One nearest-point query per sample for all distances, in a k-d tree of
    the points: its cost grows with the samples, hardly with the points (shapely's
    STRtree took fifteen times as long)."""
    samples, owners = grid
    tree = cKDTree(points)
    # How far each sample is from its nearest point (infinite beyond the farthest distance).
    nearest, _ = tree.query(samples, distance_upper_bound=np.nextafter(max(distances), np.inf))  # bound included
    counted = np.maximum(np.bincount(owners, minlength=len(shapes)), 1)
    sizes = shapely.area(shapes)
    return {
        distance: sizes * np.bincount(owners, weights=nearest <= distance, minlength=len(shapes)) / counted
        for distance in distances
    }


def reach(
    areas_gdf: gpd.GeoDataFrame,
    records: pd.DataFrame,
    statistics: pd.DataFrame,
    jaar: int,
    categorie: str | None = None,
    distances: Iterable[int] = REACH_DISTANCES_M,
) -> pd.DataFrame:
    """For each area (code, geometry) the residents and the share of them within each of
    `distances` metres (straight line) of a provision among `records` (lon, lat in WGS84;
    pass those of the neighbouring gemeenten too: a provision across the border counts)
    of `categorie` (None = any).

    Columns: inwoners, aandeel_<d> (0..1) and, where the figures give the group's size,
    <group> (residents of the group) and <group>_aandeel_<d> per GROUPS. Residents are
    those of `jaar`, or of the nearest year with figures (need.indicator_year)."""
    distances = list(distances)
    codes = list(areas_gdf["code"])
    index = pd.Index(codes, name="code")
    shapes = areas_gdf.to_crs(RD_NEW).geometry.reset_index(drop=True)
    # A label per record: each group's provisions are found among the chosen by label.
    # Only the columns used here: a selection copies every column of 100,000 records.
    located = records[["lon", "lat", "soort", "doelgroep"]]
    located = located[located["lon"].notna() & located["lat"].notna()].reset_index(drop=True)
    chosen = matching(located, categorie)
    table = pd.DataFrame(index=index)
    table[INWONERS] = _figure(statistics, INWONERS, jaar, codes)
    near = _near(shapes, max(distances, default=0)) if distances else None
    done: dict[tuple, dict] = {}  # a group served by the same provisions as all: no second union
    positions = _points(chosen, near)  # each group's provisions are some of these
    grid = functools.cache(lambda: _sample_grid(shapes.to_numpy()))  # the same areas for every group

    def shares(records: pd.DataFrame, distance: int) -> np.ndarray:
        key = tuple(records.index)
        if key not in done:
            points = positions[positions.index.isin(records.index)].to_numpy()
            done[key] = covered_shares(shapes, points, distances, grid=grid)
        return done[key][distance]

    for distance in distances:
        table[share_column(distance)] = shares(chosen, distance)
    for group, (count, share) in GROUPS.items():
        size = _figure(statistics, count, jaar, codes) * _figure(statistics, share, jaar, codes) / 100
        if size.isna().all():
            continue  # the figures do not give this group's size here
        table[group] = size.round().to_numpy()
        for distance in distances:
            table[share_column(distance, group)] = shares(matching(chosen, doelgroep=group), distance)
    return table


def _figure(statistics: pd.DataFrame, indicator: str, jaar: int, codes: list[str]) -> pd.Series:
    year = indicator_year(statistics, indicator, jaar, codes)
    if year is None:
        return pd.Series(np.nan, index=pd.Index(codes, name="code"))
    return analysis.indicator_values(statistics, indicator, year, codes).astype(float).rename_axis("code")


def _near(shapes: gpd.GeoSeries, distance: float):
    """The box round the areas, widened by `distance`: provisions farther off reach none."""
    if shapes.empty:
        return None
    west, south, east, north = shapes.total_bounds
    return shapely.box(west - distance, south - distance, east + distance, north + distance)


def _points(records: pd.DataFrame, near) -> pd.DataFrame:
    """The records' positions in RD New (columns x, y, by the records' index), those
    inside `near` only."""
    if records.empty or near is None:
        return pd.DataFrame({"x": [], "y": []}, dtype=float)
    # Coordinates, no shapely Points: making them took 0.2 s for 77,000 records, and the
    # sampled way (most records) needs none.
    x, y = _to_rd_new().transform(records["lon"].to_numpy(float), records["lat"].to_numpy(float))
    west, south, east, north = near.bounds
    inside = (x >= west) & (x <= east) & (y >= south) & (y <= north)
    return pd.DataFrame({"x": x[inside], "y": y[inside]}, index=records.index[inside])


@functools.cache
def _to_rd_new() -> pyproj.Transformer:
    return pyproj.Transformer.from_crs(WGS84, RD_NEW, always_xy=True)
