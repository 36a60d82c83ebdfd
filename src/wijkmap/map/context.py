"""Context drawn under or over the data, as lean GeoJSON with their names (plain text,
escaped by OutlineLayer in the browser): the neighbouring gemeenten (a readable map
without tiles) and wijkteam service areas."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from wijkmap.core import analysis, geometry


def service_area_geojson(wijkteams: pd.DataFrame, buurten: gpd.GeoDataFrame) -> str | None:
    """The service area of each wijkteam (its werkgebied buurten, merged) as lean GeoJSON."""
    areas = analysis.service_areas(wijkteams, buurten)
    if areas.empty:
        return None
    return geometry.lean_geojson(areas, {"n": list(areas["naam"])}, decimals=5)


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
    return geometry.lean_geojson(around, {"n": list(around["naam"])}, decimals=3)
