"""Copying a store between backends (`wijkmap store copy FROM TO`), and checking the copy.

GeoPackage -> PostgreSQL to move a laptop's store to a shared deployment, and back for a
backup QGIS can open. Everything is copied: the area layers, statistiek, the catalogue, the buurten's postcodes,
the records (the geometry blobs as kept) and the SIDE_TABLES with their ids and id
counters, so undo, the queue and the audit log carry on where they were. The accounts
are not in the store (their JSON file, config.users_path) and are not copied.

`summary` gives per layer and table the row count and a content hash over what a reader
gets (values, geometry as normalised WKB, rows in a fixed order), so the same hash on both
sides means both hold the same; copy_store checks that after writing and raises CopyError
when they differ.
"""

from __future__ import annotations

import hashlib
import json
import logging
import math
import re
import shutil
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import shapely

from wijkmap.data import backend, postgis, store
from wijkmap.data.backend import Location, PgConnection, is_postgres, masked

log = logging.getLogger(__name__)


class CopyError(ValueError):
    """A copy that cannot be made, or whose check failed; the message is Dutch."""


@dataclass(frozen=True)
class Summary:
    """Per layer or table: (rows, content hash)."""

    location: str  # masked
    tables: dict[str, tuple[int, str]]

    def differences(self, other: Summary) -> list[str]:
        names = sorted(set(self.tables) | set(other.tables))
        wrong = []
        for name in names:
            mine, theirs = self.tables.get(name), other.tables.get(name)
            if mine != theirs:
                count = lambda entry: "ontbreekt" if entry is None else f"{entry[0]} rijen"  # noqa: E731
                same_count = mine is not None and theirs is not None and mine[0] == theirs[0]
                wrong.append(f"{name}: {count(mine)} tegen {count(theirs)}{', andere inhoud' if same_count else ''}")
        return wrong


# --- what a store holds, as values ----------------------------------------------------------------


def _canonical(value):
    if value is None:
        return None
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    if isinstance(value, float):
        return None if math.isnan(value) else repr(value)
    if isinstance(value, bool):
        return str(value)
    if hasattr(value, "item"):  # numpy scalars
        return _canonical(value.item())
    return value if isinstance(value, int | str) else str(value)


def _digest(rows) -> str:
    hashed = hashlib.sha256()
    for row in sorted(json.dumps([_canonical(value) for value in row], ensure_ascii=False) for row in rows):
        hashed.update(row.encode("utf-8"))
        hashed.update(b"\n")
    return hashed.hexdigest()[:16]


def _frame_rows(frame: pd.DataFrame) -> list[list]:
    return [list(row) for row in frame.astype(object).itertuples(index=False, name=None)]


def summary(location: Location) -> Summary:
    """Row counts and content hashes of every layer and table of the store at `location`."""
    location = store.store_location(location)
    tables: dict[str, tuple[int, str]] = {}
    for layer in store.area_layers(location):
        frame = store.read_areas(layer, path=location)
        geometries = shapely.to_wkb(shapely.normalize(frame.geometry.to_numpy()), hex=True)
        rows = [[*row, geometry] for row, geometry in zip(_frame_rows(frame.drop(columns="geometry")), geometries)]
        tables[layer] = (len(rows), _digest(rows))
    statistics = store.read_statistics(location)
    tables[store.STATISTICS] = (len(statistics), _digest(_frame_rows(statistics)))
    catalogue = store.read_catalogue(location)
    tables[store.CATALOGUE] = (len(catalogue), _digest(_frame_rows(catalogue)))
    postcodes = store.read_postcodes(location)
    if len(postcodes):
        tables[store.POSTCODES] = (len(postcodes), _digest(_frame_rows(postcodes)))
    with closing(store.connect(location)) as connection:
        records = connection.execute(f"SELECT {store.row_columns(connection)} FROM {store.RECORDS}").fetchall()
        # The geometry as its point (a GIS may encode one point in other blobs).
        tables[store.RECORDS] = (len(records), _digest([row[1:] for row in records]))
        for name in store.SIDE_TABLES:
            if store.has_table(connection, name):
                rows = connection.execute(f'SELECT * FROM "{name}"').fetchall()
                tables[name] = (len(rows), _digest(rows))
    return Summary(masked(location), tables)


