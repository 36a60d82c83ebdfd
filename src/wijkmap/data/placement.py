"""Which buurt a record lies in: the buurten records are placed in, and placing them.

Every writer of records (the build, register and OpenStreetMap imports, contributions)
places through here. The store may hold several buurt layers (`buurt_2015`, and newer
indelingen imported for some gemeenten): records are placed, per gemeente, in the newest
buurt layer that covers it, so all records of a gemeente carry codes of one indeling and
a newer indeling imported for one gemeente does not unplace records elsewhere.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from wijkmap.core import analysis, indeling
from wijkmap.data import store


def combine(layers: dict[str, gpd.GeoDataFrame]) -> gpd.GeoDataFrame:
    """The buurten to place in, from buurt layers by name: per gemeente the newest layer
    that has its buurten.

    A gemeente merged or renamed since an older layer has another code there; that
    layer's buurten whose interior point lies in a newer layer's buurt are left out, so
    no place lies in two buurten. Every row keeps its layer's year (`jaar`)."""
    ordered = sorted(layers.items(), key=lambda item: indeling.layer_year(item[0]) or 0, reverse=True)
    chosen: list[gpd.GeoDataFrame] = []
    for name, frame in ordered:
        frame = frame.assign(jaar=indeling.layer_year(name))
        if chosen:
            newer = pd.concat(chosen, ignore_index=True)
            frame = frame[~frame["gemeentecode"].isin(set(newer["gemeentecode"]))]
            if not frame.empty:
                inside = gpd.sjoin(
                    gpd.GeoDataFrame(geometry=frame.geometry.representative_point(), crs=frame.crs),
                    newer[["geometry"]].to_crs(frame.crs),
                    predicate="within",
                ).index
                frame = frame[~frame.index.isin(inside)]
        if not frame.empty:
            chosen.append(frame)
    if not chosen:
        if not layers:
            raise store.StoreMissing("het gegevensbestand heeft geen buurtlaag om voorzieningen in te plaatsen")
        return next(iter(layers.values())).assign(jaar=pd.Series(dtype="Int64")).iloc[0:0]
    return gpd.GeoDataFrame(pd.concat(chosen, ignore_index=True), geometry="geometry", crs=chosen[0].crs)


def buurt_layers(names) -> list[str]:
    """The buurt layers among the store's area layers, oldest first."""
    return list(indeling.layers_of(names, "buurt"))


def buurten(path: store.Location | None = None) -> gpd.GeoDataFrame:
    """The buurten records are placed in (code, naam, wijkcode, gemeentecode, jaar, geometry)."""
    names = buurt_layers(store.area_layers(path))
    return combine({name: store.read_areas(name, path=path) for name in names})


def buurten_of(gemeentecode: str, path: store.Location | None = None) -> gpd.GeoDataFrame:
    """The buurten of one gemeente that its records are placed in."""
    names = buurt_layers(store.area_layers(path))
    return combine({name: store.read_areas(name, gemeentecode=gemeentecode, path=path) for name in names})


def buurten_in(bbox: tuple[float, float, float, float], path: store.Location | None = None) -> gpd.GeoDataFrame:
    """The buurten to place in that touch `bbox` (west, south, east, north in WGS84)."""
    names = buurt_layers(store.area_layers(path))
    return combine({name: store.read_areas_in(name, bbox, path) for name in names})


def years_by_name(layers: dict[str, pd.DataFrame]) -> dict[str, int]:
    """Per gemeentecode the indeling year of the buurt layer its records are placed in,
    from the layers' codes alone (no geometry: what combine decides by gemeentecode)."""
    years: dict[str, int] = {}
    for name, frame in sorted(layers.items(), key=lambda item: indeling.layer_year(item[0]) or 0, reverse=True):
        for code in frame["gemeentecode"].unique():
            years.setdefault(str(code), indeling.year_of(name))
    return years


def names(path: store.Location | None = None) -> pd.DataFrame:
    """code, naam, wijkcode, gemeentecode of every buurt a record can be placed in (per
    gemeente those of the newest buurt layer that has it), without geometry."""
    layers = {name: store.read_area_names(name, path) for name in buurt_layers(store.area_layers(path))}
    years = years_by_name(layers)
    frames = [frame[frame["gemeentecode"].map(years) == indeling.layer_year(name)] for name, frame in layers.items()]
    if not frames:
        return pd.DataFrame(columns=["code", "naam", "wijkcode", "gemeentecode"])
    return pd.concat(frames, ignore_index=True)


def complete(records: pd.DataFrame, path: store.Location | None = None) -> pd.DataFrame:
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


def place_again(located: gpd.GeoDataFrame, path: store.Location | None = None) -> int:
    """Place every record of the store again in `located` (the store's buurten, see
    `buurten`); returns how many moved.

    Run after a rebuild: records carried over from imports and contributions were placed
    in the buurten of the old store, and a new indeling for their gemeente gives them new
    codes. What moved is written under the store's write lock, read again there, so no
    write in between is overwritten."""
    columns = ["buurtcode", "wijkcode", "gemeentecode"]

    def moved_records() -> pd.DataFrame:
        records = pd.DataFrame(store.read_records(path).drop(columns="geometry"))
        if records.empty:
            return records
        placed = place(records, located)
        return placed[(placed[columns] != records[columns]).any(axis=1)]

    if moved_records().empty:  # the usual case: no write, no lock
        return 0
    with store.transaction(path) as connection:
        moved = moved_records()
        if not moved.empty:
            store.upsert_records(moved, connection=connection)
    return len(moved)
