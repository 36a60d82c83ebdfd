"""The store in a PostgreSQL database with PostGIS: what store.py does for a GeoPackage.

Everything lives in schema backend.SCHEMA ("wijkmap"): the area layers (geometry in
EPSG:4326, GiST-indexed, `fid` keeping the order they were written in), `statistiek`,
`indicator`, `voorzieningen` (geometry(Point, 4326), GiST index, unique id, and a
trigger that does what the GeoPackage's triggers do for a GIS edit), the SIDE_TABLES the
app writes, and `versie`, one row every write bumps (data_version: the key every app
process's caches are read under, so a change shows in all of them).

Writers (store.transaction) queue on one advisory lock, as SQLite writers queue on its
write lock, so the read-then-write steps of batches, the queue and imports see no
interleaving. A rebuild (write_store) builds a fresh schema in one transaction and, at its
end, takes that same lock, copies what writers added meanwhile (SIDE_TABLES, the records
of other bronnen than the bundled ones), and renames the schemas: one commit, so readers
see the old store or the new one and nothing a writer was told is saved is lost. A writer
that waited for the lock then writes to the new schema (names resolve per statement).

Rows of records travel as store.py's do, (geom, *FIELDS) with geom a GeoPackage point
blob, so batches and undo compare and restore the same values on either backend.
"""

from __future__ import annotations

import logging
import os
import secrets
from collections.abc import Collection, Iterable, Iterator
from contextlib import closing, contextmanager

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from wijkmap.core.records import FIELDS
from wijkmap.data import gpkg
from wijkmap.data.backend import SCHEMA, PgConnection, borrow, connect_postgres, masked, missing

log = logging.getLogger(__name__)

RECORDS, STATISTICS, CATALOGUE, VERSION_TABLE = "voorzieningen", "statistiek", "indicator", "versie"
SRID = 4326
_NUMERIC = {"lon", "lat"}
WRITE_LOCK = 0x77696A6B6D6170  # "wijkmap": the advisory lock every writer and a rebuild's swap take
# The blob of store.py's rows from a PostGIS point: GeoPackage header ("GP", version 0,
# flags little-endian without envelope, srs_id 4326) + little-endian WKB.
_GPKG_HEADER_HEX = "4750" + "00" + "01" + SRID.to_bytes(4, "little").hex()
GEOM_AS_BLOB = f"('\\x{_GPKG_HEADER_HEX}'::bytea || ST_AsBinary(geom, 'NDR'))"


def _q(name: str) -> str:
    """A table or column name, quoted."""
    return '"' + name.replace('"', '""') + '"'


def _schema_exists(connection: PgConnection, schema: str = SCHEMA) -> bool:
    return connection.execute("SELECT 1 FROM pg_namespace WHERE nspname = ?", [schema]).fetchone() is not None


def connect(url: str, fresh: bool = False) -> PgConnection:
    """A reading connection (autocommit; borrowed, see backend.borrow, unless `fresh`);
    StoreMissing when the database has no store yet. A borrowed connection the server
    dropped meanwhile (a restart) is replaced by a new one."""
    import psycopg

    connection = connect_postgres(url) if fresh else borrow(url)
    try:
        exists = _schema_exists(connection)
    except psycopg.OperationalError:
        connection.raw.close()
        if fresh:
            raise
        return connect(url, fresh=True)
    if not exists:
        connection.close()
        raise missing(url)
    return connection


# --- the catalogue ----------------------------------------------------------------------


def has_table(connection: PgConnection, name: str) -> bool:
    row = connection.execute(
        "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?", [name]
    ).fetchone()
    return row is not None


def table_columns(connection: PgConnection, name: str) -> list[str]:
    rows = connection.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
        " AND table_name = ? ORDER BY ordinal_position",
        [name],
    ).fetchall()
    return [row[0] for row in rows]


