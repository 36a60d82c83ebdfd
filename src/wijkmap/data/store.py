"""The data store: one GeoPackage (SQLite) file that QGIS can open as it is, or (for a
shared deployment) a PostgreSQL database with PostGIS, see data.postgis.

$WIJKMAP_STORE names it (backend.location): a file path, or a postgresql:// URL. Every
function here takes that location as `path` and does the same on either backend; the
connection `transaction` and `connect` give accepts the same SQL (backend.PgConnection),
and what the SQL of the two differs in is asked of helpers here (has_table,
table_columns, read_frame, row_columns), so no other module asks which backend it has.

Layers:
- area layers (`buurt_2015`, `wijk_2015`, `gemeente_2015`, `gemeente_2023`, `gemeente_2025`,
  `wijk_2024`): written whole by `build-data`;
- `statistiek` (code, jaar, indicator, waarde, bron) and `indicator` (the catalogue): tables;
- `voorzieningen`: the records (see records.FIELDS) as points, written by imports;
- side tables the app writes (SIDE_TABLES: the contribution queue, see contributions.inbox;
  the audit log and the moderation log it replaced, see data.audit; the day of the last
  OpenStreetMap extract per gemeente, see sources.osm; the import batches with every row
  before and after them, see data.batches): plain SQLite tables, not registered as layers, kept by rebuilds.

Why this split: reference data is rebuilt whole into a temporary file that replaces the
store in one rename, and records are written in single SQLite transactions. Either way a
crash mid-write leaves the store as it was. Every writer goes through `transaction`: WAL
mode, the write lock taken at once, and a retry on the new file when the old one was
swapped out under it. A rebuild takes that same lock only for the swap, and copies what
writers put in the old file (imported and contributed records, SIDE_TABLES) while it holds
it, so nothing a writer was told is saved is lost, however long the build took.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import sqlite3
import time
from collections.abc import Collection, Iterable, Iterator
from contextlib import closing, contextmanager, suppress
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from wijkmap.config import WGS84, store_path
from wijkmap.core.records import FIELDS
from wijkmap.data import backend, gpkg, postgis
from wijkmap.data.backend import Location, PgConnection, StoreMissing, is_postgres

__all__ = ["StoreMissing", "store_path", "store_location"]

# What is written, swapped and waited for; never row values (the side tables hold contact data).
log = logging.getLogger(__name__)

RECORDS = "voorzieningen"
STATISTICS = "statistiek"
CATALOGUE = "indicator"
# Each buurt's most frequent postcode (PC4) and its 2024 name (sources.cbs.postcodes).
POSTCODES = "buurt_postcode"
CRS = WGS84
_NUMERIC = {"lon", "lat"}
# Whoever adds a record in a GIS (QGIS) without these gets them from the store's triggers.
GIS_BRON = "GIS-bewerking"
GIS_ID_PREFIX = "gis-"
# Tables the app itself writes (not built from sources): a rebuild copies them over.
SIDE_TABLES = (
    "bijdrage_wachtrij",
    "moderatie_log",
    "auditlog",
    "osm_extracten",
    "importbatch",
    "importbatch_record",
    "kolomkoppeling",
)
BUSY_TIMEOUT_S = 30


Connection = sqlite3.Connection | PgConnection


def store_location(path: Location | None = None) -> Location:
    """`path`, else $WIJKMAP_STORE, else data/wijkmap.gpkg: a Path, or a postgresql:// URL (str)."""
    return backend.location(path)


def _existing(path: Location | None) -> Path:
    """The GeoPackage at `path` (StoreMissing when there is none); only for a file store."""
    path = Path(path) if path else store_path()
    if not path.exists():
        raise backend.missing(path)
    return path


def exists(path: Location | None = None) -> bool:
    """Whether there is a store at `path` (a file, or a database holding the store's schema)."""
    where = store_location(path)
    if not is_postgres(where):
        return Path(where).exists()
    try:
        postgis.connect(str(where)).close()
    except StoreMissing:
        return False
    return True