# --- side tables: their definition in the other dialect ---------------------------------------------------


def _sqlite_definition(connection, name: str) -> list[str]:
    """CREATE TABLE and CREATE INDEX of side table `name` in SQLite's words (both backends
    run those: backend.translate)."""
    if not isinstance(connection, PgConnection):
        rows = connection.execute(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type DESC", (name,)
        ).fetchall()  # "table" before "index"
        return [row[0] for row in rows]
    raw = connection.raw
    columns = raw.execute(
        "SELECT column_name, data_type, is_nullable, column_default, is_identity FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND table_name = %s ORDER BY ordinal_position",
        [name],
    ).fetchall()
    key = [row[0] for row in raw.execute(
        "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)"
        " WHERE i.indrelid = %s::regclass AND i.indisprimary ORDER BY array_position(i.indkey, a.attnum)",
        [f'"{name}"'],
    )]  # fmt: skip
    types = {
        "bigint": "INTEGER",
        "integer": "INTEGER",
        "double precision": "REAL",
        "bytea": "BLOB",
        "boolean": "INTEGER",
    }
    parts = []
    for column, kind, nullable, default, identity in columns:
        if identity == "YES":
            parts.append(f"{column} INTEGER PRIMARY KEY AUTOINCREMENT")
            key = [k for k in key if k != column]
            continue
        text = f"{column} {types.get(kind, 'TEXT')}"
        if nullable == "NO":
            text += " NOT NULL"
        if default is not None:
            text += f" DEFAULT {re.sub(r'::[a-z ]+$', '', default)}"
        parts.append(text)
    if key:
        parts.append(f"PRIMARY KEY ({', '.join(key)})")
    parts.extend(row[0] for row in raw.execute(
        "SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass AND contype = 'u'",
        [f'"{name}"'],
    ))  # fmt: skip
    statements = [f"CREATE TABLE {name} ({', '.join(parts)})"]
    for (definition,) in raw.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s"
        " AND indexname NOT IN (SELECT conname FROM pg_constraint WHERE conrelid = %s::regclass)",
        [name, f'"{name}"'],
    ).fetchall():
        definition = re.sub(r" ON \S+\.", " ON ", definition.replace(" USING btree", ""))
        statements.append(re.sub(r'COLLATE "C"', "", definition))
    return statements


def _identity(connection, name: str) -> tuple[str, int] | None:
    """(column, last id given) of a side table's counter, when it has one that was used."""
    if isinstance(connection, PgConnection):
        row = connection.raw.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
            " AND table_name = %s AND is_identity = 'YES'",
            [name],
        ).fetchone()
        if row is None:
            return None
        (last,) = connection.raw.execute(
            "SELECT pg_sequence_last_value(pg_get_serial_sequence(%s, %s))", [f'"{name}"', row[0]]
        ).fetchone()
        return None if last is None else (row[0], int(last))
    if not store.has_table(connection, "sqlite_sequence"):
        return None
    found = connection.execute("SELECT seq FROM sqlite_sequence WHERE name = ?", (name,)).fetchone()
    return None if found is None else ("", int(found[0]))