def read_frame(connection: PgConnection, sql: str, parameters: Iterable = ()) -> pd.DataFrame:
    """The rows of a query as a DataFrame, as pandas.read_sql_query makes one of SQLite's."""
    cursor = connection.execute(sql, list(parameters))
    columns = [column.name for column in cursor.description]
    rows = cursor.fetchall()
    if not rows:
        return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
    return pd.DataFrame.from_records(rows, columns=columns, coerce_float=True)


# --- versions ---------------------------------------------------------------------------


def data_version(url: str) -> int:
    """The number of writes and rebuilds the store has seen (0 without a store): one
    round trip on a borrowed connection, as every page run asks it first."""
    import psycopg

    for fresh in (False, True):
        connection = connect_postgres(url) if fresh else borrow(url)
        try:
            row = connection.execute(f"SELECT n FROM {SCHEMA}.{VERSION_TABLE}").fetchone()
        except psycopg.errors.UndefinedTable:
            connection.close()
            return 0
        except psycopg.OperationalError:  # a kept connection the server dropped: once more, new
            connection.raw.close()
            if fresh:
                raise
            continue
        connection.close()
        return int(row[0]) if row else 0
    return 0


# --- transactions ---------------------------------------------------------------------------


@contextmanager
def transaction(url: str) -> Iterator[PgConnection]:
    """One write transaction: waits for the write lock (other writers, a rebuild's swap),
    bumps the version, commits on success and rolls back on error."""
    connection = connect(url, fresh=True)
    try:
        with connection.raw.transaction():
            connection.execute("SELECT pg_advisory_xact_lock(?)", [WRITE_LOCK])
            _add_missing_fields(connection)
            connection.execute(f"UPDATE {VERSION_TABLE} SET n = n + 1")
            yield connection
    finally:
        connection.close()


def _add_missing_fields(connection: PgConnection) -> None:
    present = set(table_columns(connection, RECORDS))
    for field in [field for field in FIELDS if present and field not in present]:
        kind = "DOUBLE PRECISION" if field in _NUMERIC else 'TEXT COLLATE "C"'
        connection.execute(f"ALTER TABLE {RECORDS} ADD COLUMN {field} {kind}")
        log.info("kolom %s toegevoegd aan %s", field, RECORDS)


# --- records ----------------------------------------------------------------------------------


def field_columns(connection: PgConnection) -> str:
    present = set(table_columns(connection, RECORDS))
    return ", ".join(field if field in present else f"'' AS {field}" for field in FIELDS)


def row_columns(connection: PgConnection) -> str:
    """The SELECT list of a stored row (geom as a GeoPackage blob, *FIELDS)."""
    return f"{GEOM_AS_BLOB} AS geom, {field_columns(connection)}"


def _geometry(blob: bytes | None) -> bytes | None:
    return None if blob is None else gpkg.wkb_of(bytes(blob))


_ROW_VALUES = ", ".join(["ST_GeomFromWKB(%s, 4326)", *["%s"] * len(FIELDS)])
_UPSERT_SQL = (
    f"INSERT INTO {RECORDS} (geom, {', '.join(FIELDS)}) VALUES ({_ROW_VALUES})"
    f" ON CONFLICT (id) DO UPDATE SET {', '.join(f'{name} = excluded.{name}' for name in ['geom', *FIELDS])}"
)
_ID_AT = 1 + FIELDS.index("id")


def read_rows(connection: PgConnection, ids: Iterable[str]) -> dict[str, tuple]:
    ids = list(dict.fromkeys(ids))
    if not ids:
        return {}
    query = f"SELECT {row_columns(connection)} FROM {RECORDS} WHERE id = ANY(%s)"
    return {row[_ID_AT]: tuple(row) for row in connection.raw.execute(query, [ids])}