def data_version(path: Location | None = None) -> tuple:
    """A key that changes whenever the store does (a build, an import, an approval), in
    every process: the file's (and its -wal's) modification time for a GeoPackage, where
    in WAL mode a commit lands in the -wal file first; PostgreSQL's version row."""
    where = store_location(path)
    if is_postgres(where):
        return (backend.masked(where), postgis.data_version(str(where)))
    where = Path(where)
    wal = where.with_name(where.name + "-wal")
    return (
        str(where),
        where.stat().st_mtime if where.exists() else 0.0,
        wal.stat().st_mtime if wal.exists() else 0.0,
    )


def _connect(path: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(path, timeout=30)
    connection.execute("PRAGMA busy_timeout = 30000")
    gpkg.register_functions(connection)
    return connection


# --- writing -------------------------------------------------------------------------


def write_store(
    path: Location | None,
    areas: dict[str, gpd.GeoDataFrame],
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    records: pd.DataFrame,
    bundled_bronnen: Collection[str] | None = None,
    postcodes: pd.DataFrame | None = None,
) -> dict[str, int]:
    """Write a complete store to a temporary file, then move it over `path` in one step.

    With `bundled_bronnen`, the records of the old store whose bron is none of these
    (imports, contributions) are carried over at the swap; returns their count per bron.
    Temporary files left by builds that were killed are removed first. On PostgreSQL the
    store is built in a fresh schema and swapped in in one transaction (postgis.write_store)."""
    where = store_location(path)
    if is_postgres(where):
        rows = _rows_of(records)
        return postgis.write_store(
            str(where), {name: frame.to_crs(CRS) for name, frame in areas.items()}, statistics, catalogue, rows,
            bundled_bronnen, SIDE_TABLES, tables={POSTCODES: postcodes},
        )  # fmt: skip
    path = Path(where)
    path.parent.mkdir(parents=True, exist_ok=True)
    remove_stale_temporaries(path)
    # GDAL wants the .gpkg suffix; the pid tells a later run whether this build still runs.
    temporary = path.with_name(f"{path.stem}.tmp-{os.getpid()}-{secrets.token_hex(4)}{path.suffix}")
    try:
        for layer, frame in areas.items():
            gpkg.write_layer(frame.to_crs(CRS), temporary, layer)
        for layer, frame in ((STATISTICS, statistics), (CATALOGUE, catalogue), (POSTCODES, postcodes)):
            if frame is not None:
                gpkg.write_layer(frame, temporary, layer)
        _create_records_layer(temporary)
        with closing(_connect(temporary)) as connection, connection:
            connection.execute(f"CREATE INDEX idx_{STATISTICS}_lookup ON {STATISTICS} (indicator, jaar, code)")
            _upsert(connection, records)
        log.info("nieuw gegevensbestand geschreven: %s (%d records)", temporary.name, len(records))
        carried = _swap_in(temporary, path, bundled_bronnen)
        log.info("gegevensbestand vervangen: %s; overgenomen records per bron: %s", path, carried or "geen")
        return carried
    finally:
        for leftover in _companions(temporary):
            leftover.unlink(missing_ok=True)


def _temporaries(path: Path) -> Iterator[tuple[Path, int]]:
    """The temporary files of rebuilds of `path` (with their journals) and their pids."""
    pattern = re.compile(
        rf"{re.escape(path.stem)}\.tmp-(\d+)(?:-[0-9a-f]+)?{re.escape(path.suffix)}(?:-journal|-wal|-shm)?"
    )
    for candidate in path.parent.iterdir():
        match = pattern.fullmatch(candidate.name)
        if match:
            yield candidate, int(match.group(1))


def _companions(database: Path) -> list[Path]:
    return [database, *(database.with_name(database.name + end) for end in ("-journal", "-wal", "-shm"))]


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name != "posix":  # no harmless probe (os.kill ends the process on Windows): keep it
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # e.g. another user's process: it exists
        return True
    return True


def remove_stale_temporaries(path: Path) -> list[Path]:
    """Remove the temporary files of rebuilds of `path` whose process is gone (killed
    mid-build); those of a build still running are left alone. Returns what went."""
    removed = []
    for candidate, pid in _temporaries(path):
        if not _alive(pid):
            candidate.unlink(missing_ok=True)
            removed.append(candidate)
            log.info("restant van een afgebroken bouw (proces %d) verwijderd: %s", pid, candidate.name)
    return removed


def _rebuild_running(path: Path, own: Path | None = None) -> bool:
    """Whether a rebuild of `path` (other than the one writing `own`) is under way."""
    return any(
        candidate.name.endswith(path.suffix) and candidate != own and _alive(pid)
        for candidate, pid in _temporaries(path)
    )


def _swapped(path: Path, inode: int) -> bool:
    try:
        return path.stat().st_ino != inode
    except FileNotFoundError:
        return True


def _lock(connection: sqlite3.Connection, path: Path, inode: int, own: Path | None = None) -> bool:
    """BEGIN IMMEDIATE on `connection`, opened on `path` when that was file `inode`.

    False (and no lock) when a rebuild swapped the file meanwhile: the caller starts
    again on the new one. A busy timeout while a rebuild is under way is no error: the
    lock is then wanted by a swap, so wait on, however long that takes."""
    while True:
        try:
            connection.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as error:
            if "locked" not in str(error) and "busy" not in str(error):
                raise
            if _swapped(path, inode):
                log.info("%s is vervangen terwijl er op gewacht werd: opnieuw op het nieuwe bestand", path)
                return False
            if _rebuild_running(path, own):
                time.sleep(0.01)  # SQLite may report busy without waiting
                continue
            raise
        if _swapped(path, inode):
            connection.execute("ROLLBACK")
            log.info("%s is vervangen terwijl er op gewacht werd: opnieuw op het nieuwe bestand", path)
            return False
        return True


def _swap_in(temporary: Path, path: Path, bundled_bronnen: Collection[str] | None) -> dict[str, int]:
    """Move a freshly built store over `path`, keeping the old store's SIDE_TABLES and
    its records of other bronnen than `bundled_bronnen`; returns those per bron.

    The old store first leaves WAL mode (so no -wal file of it can be replayed into the
    new file), then its write lock is held while the tables are copied and the file is
    renamed, so nothing written before is lost and writers that waited for the lock see
    the swap in `transaction` and write to the new file. When another rebuild swapped
    the file first, this one carries over from that file instead."""
    if not path.exists() or not _is_sqlite(path):  # nothing to keep from a broken file
        if path.exists():
            log.warning("%s is geen SQLite-bestand; het wordt vervangen zonder iets over te nemen", path)
        os.replace(temporary, path)
        return {}
    while True:
        inode = path.stat().st_ino
        with closing(_open_out_of_wal(path)) as old:
            if not _lock(old, path, inode, own=temporary):
                continue
            try:
                if old.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
                    continue  # a writer switched it back before the lock was taken
                with closing(_connect(temporary)) as fresh, fresh:
                    for name in SIDE_TABLES:
                        _copy_table(old, fresh, name)
                    carried = _carry_records(old, fresh, bundled_bronnen)
                os.replace(temporary, path)
                return carried
            finally:
                old.execute("ROLLBACK")


def _carry_records(
    old: sqlite3.Connection, fresh: sqlite3.Connection, bundled_bronnen: Collection[str] | None
) -> dict[str, int]:
    if bundled_bronnen is None:
        return {}
    present = {row[1] for row in old.execute(f"PRAGMA table_info({RECORDS})")}
    if not present:
        return {}
    selected = ", ".join(column if column in present else "NULL" for column in ["geom", *FIELDS])
    bundled = sorted(bundled_bronnen)
    where = f" WHERE COALESCE(bron, '') NOT IN ({', '.join('?' for _ in bundled)})" if bundled else ""
    rows = old.execute(f"SELECT {selected} FROM {RECORDS}{where} ORDER BY id", bundled).fetchall()
    _write_rows(fresh, rows)
    gpkg.update_extent(fresh, RECORDS)
    carried: dict[str, int] = {}
    for row in rows:
        bron = row[1 + FIELDS.index("bron")] or ""
        carried[bron] = carried.get(bron, 0) + 1
    return carried


def _is_sqlite(path: Path) -> bool:
    with open(path, "rb") as file:
        return file.read(16) == b"SQLite format 3\x00"


def _open_out_of_wal(path: Path) -> sqlite3.Connection:
    """A connection to `path` with the store switched back to a rollback journal.

    SQLite allows that only when no other connection has the file open, so try until a
    quiet moment (up to BUSY_TIMEOUT_S), closed in between: two rebuilds trying at once
    would otherwise keep each other out."""
    deadline = time.monotonic() + BUSY_TIMEOUT_S
    waiting = False
    while True:
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            if connection.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete":
                return connection
        except sqlite3.OperationalError:
            pass
        connection.close()
        if time.monotonic() > deadline:
            raise sqlite3.OperationalError("het gegevensbestand is in gebruik; stop de app en probeer het opnieuw")
        if not waiting:
            log.info("wachten tot niemand anders %s open heeft (hoogstens %d s)", path, BUSY_TIMEOUT_S)
            waiting = True
        time.sleep(0.05)


def _copy_table(old: sqlite3.Connection, fresh: sqlite3.Connection, name: str) -> None:
    """Copy table `name` (schema, indexes, rows, AUTOINCREMENT counter) if it exists."""
    schema = old.execute("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", (name,)).fetchone()
    if schema is None:
        return
    fresh.execute(schema[0])
    for (sql,) in old.execute(
        "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL", (name,)
    ).fetchall():
        fresh.execute(sql)
    cursor = old.execute(f'SELECT * FROM "{name}"')
    marks = ", ".join("?" for _ in cursor.description)
    fresh.executemany(f'INSERT INTO "{name}" VALUES ({marks})', cursor.fetchall())
    if "AUTOINCREMENT" not in schema[0].upper():
        return
    sequence = old.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)).fetchone()
    if sequence is not None:  # ids are never reused, even those of deleted rows
        fresh.execute("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
        fresh.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, sequence[0]))


