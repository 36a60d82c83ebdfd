"""Pure functions on (Geo)DataFrames: placing records in areas, counts, change, indices.

Nothing here reads files or knows about Streamlit or folium; callers pass frames in.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

RD_NEW = "EPSG:28992"


def locate(points: gpd.GeoSeries, buurten: gpd.GeoDataFrame, tolerance_m: float = 250) -> pd.DataFrame:
    """The buurtcode, wijkcode and gemeentecode of each point, by point-in-polygon.

    `buurten` is a buurt layer (code, wijkcode, gemeentecode, geometry). A point that
    lies just outside every buurt (the 2015 map has water cut out, so a point on a quay
    can miss) takes the nearest buurt within `tolerance_m`; farther off it gets None, which
    callers treat as outside the Netherlands. The result has the index of `points`.
    """
    columns = ["buurtcode", "wijkcode", "gemeentecode"]
    target = buurten[["code", "wijkcode", "gemeentecode", "geometry"]].rename(
        columns={"code": "buurtcode"}
    ).to_crs(RD_NEW)
    frame = gpd.GeoDataFrame(geometry=points.to_crs(RD_NEW))
    joined = gpd.sjoin_nearest(frame, target, how="left", max_distance=tolerance_m)
    joined = joined[~joined.index.duplicated(keep="first")]  # a point on a shared edge
    return joined.reindex(points.index)[columns].astype(object).where(lambda f: f.notna(), None)


def anchor_point(buurten: gpd.GeoDataFrame, buurtcode: str):
    """A point inside the buurt (for records that give only a buurtcode), or None."""
    match = buurten.loc[buurten["code"] == buurtcode, "geometry"]
    return None if match.empty else match.iloc[0].representative_point()