def write_rows(connection: PgConnection, rows: Iterable) -> tuple[int, int]:
    """Insert rows of (geom blob, *FIELDS), or update the record of the same id."""
    by_id = {row[_ID_AT]: row for row in rows}
    if not by_id:
        return 0, 0
    existing = {row[0] for row in connection.raw.execute(f"SELECT id FROM {RECORDS} WHERE id = ANY(%s)", [list(by_id)])}
    with connection.raw.cursor() as cursor:
        cursor.executemany(_UPSERT_SQL, [[_geometry(row[0]), *row[1:]] for row in by_id.values()])
    updated = len(by_id.keys() & existing)
    return len(by_id) - updated, updated


def delete_records(connection: PgConnection, ids: list[str]) -> int:
    return connection.raw.execute(f"DELETE FROM {RECORDS} WHERE id = ANY(%s)", [ids]).rowcount


def read_records(url: str, where: str, parameters: list) -> pd.DataFrame:
    """The records as store.read_records reads them from a GeoPackage: geom blob and FIELDS,
    filtered by store.read_records' `where` clause (SQLite-style placeholders)."""
    with closing(connect(url)) as connection:
        present = set(table_columns(connection, RECORDS))
        selected = ", ".join(field if field in present else f"NULL AS {field}" for field in FIELDS)
        frame = read_frame(
            connection, f"SELECT {GEOM_AS_BLOB} AS geom, {selected} FROM {RECORDS}{where} ORDER BY id", parameters
        )
    frame["geom"] = [None if blob is None else bytes(blob) for blob in frame["geom"]]
    for field in _NUMERIC:
        frame[field] = pd.to_numeric(frame[field], errors="coerce").astype(float)
    return frame


# --- areas and tables ----------------------------------------------------------------------------


def area_layers(url: str) -> list[str]:
    with closing(connect(url)) as connection:
        rows = connection.execute(
            "SELECT c.relname FROM geometry_columns g JOIN pg_class c ON c.relname = g.f_table_name"
            " JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = g.f_table_schema"
            " WHERE g.f_table_schema = current_schema() AND c.relname != ? ORDER BY c.oid",
            [RECORDS],
        ).fetchall()
    return [row[0] for row in rows]


def layer_counts(url: str) -> dict[str, int]:
    counts = {}
    with closing(connect(url)) as connection:
        for layer in area_layers(url):
            counts[layer] = int(connection.execute(f"SELECT COUNT(*) FROM {_q(layer)}").fetchone()[0])
    return counts


def _read_layer(url: str, layer: str, where: str = "", parameters: list | None = None) -> gpd.GeoDataFrame:
    with closing(connect(url)) as connection:
        columns = [name for name in table_columns(connection, layer) if name not in ("fid", "geom")]
        if not columns and not has_table(connection, layer):
            raise ValueError(f"geen laag {layer!r} in {masked(url)}")
        selected = ", ".join([*map(_q, columns), "ST_AsBinary(geom) AS geom"])
        frame = read_frame(connection, f"SELECT {selected} FROM {_q(layer)}{where} ORDER BY fid", parameters or [])
    geometry = shapely.from_wkb([None if blob is None else bytes(blob) for blob in frame.pop("geom")])
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(geometry, index=frame.index, crs=f"EPSG:{SRID}"))


def read_areas(url: str, layer: str, gemeentecode: str | None) -> gpd.GeoDataFrame:
    if gemeentecode:
        return _read_layer(url, layer, " WHERE gemeentecode = ?", [gemeentecode])
    return _read_layer(url, layer)


def read_areas_in(url: str, layer: str, bbox: tuple[float, float, float, float]) -> gpd.GeoDataFrame:
    """The areas touching `bbox`: the GiST index finds them, ST_Intersects keeps the true ones."""
    return _read_layer(url, layer, " WHERE ST_Intersects(geom, ST_MakeEnvelope(?, ?, ?, ?, 4326))", [*map(float, bbox)])