@contextmanager
def transaction(path: Location | None = None) -> Iterator[Connection]:
    """One short write transaction on the store; commits on success, rolls back on error.

    The store is put in WAL mode (readers never wait for a writer), the write lock is
    taken at once (BEGIN IMMEDIATE: concurrent writers queue on the busy timeout instead
    of failing halfway, and wait without limit while a rebuild swaps the file), and if a
    rebuild swapped the file while this one waited for the lock, it starts again on the
    new file. On PostgreSQL: postgis.transaction (the same rules, with an advisory lock)."""
    where = store_location(path)
    if is_postgres(where):
        with postgis.transaction(str(where)) as pg:
            yield pg
        return
    while True:
        path = _existing(path)
        inode = path.stat().st_ino
        connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
        try:
            connection.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_S * 1000}")
            gpkg.register_functions(connection)
            # Not while a rebuild runs: if it swaps the file in the meantime, this connection
            # would put the old file in WAL mode under the new file's -wal and -shm names.
            if not _rebuild_running(path):
                _enter_wal(connection)
            if not _lock(connection, path, inode):
                continue
            try:
                _add_missing_fields(connection)
                yield connection
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return
        finally:
            connection.close()


def _enter_wal(connection: sqlite3.Connection) -> None:
    """WAL mode, once (it is a property of the file). Switching needs a moment without
    other readers; when there is none, this write simply runs in the old mode."""
    if connection.execute("PRAGMA journal_mode").fetchone()[0] == "wal":
        return
    with suppress(sqlite3.OperationalError):
        if connection.execute("PRAGMA journal_mode = WAL").fetchone()[0] == "wal":
            log.info("gegevensbestand in WAL-modus gezet")


