"""The data store: one GeoPackage (SQLite) file that QGIS can open as it is.

Layers:
- area layers (`buurt_2015`, `wijk_2015`, `gemeente_2015`, `gemeente_2023`, `gemeente_2025`,
  `wijk_2024`): written whole by `build-data`;
- `statistiek` (code, jaar, indicator, waarde, bron) and `indicator` (the catalogue): tables;
- `voorzieningen`: the records (see records.FIELDS) as points, written by imports.

Why this split: reference data is rebuilt whole into a temporary file that replaces the
store in one rename, and records are written in single SQLite transactions. Either way a
crash mid-write leaves the store as it was.
"""

from __future__ import annotations

import os
import sqlite3
import struct
from contextlib import closing
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from wijkmap.records import FIELDS

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_STORE = REPO_ROOT / "data" / "wijkmap.gpkg"
RECORDS = "voorzieningen"
STATISTICS = "statistiek"
CATALOGUE = "indicator"
CRS = "EPSG:4326"
_NUMERIC = {"lon", "lat"}
# A GeoPackage geometry header: magic, version 0, flags (little-endian, no envelope), srs id.
_GPKG_POINT_HEADER = b"GP" + bytes([0, 0x01]) + struct.pack("<i", 4326)
_NL_EXTENT = (3.2, 50.7, 7.3, 53.6)


class StoreMissing(FileNotFoundError):
    """The store file does not exist yet: run `python -m wijkmap build-data`."""


def store_path() -> Path:
    """Where the store lives: $WIJKMAP_STORE, or data/wijkmap.gpkg in the repository."""
    return Path(os.environ.get("WIJKMAP_STORE") or DEFAULT_STORE)


def _existing(path: Path | None) -> Path:
    path = Path(path) if path else store_path()
    if not path.exists():
        raise StoreMissing(
            f"Geen gegevensbestand op {path}. Maak het met: python -m wijkmap build-data"
        )
    return path


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout = 30000")
    return connection


# --- writing -------------------------------------------------------------------------


def write_store(
    path: Path | None,
    areas: dict[str, gpd.GeoDataFrame],
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    records: pd.DataFrame,
) -> Path:
    """Write a complete store to a temporary file, then move it over `path` in one step."""
    path = Path(path) if path else store_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f"{path.stem}.tmp-{os.getpid()}{path.suffix}")  # GDAL wants .gpkg
    temporary.unlink(missing_ok=True)
    try:
        for layer, frame in areas.items():
            pyogrio.write_dataframe(frame.to_crs(CRS), temporary, layer=layer, driver="GPKG")
        for layer, frame in ((STATISTICS, statistics), (CATALOGUE, catalogue)):
            pyogrio.write_dataframe(frame, temporary, layer=layer, driver="GPKG")
        with closing(_connect(temporary)) as connection, connection:
            connection.execute(
                f"CREATE INDEX idx_{STATISTICS}_lookup ON {STATISTICS} (indicator, jaar, code)"
            )
            _create_records_table(connection)
            _upsert(connection, records)
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    return path


def _create_records_table(connection: sqlite3.Connection) -> None:
    columns = ", ".join(
        f"{field} {'REAL' if field in _NUMERIC else 'TEXT'}"
        + (" NOT NULL UNIQUE" if field == "id" else "")
        for field in FIELDS
    )
    connection.execute(
        f"CREATE TABLE {RECORDS} (fid INTEGER PRIMARY KEY AUTOINCREMENT, geom POINT, {columns})"
    )
    connection.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, srs_id,"
        " min_x, min_y, max_x, max_y) VALUES (?, 'features', ?, ?, 4326, ?, ?, ?, ?)",
        (RECORDS, RECORDS, "Voorzieningen en initiatieven", *_NL_EXTENT),
    )
    connection.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?, 'geom', 'POINT', 4326, 0, 0)", (RECORDS,)
    )


def _point_blob(lon: float, lat: float) -> bytes:
    return _GPKG_POINT_HEADER + shapely.to_wkb(shapely.Point(lon, lat), byte_order=1)