def read_area_names(url: str, layer: str) -> pd.DataFrame:
    columns = ["code", "naam", "wijkcode", "gemeentecode"]
    with closing(connect(url)) as connection:
        return read_frame(connection, f"SELECT {', '.join(columns)} FROM {_q(layer)} ORDER BY fid")[columns]


def read_table(url: str, sql: str, parameters: Iterable = ()) -> pd.DataFrame:
    with closing(connect(url)) as connection:
        return read_frame(connection, sql, parameters)


# --- building -------------------------------------------------------------------------------------


def _column_type(series: pd.Series) -> str:
    if pd.api.types.is_bool_dtype(series):
        return "BOOLEAN"
    if pd.api.types.is_integer_dtype(series):
        return "BIGINT"
    if pd.api.types.is_float_dtype(series):
        return "DOUBLE PRECISION"
    return 'TEXT COLLATE "C"'


def _plain(value):
    if value is None or (not isinstance(value, str | bytes) and bool(pd.isna(value))):
        return None
    if isinstance(value, np.generic):
        return value.item()
    return value


def _column_values(series: pd.Series) -> np.ndarray:
    """The values COPY writes; in a text column as GDAL writes them to a GeoPackage (True as "True")."""
    values = series.astype(object).to_numpy()
    if _column_type(series).startswith("TEXT"):
        values = np.array([value if value is None or isinstance(value, str) else _text(value) for value in values],
                          dtype=object)  # fmt: skip
    return values


def _text(value) -> str | None:
    plain = _plain(value)
    return None if plain is None else str(plain)


def _promoted(geometries: np.ndarray) -> np.ndarray:
    """Single parts made multi when a layer mixes them, as GDAL writes a GeoPackage layer."""
    types = set(shapely.get_type_id(geometries[~shapely.is_missing(geometries)]).tolist())
    for single, multi, make in (
        (3, 6, shapely.multipolygons),
        (1, 4, shapely.multipoints),
        (2, 5, shapely.multilinestrings),
    ):
        if single in types and multi in types:
            geometries = geometries.copy()
            singles = shapely.get_type_id(geometries) == single
            geometries[singles] = [make([geometry]) for geometry in geometries[singles]]
    return geometries


def _write_table(connection: PgConnection, schema: str, name: str, frame: pd.DataFrame) -> None:
    """A table (or, with a geometry, a layer) of `frame`'s columns, filled with COPY."""
    geometric = isinstance(frame, gpd.GeoDataFrame)
    columns = [column for column in frame.columns if not (geometric and column == frame.geometry.name)]
    definitions = ["fid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY"]
    definitions += [f"{_q(column)} {_column_type(frame[column])}" for column in columns]
    if geometric:
        definitions.append(f"geom geometry(Geometry, {SRID})")
    table = f"{_q(schema)}.{_q(name)}"
    connection.raw.execute(f"CREATE TABLE {table} ({', '.join(definitions)})")
    names = [*map(_q, columns), *(["geom"] if geometric else [])]
    values = [_column_values(frame[column]) for column in columns]
    if geometric:
        geometries = shapely.set_srid(_promoted(frame.geometry.to_numpy()), SRID)
        values.append(shapely.to_wkb(geometries, hex=True, include_srid=True))
    with connection.raw.cursor().copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
        for row in zip(*values, strict=True) if values else ():
            copy.write_row([_plain(value) for value in row])
    if geometric:
        connection.raw.execute(f"CREATE INDEX ON {table} USING GIST (geom)")
        if "gemeentecode" in columns:
            connection.raw.execute(f"CREATE INDEX ON {table} (gemeentecode)")