def _record_columns(connection: sqlite3.Connection) -> set[str]:
    return {row[1] for row in connection.execute(f"PRAGMA table_info({RECORDS})")}


# --- what the two backends' SQL differs in ------------------------------------------------


def has_table(connection: Connection, name: str) -> bool:
    """Whether the store holds table `name` (a side table is made by its first write)."""
    if isinstance(connection, PgConnection):
        return postgis.has_table(connection, name)
    found = connection.execute("SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (name,))
    return found.fetchone()[0] == 1


def table_columns(connection: Connection, name: str) -> list[str]:
    """The column names of table `name`, in order ([] when there is no such table)."""
    if isinstance(connection, PgConnection):
        return postgis.table_columns(connection, name)
    return [row[1] for row in connection.execute(f'PRAGMA table_info("{name}")')]


def read_frame(connection: Connection, sql: str, parameters: Iterable = ()) -> pd.DataFrame:
    """The rows of a query (SQLite-style SQL, `?` placeholders) as a DataFrame."""
    if isinstance(connection, PgConnection):
        return postgis.read_frame(connection, sql, parameters)
    return pd.read_sql_query(sql, connection, params=list(parameters))


def row_columns(connection: Connection) -> str:
    """The SELECT list of a stored row of the records layer: geom (a GeoPackage blob) and FIELDS."""
    if isinstance(connection, PgConnection):
        return postgis.row_columns(connection)
    return f"geom, {field_columns(connection)}"


def _add_missing_fields(connection: sqlite3.Connection) -> None:
    """Give a store from before a field was added (laatst_gecontroleerd) that column, under
    the write lock, so no rebuild is needed; readers meanwhile read it as empty."""
    present = _record_columns(connection)
    for field in [field for field in FIELDS if present and field not in present]:
        connection.execute(f"ALTER TABLE {RECORDS} ADD COLUMN {field} {'REAL' if field in _NUMERIC else 'TEXT'}")
        log.info("kolom %s toegevoegd aan %s", field, RECORDS)


def connect(path: Location | None = None) -> Connection:
    """A connection for reading the store (StoreMissing when there is none); close it after."""
    where = store_location(path)
    if is_postgres(where):
        return postgis.connect(str(where))
    return _connect(_existing(where))


def field_columns(connection: Connection) -> str:
    """FIELDS as a SELECT list of the records layer. A store from before a field was added
    has no column for it until its first write (_add_missing_fields): read as empty."""
    if isinstance(connection, PgConnection):
        return postgis.field_columns(connection)
    present = _record_columns(connection)
    return ", ".join(field if field in present else f"'' AS {field}" for field in FIELDS)


def read_rows(connection: Connection, ids: Iterable[str]) -> dict[str, tuple]:
    """The stored rows of these ids as (geom, *FIELDS), exactly as kept (the geometry blob
    as a GIS wrote it), by id; ids not in the store are left out."""
    if isinstance(connection, PgConnection):
        return postgis.read_rows(connection, ids)
    ids, columns = list(dict.fromkeys(ids)), field_columns(connection)
    rows: dict[str, tuple] = {}
    for start in range(0, len(ids), 900):  # below SQLite's limit of bound parameters
        chunk = ids[start : start + 900]
        query = f"SELECT geom, {columns} FROM {RECORDS} WHERE id IN ({', '.join('?' for _ in chunk)})"
        rows.update((row[_ID_AT], row) for row in connection.execute(query, chunk))
    return rows


def write_rows(connection: Connection, rows: Iterable) -> tuple[int, int]:
    """Write rows of (geom, *FIELDS) as they are (geometry blob included) inside a
    `transaction`: insert, or update the record of the same id; (inserted, updated)."""
    if isinstance(connection, PgConnection):
        inserted, updated = postgis.write_rows(connection, rows)
    else:
        inserted, updated = _write_rows(connection, rows)
        gpkg.update_extent(connection, RECORDS)
    log.info("records geschreven: %d nieuw, %d bijgewerkt", inserted, updated)
    return inserted, updated


def _create_records_layer(path: Path) -> None:
    """The records layer as GDAL makes one (R-tree index with its triggers, feature count),
    plus what keeps it whole when a GIS edits it: the unique id, lon/lat following the
    geometry, and an id and bron for a feature added without them."""
    columns = {field: pd.Series(dtype=float if field in _NUMERIC else object) for field in FIELDS}
    empty = gpd.GeoDataFrame(columns, geometry=gpd.GeoSeries([], crs=CRS))
    gpkg.write_layer(empty, path, RECORDS, geometry_type="Point", spatial_index=True)
    with closing(_connect(path)) as connection, connection:
        connection.execute(
            "UPDATE gpkg_contents SET description = 'Voorzieningen en initiatieven' WHERE table_name = ?", (RECORDS,)
        )
        connection.execute(f"CREATE UNIQUE INDEX idx_{RECORDS}_id ON {RECORDS} (id)")
        # A position written by a GIS (the geometry moved, lon/lat not) makes the old buurt
        # codes wrong: they are cleared, and placement.complete places the record again.
        moved = (
            "WHEN NEW.geom NOT NULL AND NOT ST_IsEmpty(NEW.geom)"
            " AND (NEW.lon IS NOT ST_MinX(NEW.geom) OR NEW.lat IS NOT ST_MinY(NEW.geom))"
        )
        follow = (
            f"BEGIN UPDATE {RECORDS} SET lon = ST_MinX(NEW.geom), lat = ST_MinY(NEW.geom),"
            " buurtcode = '', wijkcode = '', gemeentecode = '' WHERE fid = NEW.fid; END"
        )
        connection.execute(f"CREATE TRIGGER {RECORDS}_position_insert AFTER INSERT ON {RECORDS} {moved} {follow}")
        connection.execute(
            f"CREATE TRIGGER {RECORDS}_position_update AFTER UPDATE OF geom ON {RECORDS} {moved} {follow}"
        )
        connection.execute(
            f"CREATE TRIGGER {RECORDS}_identity AFTER INSERT ON {RECORDS}"
            " WHEN COALESCE(NEW.id, '') = '' OR COALESCE(NEW.bron, '') = ''"
            f" BEGIN UPDATE {RECORDS} SET id = COALESCE(NULLIF(NEW.id, ''), '{GIS_ID_PREFIX}' || NEW.fid),"
            f" bron = COALESCE(NULLIF(NEW.bron, ''), '{GIS_BRON}') WHERE fid = NEW.fid; END"
        )


_INSERT_SQL = (
    f"INSERT INTO {RECORDS} (geom, {', '.join(FIELDS)}) VALUES ({', '.join('?' for _ in range(len(FIELDS) + 1))})"
)
_UPDATE_SQL = f"UPDATE {RECORDS} SET {', '.join(f'{field} = ?' for field in ['geom', *FIELDS])} WHERE id = ?"
_ID_AT = 1 + FIELDS.index("id")  # in a row of (geom, *FIELDS)


def _write_rows(connection: sqlite3.Connection, rows: Iterable) -> tuple[int, int]:
    """Insert rows of (geom, *FIELDS), or update the record with the same id; (inserted, updated).

    Not one UPSERT: SQLite carries an UPSERT's conflict handling into the INSERT OR
    REPLACE of GeoPackage's R-tree triggers, which then fails on the index's own key."""
    by_id = {row[_ID_AT]: row for row in rows}  # a later row of the same id wins
    existing = {row[0] for row in connection.execute(f"SELECT id FROM {RECORDS}")}
    connection.executemany(_UPDATE_SQL, [[*row, id_] for id_, row in by_id.items() if id_ in existing])
    connection.executemany(_INSERT_SQL, [row for id_, row in by_id.items() if id_ not in existing])
    updated = len(by_id.keys() & existing)
    return len(by_id) - updated, updated


def _upsert(connection: Connection, records: pd.DataFrame) -> tuple[int, int]:
    rows = _rows_of(records)
    if isinstance(connection, PgConnection):
        return postgis.write_rows(connection, rows)
    counts = _write_rows(connection, rows)
    gpkg.update_extent(connection, RECORDS)
    return counts


def _rows_of(records: pd.DataFrame) -> list[list]:
    """Records (FIELDS) as stored rows (geom blob, *FIELDS); ValueError without id or position."""
    missing = [field for field in FIELDS if field not in records.columns]
    if missing:
        raise ValueError(f"records lack fields: {missing}")
    rows = []
    for record in records[FIELDS].itertuples(index=False):
        values = [
            None if pd.isna(value) else (float(value) if field in _NUMERIC else str(value))
            for field, value in zip(FIELDS, record)
        ]
        if not values[FIELDS.index("id")]:
            raise ValueError(f"record zonder id: {values[FIELDS.index('naam')]!r}")
        lon, lat = values[FIELDS.index("lon")], values[FIELDS.index("lat")]
        if not isinstance(lon, float) or not isinstance(lat, float):
            raise ValueError(f"record {values[FIELDS.index('id')]!r} has no position")
        rows.append([gpkg.point_blob(lon, lat), *values])
    return rows


def upsert_records(
    records: pd.DataFrame, path: Location | None = None, connection: Connection | None = None
) -> tuple[int, int]:
    """Insert or update records by id, all in one transaction. Returns (inserted, updated).

    Without `connection` it runs in its own `transaction` (so a rebuild keeps it); with
    one (from `transaction`), it joins that transaction instead."""
    if connection is not None:
        inserted, updated = _upsert(connection, records)
    else:
        with transaction(path) as connection:
            inserted, updated = _upsert(connection, records)
    log.info("records geschreven: %d nieuw, %d bijgewerkt", inserted, updated)
    return inserted, updated


def delete_records(ids: Iterable[str], connection: Connection) -> int:
    """Remove the records with these ids inside a `transaction`; returns how many went."""
    ids = list(ids)
    if not ids:
        return 0
    if isinstance(connection, PgConnection):
        count = postgis.delete_records(connection, ids)
        log.info("%d record(s) verwijderd", count)
        return count
    cursor = connection.execute(f"DELETE FROM {RECORDS} WHERE id IN ({', '.join('?' for _ in ids)})", ids)
    gpkg.update_extent(connection, RECORDS)
    log.info("%d record(s) verwijderd", cursor.rowcount)
    return cursor.rowcount


# --- reading -------------------------------------------------------------------------


def read_areas(layer: str, gemeentecode: str | None = None, path: Location | None = None) -> gpd.GeoDataFrame:
    """An area layer (e.g. 'buurt_2015'), optionally only the areas of one gemeente."""
    location = store_location(path)
    if is_postgres(location):
        return postgis.read_areas(str(location), layer, _safe_code(gemeentecode) if gemeentecode else None)
    where = None
    if gemeentecode:
        where = f"gemeentecode = '{_safe_code(gemeentecode)}'"
    frame = pyogrio.read_dataframe(_existing(path), layer=layer, where=where)
    return frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame


def read_areas_in(
    layer: str, bbox: tuple[float, float, float, float], path: Location | None = None
) -> gpd.GeoDataFrame:
    """The areas of `layer` that touch `bbox` (west, south, east, north in WGS84)."""
    location = store_location(path)
    if is_postgres(location):
        return postgis.read_areas_in(str(location), layer, bbox)
    frame = pyogrio.read_dataframe(_existing(path), layer=layer, bbox=bbox)
    return frame.rename_geometry("geometry") if frame.geometry.name != "geometry" else frame


def read_area_names(layer: str, path: Location | None = None) -> pd.DataFrame:
    """code, naam, wijkcode and gemeentecode of every area of `layer`, without geometry."""
    columns = ["code", "naam", "wijkcode", "gemeentecode"]
    location = store_location(path)
    if is_postgres(location):
        return postgis.read_area_names(str(location), layer)
    frame = pyogrio.read_dataframe(_existing(path), layer=layer, columns=columns, read_geometry=False)
    return pd.DataFrame(frame)[columns]


def area_layers(path: Location | None = None) -> list[str]:
    """The area layers, in the order the build wrote them."""
    location = store_location(path)
    if is_postgres(location):
        return postgis.area_layers(str(location))
    layers = pyogrio.list_layers(_existing(location))
    return [name for name, geometry in layers if geometry and name != RECORDS]


def layer_counts(path: Location | None = None) -> dict[str, int]:
    """The number of areas in each area layer."""
    location = store_location(path)
    if is_postgres(location):
        return postgis.layer_counts(str(location))
    file = _existing(location)
    return {name: pyogrio.read_info(file, layer=name)["features"] for name in area_layers(file)}


def read_statistics(
    path: Location | None = None,
    indicator: str | None = None,
    jaar: int | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """Rows of (code, jaar, indicator, waarde, bron), filtered by what is given."""
    columns = ["code", "jaar", "indicator", "waarde", "bron"]
    if not (indicator or jaar is not None or codes is not None) and not is_postgres(store_location(path)):
        # All of them (the app's cache, 415,000 rows with KWB 2024): GDAL reads them as
        # Arrow in 0.09 s, pandas' read_sql_query took 0.9 s of a fresh server's start.
        frame = pyogrio.read_dataframe(
            _existing(path), layer=STATISTICS, columns=columns, read_geometry=False, use_arrow=True
        )
        return pd.DataFrame(frame[columns]).astype({"jaar": "int64", "waarde": "float64"})
    clauses: list[str] = []
    parameters: list[str | int] = []
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
    with closing(connect(path)) as connection:
        frame = read_frame(connection, f"SELECT {', '.join(columns)} FROM {STATISTICS}{where} ORDER BY fid", parameters)
    if frame.empty:
        frame = frame.astype({"jaar": "int64", "waarde": "float64"})
    return frame


def read_postcodes(path: Location | None = None) -> pd.DataFrame:
    """The POSTCODES table (code, naam, wijkcode, gemeentecode, gemeentenaam, postcode, jaar,
    bron); empty in a store built before it existed."""
    columns = ["code", "naam", "wijkcode", "gemeentecode", "gemeentenaam", "postcode", "jaar", "bron"]
    with closing(connect(path)) as connection:
        if not has_table(connection, POSTCODES):
            return pd.DataFrame({column: pd.Series(dtype=object) for column in columns})
        frame = read_frame(connection, f"SELECT {', '.join(columns)} FROM {POSTCODES}")
    return frame.fillna({column: "" for column in columns if column != "jaar"})


def read_catalogue(path: Location | None = None) -> pd.DataFrame:
    with closing(connect(path)) as connection:
        frame = read_frame(connection, f"SELECT * FROM {CATALOGUE} ORDER BY fid")
    return frame.drop(columns=["fid"], errors="ignore")


def read_records(
    path: Location | None = None, gemeentecode: str | None = None, bron: str | None = None
) -> gpd.GeoDataFrame:
    """The records (provisions and initiatives) as points, in a stable order.

    The position is the geometry's, so a point moved in a GIS is where the app shows it;
    a record without a geometry has no place on any map and is left out (and logged)."""
    clauses, parameters = [], []
    if gemeentecode:
        clauses.append("gemeentecode = ?")
        parameters.append(gemeentecode)
    if bron:
        clauses.append("bron = ?")
        parameters.append(bron)
    where = f" WHERE {' AND '.join(clauses)}" if clauses else ""
    location = store_location(path)
    if is_postgres(location):
        frame = postgis.read_records(str(location), where, parameters)
    else:
        with closing(_connect(_existing(location))) as connection:
            present = _record_columns(connection)  # a field added since the store was made reads as empty
            selected = ", ".join(field if field in present else f"NULL AS {field}" for field in FIELDS)
            frame = pd.read_sql_query(
                f"SELECT geom, {selected} FROM {RECORDS}{where} ORDER BY id", connection, params=parameters
            )
    frame["lon"], frame["lat"] = gpkg.point_coordinates(frame.pop("geom").to_numpy())
    unplaced = frame["lon"].isna() | frame["lat"].isna()
    if unplaced.any():
        log.warning("%d record(s) zonder geometrie overgeslagen: %s", unplaced.sum(), list(frame["id"][unplaced][:5]))
        frame = frame[~unplaced].reset_index(drop=True)
    text_fields = [field for field in FIELDS if field not in _NUMERIC]
    frame[text_fields] = frame[text_fields].fillna("")
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs=CRS)


def _safe_code(code: str) -> str:
    if not code.replace("_", "").isalnum():
        raise ValueError(f"not an area code: {code!r}")
    return code