def _upsert(connection: sqlite3.Connection, records: pd.DataFrame) -> tuple[int, int]:
    missing = [field for field in FIELDS if field not in records.columns]
    if missing:
        raise ValueError(f"records lack fields: {missing}")
    existing = {row[0] for row in connection.execute(f"SELECT id FROM {RECORDS}")}
    placeholders = ", ".join("?" for _ in range(len(FIELDS) + 1))
    updates = ", ".join(f"{field} = excluded.{field}" for field in ["geom", *FIELDS])
    rows = []
    for record in records[FIELDS].itertuples(index=False):
        values = [
            None if pd.isna(value) else (float(value) if field in _NUMERIC else str(value))
            for field, value in zip(FIELDS, record)
        ]
        lon, lat = values[FIELDS.index("lon")], values[FIELDS.index("lat")]
        rows.append([_point_blob(lon, lat), *values])
    connection.executemany(
        f"INSERT INTO {RECORDS} (geom, {', '.join(FIELDS)}) VALUES ({placeholders})"
        f" ON CONFLICT(id) DO UPDATE SET {updates}",
        rows,
    )
    ids = set(records["id"])
    updated = len(ids & existing)
    return len(ids) - updated, updated


def upsert_records(records: pd.DataFrame, path: Path | None = None) -> tuple[int, int]:
    """Insert or update records by id, all in one transaction. Returns (inserted, updated)."""
    with closing(_connect(_existing(path))) as connection, connection:
        return _upsert(connection, records)


# --- reading -------------------------------------------------------------------------


def read_areas(layer: str, gemeentecode: str | None = None, path: Path | None = None) -> gpd.GeoDataFrame:
    """An area layer (e.g. 'buurt_2015'), optionally only the areas of one gemeente."""
    where = None
    if gemeentecode:
        where = f"gemeentecode = '{_safe_code(gemeentecode)}'"
    frame = pyogrio.read_dataframe(_existing(path), layer=layer, where=where)
    return frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame


def area_layers(path: Path | None = None) -> list[str]:
    layers = pyogrio.list_layers(_existing(path))
    return [name for name, geometry in layers if geometry and name != RECORDS]


def read_statistics(
    path: Path | None = None,
    indicator: str | None = None,
    jaar: int | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of (code, jaar, indicator, waarde, bron), filtered by what is given."""
    clauses, parameters = [], []
    if indicator:
        clauses.append("indicator = ?")
        parameters.append(indicator)
    if jaar is not None:
        clauses.append("jaar = ?")
        parameters.append(int(jaar))
    if codes is not None:
        clauses.append(f"code IN ({', '.join('?' for _ in codes)})")
        parameters.extend(codes)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with closing(_connect(_existing(path))) as connection:
        return pd.read_sql_query(
            f"SELECT code, jaar, indicator, waarde, bron FROM {STATISTICS}{where}",
            connection,
            params=parameters,
        )


def read_catalogue(path: Path | None = None) -> pd.DataFrame:
    with closing(_connect(_existing(path))) as connection:
        frame = pd.read_sql_query(f"SELECT * FROM {CATALOGUE}", connection)
    return frame.drop(columns=["fid"], errors="ignore")


def read_records(
    path: Path | None = None, gemeentecode: str | None = None, bron: str | None = None
) -> gpd.GeoDataFrame:
    """The records (provisions and initiatives) as points, in a stable order."""
    clauses, parameters = [], []
    if gemeentecode:
        clauses.append("gemeentecode = ?")
        parameters.append(gemeentecode)
    if bron:
        clauses.append("bron = ?")
        parameters.append(bron)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    with closing(_connect(_existing(path))) as connection:
        frame = pd.read_sql_query(
            f"SELECT {', '.join(FIELDS)} FROM {RECORDS}{where} ORDER BY id", connection, params=parameters
        )
    text_fields = [field for field in FIELDS if field not in _NUMERIC]
    frame[text_fields] = frame[text_fields].fillna("")
    return gpd.GeoDataFrame(
        frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=CRS
    )


def _safe_code(code: str) -> str:
    if not code.replace("_", "").isalnum():
        raise ValueError(f"not an area code: {code!r}")
    return code