def _create_records(connection: PgConnection, schema: str) -> None:
    """The records layer, with what the GeoPackage's triggers do when a GIS edits it: a
    moved point gets its lon/lat and loses its buurt codes (placement places it again);
    a point added without id or bron gets both."""
    from wijkmap.data.store import GIS_BRON, GIS_ID_PREFIX

    text = 'TEXT COLLATE "C"'
    fields = ", ".join(f"{field} {'DOUBLE PRECISION' if field in _NUMERIC else text}" for field in FIELDS)
    table = f"{_q(schema)}.{RECORDS}"
    raw = connection.raw
    raw.execute(
        f"CREATE TABLE {table} (fid BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,"
        f" geom geometry(Point, {SRID}), {fields})"
    )
    raw.execute(f"CREATE UNIQUE INDEX ON {table} (id)")
    raw.execute(f"CREATE INDEX ON {table} USING GIST (geom)")
    raw.execute(f"CREATE INDEX ON {table} (gemeentecode)")
    raw.execute(
        f"CREATE FUNCTION {_q(schema)}.{RECORDS}_gis() RETURNS trigger LANGUAGE plpgsql AS $body$ BEGIN"
        " IF NEW.geom IS NOT NULL AND NOT public.ST_IsEmpty(NEW.geom) AND (NEW.lon IS DISTINCT FROM public.ST_X(NEW.geom)"
        " OR NEW.lat IS DISTINCT FROM public.ST_Y(NEW.geom)) THEN"
        " NEW.lon := public.ST_X(NEW.geom); NEW.lat := public.ST_Y(NEW.geom);"
        " NEW.buurtcode := ''; NEW.wijkcode := ''; NEW.gemeentecode := ''; END IF;"
        " IF TG_OP = 'INSERT' THEN"
        f" IF COALESCE(NEW.id, '') = '' THEN NEW.id := '{GIS_ID_PREFIX}' || NEW.fid; END IF;"
        f" IF COALESCE(NEW.bron, '') = '' THEN NEW.bron := '{GIS_BRON}'; END IF; END IF;"
        " RETURN NEW; END $body$"
    )
    raw.execute(
        f"CREATE TRIGGER {RECORDS}_gis BEFORE INSERT OR UPDATE OF geom ON {table}"
        f" FOR EACH ROW EXECUTE FUNCTION {_q(schema)}.{RECORDS}_gis()"
    )


def ensure_postgis(connection: PgConnection) -> None:
    if connection.execute("SELECT 1 FROM pg_extension WHERE extname = 'postgis'").fetchone() is None:
        connection.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        log.info("PostGIS ingeschakeld in %s", masked(connection.url))


def write_store(
    url: str,
    areas: dict[str, gpd.GeoDataFrame],
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    rows: list,
    bundled_bronnen: Collection[str] | None,
    side_tables: Collection[str],
    tables: dict[str, pd.DataFrame | None] | None = None,
) -> dict[str, int]:
    """Build a complete store in a fresh schema and swap it in (module docstring), in one
    transaction; returns the records carried over from the old store per bron. `tables`
    are further plain tables built from sources (the buurten's postcodes)."""
    build = f"{SCHEMA}_bouw_{os.getpid()}_{secrets.token_hex(4)}"
    with closing(connect_postgres(url, schema=build)) as connection:
        ensure_postgis(connection)
        with connection.raw.transaction():
            connection.raw.execute(f"CREATE SCHEMA {_q(build)}")
            for layer, frame in areas.items():
                _write_table(connection, build, layer, gpkg.oriented(frame))
            _write_table(connection, build, STATISTICS, statistics)
            _write_table(connection, build, CATALOGUE, catalogue)
            for name, frame in (tables or {}).items():
                if frame is not None:
                    _write_table(connection, build, name, frame)
            connection.raw.execute(
                f"CREATE INDEX idx_{STATISTICS}_lookup ON {_q(build)}.{STATISTICS} (indicator, jaar, code)"
            )
            _create_records(connection, build)
            write_rows(connection, rows)
            connection.raw.execute(f"CREATE TABLE {_q(build)}.{VERSION_TABLE} (n BIGINT NOT NULL)")
            connection.raw.execute(f"INSERT INTO {_q(build)}.{VERSION_TABLE} VALUES (1)")
            log.info("nieuw gegevensbestand gebouwd in schema %s (%d records)", build, len(rows))
            carried = _swap_in(connection, build, bundled_bronnen, side_tables)
    log.info("gegevensbestand vervangen: %s; overgenomen records per bron: %s", masked(url), carried or "geen")
    return carried


