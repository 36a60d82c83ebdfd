"""GeoPackage details the store and the exports share, so QGIS, GDAL and PDOK's validator accept them.

- Geometry blobs: the GeoPackage header plus WKB, written and read without GDAL, so records
  are written in plain SQLite transactions (store.transaction) and read fast.
- The SQL functions GeoPackage's R-tree triggers call (ST_MinX ... ST_IsEmpty): GDAL
  registers them in its own connections (QGIS edits through GDAL); ours need them too,
  or every write to a layer with a spatial index fails with "no such function".
- The layer extent in gpkg_contents, kept true after each write ("zoom to layer" uses it).
- Writing a layer the way PDOK's rules want it: GeoPackage 1.3 (GDAL 3.6, Debian's and
  QGIS 3.22's, warns on every open of a 1.4 file, and nothing of 1.4 is used), an R-tree
  index, exterior rings counter-clockwise and interior rings clockwise (rule RC20).
"""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

VERSION = "1.3"
SRS_ID = 4326
# The header's envelope indicator (flags bits 1-3) -> the envelope's length in bytes.
_ENVELOPE_BYTES = {0: 0, 1: 32, 2: 48, 3: 48, 4: 64}
_EMPTY_FLAG = 0b10000
_HEADER = struct.Struct("<2sBBi")  # magic "GP", version, flags, srs_id
# flags: little-endian, no envelope, not empty.
_POINT_HEADER = _HEADER.pack(b"GP", 0, 0x01, SRS_ID)
_WKB_POINT = struct.Struct("<BIdd")  # byte order, type, x, y


def point_blob(lon: float, lat: float) -> bytes:
    """A GeoPackage geometry blob of one WGS84 point."""
    return _POINT_HEADER + _WKB_POINT.pack(1, 1, lon, lat)


def _wkb(blob: bytes) -> bytes | None:
    """The WKB inside a GeoPackage blob, or None for an empty or unreadable one."""
    if len(blob) < _HEADER.size or blob[:2] != b"GP":
        return None
    flags = blob[3]
    if flags & _EMPTY_FLAG:
        return None
    start = _HEADER.size + _ENVELOPE_BYTES.get((flags >> 1) & 0b111, 0)
    return blob[start:]


def wkb_of(blob: bytes) -> bytes | None:
    """The WKB of a GeoPackage geometry blob (None when empty): how PostGIS takes it."""
    return _wkb(blob)


def point_coordinates(blobs) -> tuple[np.ndarray, np.ndarray]:
    """x and y of each point blob (NaN where there is no point): the position a GIS edit left."""
    x = np.full(len(blobs), np.nan)
    y = np.full(len(blobs), np.nan)
    for index, blob in enumerate(blobs):
        wkb = _wkb(blob) if blob is not None else None
        if wkb is None:
            continue
        if len(wkb) == _WKB_POINT.size and wkb[0] == 1 and struct.unpack_from("<I", wkb, 1)[0] == 1:
            x[index], y[index] = _WKB_POINT.unpack(wkb)[2:]
        else:  # big-endian, or a point with Z or M as some editors write it
            geometry = shapely.from_wkb(wkb, on_invalid="ignore")
            if geometry is not None and not geometry.is_empty:
                point = geometry.representative_point() if geometry.geom_type != "Point" else geometry
                x[index], y[index] = point.x, point.y
    return x, y


def _bounds(blob: bytes | None) -> tuple[float, float, float, float] | None:
    wkb = _wkb(blob) if blob is not None else None
    if wkb is None:
        return None
    if len(wkb) == _WKB_POINT.size and wkb[0] == 1 and struct.unpack_from("<I", wkb, 1)[0] == 1:
        x, y = _WKB_POINT.unpack(wkb)[2:]
        return x, y, x, y
    geometry = shapely.from_wkb(wkb, on_invalid="ignore")
    if geometry is None or geometry.is_empty:
        return None
    return tuple(geometry.bounds)


def _bound(position: int):
    def function(blob):
        bounds = _bounds(blob)
        return None if bounds is None else bounds[position]

    return function


def register_functions(connection: sqlite3.Connection) -> None:
    """The SQL functions of GeoPackage's R-tree triggers, as GDAL defines them."""
    for name, position in (("ST_MinX", 0), ("ST_MinY", 1), ("ST_MaxX", 2), ("ST_MaxY", 3)):
        connection.create_function(name, 1, _bound(position), deterministic=True)
    connection.create_function("ST_IsEmpty", 1, lambda blob: int(_bounds(blob) is None), deterministic=True)


def update_extent(connection: sqlite3.Connection, table: str, column: str = "geom") -> None:
    """Set the layer's extent in gpkg_contents to the bounds of what it holds (NULL when empty)."""
    bounds = connection.execute(
        f'SELECT MIN(minx), MIN(miny), MAX(maxx), MAX(maxy) FROM "rtree_{table}_{column}"'
    ).fetchone()
    connection.execute(
        "UPDATE gpkg_contents SET min_x = ?, min_y = ?, max_x = ?, max_y = ?,"
        " last_change = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') WHERE table_name = ?",
        (*bounds, table),
    )


def oriented(frame: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """`frame` with polygon rings oriented as GeoPackage readers expect (exterior counter-clockwise)."""
    geometries = frame.geometry.to_numpy()
    polygonal = np.isin(shapely.get_type_id(geometries), (3, 6))  # Polygon, MultiPolygon
    if not polygonal.any():
        return frame
    geometries = geometries.copy()
    geometries[polygonal] = shapely.orient_polygons(geometries[polygonal], exterior_cw=False)
    return frame.set_geometry(gpd.GeoSeries(geometries, index=frame.index, crs=frame.crs))


def write_layer(frame, path: Path, layer: str, **options) -> None:
    """Write one layer (a GeoDataFrame, or a plain table) into the GeoPackage at `path`.

    The first layer creates the file, as GeoPackage VERSION; later ones are added to it."""
    if isinstance(frame, gpd.GeoDataFrame):
        frame = oriented(frame)
    if not Path(path).exists():
        options.setdefault("VERSION", VERSION)
    pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG", **options)