def _set_identity(connection, name: str, identity: tuple[str, int]) -> None:
    if isinstance(connection, PgConnection):
        column = identity[0] or next(
            row[0] for row in connection.raw.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema()"
                " AND table_name = %s AND is_identity = 'YES'", [name],
            )
        )  # fmt: skip
        connection.raw.execute("SELECT setval(pg_get_serial_sequence(%s, %s), %s)", [f'"{name}"', column, identity[1]])
        return
    connection.execute("DELETE FROM sqlite_sequence WHERE name = ?", (name,))
    connection.execute("INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (name, identity[1]))


# --- the copy ------------------------------------------------------------------------------------------------


def _remove(location: Location) -> None:
    if is_postgres(location):
        with closing(backend.connect_postgres(str(location))) as connection:
            connection.raw.execute(f"DROP SCHEMA IF EXISTS {backend.SCHEMA} CASCADE")
        return
    for leftover in store._companions(Path(location)):
        leftover.unlink(missing_ok=True)


def copy_store(source: Location, target: Location, replace: bool = False) -> Summary:
    """Copy the store at `source` to `target` (either a path or a URL) and check the copy.

    A store already at `target` is refused (CopyError) unless `replace`, which removes it
    first. Returns the check's summary; CopyError names the layers or tables that differ."""
    source, target = store.store_location(source), store.store_location(target)
    if str(source) == str(target):
        raise CopyError("Van en naar zijn hetzelfde gegevensbestand.")
    if not store.exists(source):
        raise backend.missing(source)
    if store.exists(target):
        if not replace:
            raise CopyError(f"Op {masked(target)} staat al een gegevensbestand; kies --vervang om het te vervangen.")
        _remove(target)
    if not is_postgres(source) and not is_postgres(target):
        Path(target).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(source, target)  # a file: as it is (no -wal: transaction checkpoints at close)
    else:
        _copy_between(source, target)
    wanted, got = summary(source), summary(target)
    wrong = wanted.differences(got)
    if wrong:
        raise CopyError(f"De kopie naar {masked(target)} wijkt af: {'; '.join(wrong)}.")
    log.info("gegevensbestand gekopieerd van %s naar %s: %s", masked(source), masked(target), got.tables)
    return got


def _copy_between(source: Location, target: Location) -> None:
    layers = {layer: store.read_areas(layer, path=source) for layer in store.area_layers(source)}
    with closing(store.connect(source)) as connection:
        statistics = store.read_frame(connection, f"SELECT * FROM {store.STATISTICS} ORDER BY fid")
        catalogue = store.read_frame(connection, f"SELECT * FROM {store.CATALOGUE} ORDER BY fid")
        rows = [tuple(row) for row in connection.execute(
            f"SELECT {store.row_columns(connection)} FROM {store.RECORDS} ORDER BY fid"
        ).fetchall()]  # fmt: skip
        side = {}
        for name in store.SIDE_TABLES:
            if store.has_table(connection, name):
                cursor = connection.execute(f'SELECT * FROM "{name}"')
                columns = [column[0] for column in cursor.description]
                side[name] = (
                    _sqlite_definition(connection, name),
                    columns,
                    cursor.fetchall(),
                    _identity(connection, name),
                )
    statistics = statistics.drop(columns=["fid"], errors="ignore")
    catalogue = catalogue.drop(columns=["fid"], errors="ignore")
    postcodes = store.read_postcodes(source)
    store.write_store(
        target, layers, statistics, catalogue, _no_records(), postcodes=postcodes if len(postcodes) else None
    )
    with store.transaction(target) as connection:
        if rows:
            store.write_rows(connection, rows)
        for name, (definition, columns, values, identity) in side.items():
            for statement in definition:
                connection.execute(statement)
            marks = ", ".join("?" for _ in columns)
            quoted = ", ".join(f'"{column}"' for column in columns)
            connection.executemany(f'INSERT INTO "{name}" ({quoted}) VALUES ({marks})', values)
            if identity is not None:
                _set_identity(connection, name, identity)


def _no_records() -> pd.DataFrame:
    from wijkmap.core.records import FIELDS

    return pd.DataFrame({field: pd.Series(dtype=object) for field in FIELDS})


__all__ = ["CopyError", "Summary", "copy_store", "summary", "postgis"]
