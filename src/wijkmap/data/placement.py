"""Which buurt a record lies in: the buurten records are placed in, and placing them.

Every writer of records (the build, register and OpenStreetMap imports, contributions)
places through here, so all records of a gemeente carry codes of the same indeling.
"""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkmap.config import PLACEMENT_LAYER
from wijkmap.core import analysis
from wijkmap.data import store


def buurten(path: Path | None = None) -> gpd.GeoDataFrame:
    """The buurten records are placed in (code, naam, wijkcode, gemeentecode, geometry)."""
    return store.read_areas(PLACEMENT_LAYER, path=path)


def complete(records: pd.DataFrame, path: Path | None = None) -> pd.DataFrame:
    """`records` with the ones that lack buurt codes placed by their position.

    A record added or moved in a GIS (QGIS edits the store as it is) has no codes, or had
    them cleared by the store's triggers; it is placed here, on every read, rather than
    missing from its gemeente's map. A record outside every buurt keeps empty codes."""
    unplaced = records["gemeentecode"].fillna("") == ""
    if not unplaced.any():
        return records
    placed = place(records[unplaced], buurten(path))
    records = records.copy()
    columns = ["buurtcode", "wijkcode", "gemeentecode"]
    records.loc[unplaced, columns] = placed[columns]
    return records


def place(records: pd.DataFrame, buurten: gpd.GeoDataFrame) -> pd.DataFrame:
    """Fill buurtcode, wijkcode and gemeentecode from each record's position."""
    points = gpd.GeoSeries(gpd.points_from_xy(records["lon"], records["lat"]), crs=store.CRS, index=records.index)
    located = analysis.locate(points, buurten)
    records = records.copy()
    for column in located.columns:
        records[column] = located[column].fillna("")
    return records