def _swap_in(
    connection: PgConnection, build: str, bundled_bronnen: Collection[str] | None, side_tables: Collection[str]
) -> dict[str, int]:
    """Take the write lock (writers wait from here to the commit), copy the old schema's
    side tables and other records into `build`, carry the version on, and rename `build`
    to SCHEMA. A rebuild that swapped first is the old schema here: this one carries over
    from it."""
    raw = connection.raw
    if not raw.execute("SELECT pg_try_advisory_xact_lock(%s)", [WRITE_LOCK]).fetchone()[0]:
        log.info("wachten op de schrijfvergrendeling van %s", masked(connection.url))
        raw.execute("SELECT pg_advisory_xact_lock(%s)", [WRITE_LOCK])
    if not _schema_exists(connection):
        _rename(connection, build, None)
        return {}
    old, new = SCHEMA, _q(build)
    present = {row[0] for row in raw.execute("SELECT tablename FROM pg_tables WHERE schemaname = %s", [old])}
    for name in [name for name in side_tables if name in present]:
        raw.execute(f"CREATE TABLE {new}.{_q(name)} (LIKE {old}.{_q(name)} INCLUDING ALL)")
        raw.execute(f"INSERT INTO {new}.{_q(name)} OVERRIDING SYSTEM VALUE SELECT * FROM {old}.{_q(name)}")
        for (column,) in raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s"
            " AND is_identity = 'YES'",
            [old, name],
        ).fetchall():  # ids are never reused, even those of deleted rows
            raw.execute(
                "SELECT setval(pg_get_serial_sequence(%s, %s), last) FROM"
                " (SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s)) AS last) s WHERE last IS NOT NULL",
                [f"{new}.{_q(name)}", column, f"{old}.{_q(name)}", column],
            )
    carried: dict[str, int] = {}
    if bundled_bronnen is not None and RECORDS in present:
        columns = {row[0] for row in raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = %s AND table_name = %s",
            [old, RECORDS],
        )}  # fmt: skip
        selected = ", ".join(field if field in columns else "NULL" for field in ["geom", *FIELDS])
        updates = ", ".join(f"{name} = excluded.{name}" for name in ["geom", *FIELDS])
        for (bron,) in raw.execute(
            f"INSERT INTO {new}.{RECORDS} (geom, {', '.join(FIELDS)})"
            f" SELECT {selected} FROM {old}.{RECORDS} WHERE NOT (COALESCE(bron, '') = ANY(%s)) ORDER BY id"
            f" ON CONFLICT (id) DO UPDATE SET {updates} RETURNING bron",
            [sorted(bundled_bronnen)],
        ).fetchall():
            carried[bron or ""] = carried.get(bron or "", 0) + 1
    if VERSION_TABLE in present:
        raw.execute(f"UPDATE {new}.{VERSION_TABLE} SET n = (SELECT MAX(n) + 1 FROM {old}.{VERSION_TABLE})")
    _rename(connection, build, f"{SCHEMA}_oud_{secrets.token_hex(4)}")
    return carried


def _rename(connection: PgConnection, build: str, retired: str | None) -> None:
    """`build` becomes SCHEMA (the old one, if any, is renamed to `retired` and dropped);
    under the write lock, in the rebuild's transaction."""
    if retired is not None:
        connection.raw.execute(f"ALTER SCHEMA {SCHEMA} RENAME TO {_q(retired)}")
    connection.raw.execute(f"ALTER SCHEMA {_q(build)} RENAME TO {SCHEMA}")
    if retired is not None:
        connection.raw.execute(f"DROP SCHEMA {_q(retired)} CASCADE")
