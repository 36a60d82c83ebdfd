"""Geometry made lean for the browser.

Area layers are simplified as a coverage (shared edges stay shared, so no slivers or
gaps open between neighbours) and written as GeoJSON with rounded coordinates and only
the properties the map uses. This is what keeps a gemeente's buurten within budget.
"""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import shapely

from wijkmap.config import RD_NEW, WGS84


def simplify_coverage(areas: gpd.GeoDataFrame, tolerance_m: float) -> gpd.GeoDataFrame:
    """The areas with their shared edges simplified together (in metres, RD New)."""
    if areas.empty or tolerance_m <= 0:
        return areas
    projected = areas.geometry.to_crs(RD_NEW)
    simplified = shapely.coverage_simplify(projected.to_numpy(), tolerance_m, simplify_boundary=True)
    simplified = shapely.make_valid(simplified)
    frame = areas.copy()
    frame.geometry = gpd.GeoSeries(simplified, index=areas.index, crs=RD_NEW).to_crs(areas.crs)
    return frame


def lean_geojson(areas: gpd.GeoDataFrame, properties: dict[str, list], decimals: int = 5) -> str:
    """A FeatureCollection as compact JSON text.

    `properties` maps short property names to one value per area (in the areas' order);
    only those are sent. 5 decimals of a degree is about 1 m, far below what the
    simplification keeps."""
    geometries = areas.geometry.to_crs(WGS84).to_numpy()
    # Reprojecting a simplified outline can leave it invalid (an imported layer whose
    # edges do not meet exactly), and snapping an invalid one fails: repair those first.
    invalid = ~shapely.is_valid(geometries)
    geometries[invalid] = shapely.make_valid(geometries[invalid])
    # Snapping to the grid also drops the points that rounding makes coincide.
    rounded = shapely.set_precision(geometries, 10.0**-decimals)
    geometries = shapely.to_geojson(rounded)
    features = []
    for index, geometry in enumerate(geometries):
        props = {key: _plain(values[index]) for key, values in properties.items()}
        features.append(f'{{"type":"Feature","properties":{script_json(props)},"geometry":{geometry}}}')
    return '{"type":"FeatureCollection","features":[' + ",".join(features) + "]}"


def _plain(value):
    if isinstance(value, (np.integer,)):
        return int(value)
    if isinstance(value, (np.floating, float)):
        return None if np.isnan(value) else round(float(value), 2)
    return value


def script_json(value) -> str:
    """JSON to embed in a <script>: compact, and no "<" that could close the tag."""
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).replace("<", "\\u003c")
