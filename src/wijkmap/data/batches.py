"""Batches: every change of records a person makes, kept so that it can be undone.

An import of a register, an edit of one record, a confirmation that records still exist
and a closing are each one batch: one row in `importbatch` (who, when, which file, the
counts) and, per record it changed, one row in `importbatch_record` with the record as it
was before (every field and the geometry blob, or "did not exist") and as the batch left
it. The batch, its rows, the records and the audit line are written in one
store.transaction, so a crash leaves the store as it was, and a second writer waits for
the first (the store's write lock) instead of interleaving.

Undo writes the "before" rows back exactly (records the batch created are removed), but
only while every record is still as the batch left it: a later batch, a GIS edit, a
re-import by another route make undo refuse and say which records and which batch, so no
later work is silently lost. The buurt codes are not part of that comparison: a rebuild
places records again in a new indeling, which changes no one's work; a record restored
after such a re-placement is placed again too.

Records that ship with the project (the fictional sample, the Amsterdam repair cafés) are
rebuilt from their source on every build-data, so they are not edited, confirmed or
closed here; register imports cannot touch them either (the register reader refuses
their bron). Limits (config): a batch name is at most BATCH_ID_MAX characters of letters,
digits and . _ -; one confirmation or closing names at most BATCH_MAX_IDS records.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import re
import secrets
from collections.abc import Iterable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, fields as dataclass_fields, replace
from datetime import date
from pathlib import Path

import pandas as pd

from wijkmap import config
from wijkmap.core import records as records_rules, vocabulary as vocab
from wijkmap.core.records import BIDI_CONTROLS, FIELDS, parse_date, parse_fields
from wijkmap.data import audit, gpkg, placement, store
from wijkmap.data.sources import repaircafes

log = logging.getLogger(__name__)

BATCH_TABLE = "importbatch"
BATCH_RECORD_TABLE = "importbatch_record"
KINDS = ("import", "bewerking", "bevestiging", "sluiting")
UNDO_ACTION = "ongedaan"
AUDIT_SUBJECT = "batch"
# The fields placement fills: a rebuild may change them, so they are no one's work.
PLACEMENT = ("buurtcode", "wijkcode", "gemeentecode")
BUNDLED_BRONNEN = (vocab.SAMPLE_BRON, repaircafes.BRON)
EDITABLE = tuple(field for field in FIELDS if field not in ("id", "bron", *PLACEMENT))
_NUMERIC = ("lon", "lat")
_AT = {field: 1 + index for index, field in enumerate(FIELDS)}  # in a row of (geom, *FIELDS)
_BATCH_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")
_HIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
SHOWN_IDS = 5  # record ids named in one message

_SCHEMA = (
    f"""CREATE TABLE IF NOT EXISTS {BATCH_TABLE} (
    volgnummer INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    tijd TEXT NOT NULL,
    account TEXT NOT NULL,
    soort TEXT NOT NULL,
    bestand TEXT NOT NULL DEFAULT '',
    bron TEXT NOT NULL DEFAULT '',
    nieuw INTEGER NOT NULL DEFAULT 0,
    bijgewerkt INTEGER NOT NULL DEFAULT 0,
    ongewijzigd INTEGER NOT NULL DEFAULT 0,
    gesloten INTEGER NOT NULL DEFAULT 0,
    ongedaan TEXT,
    ongedaan_door TEXT
)""",
    # voor/na: the record's FIELDS as a JSON list; voor NULL = it did not exist before.
    f"""CREATE TABLE IF NOT EXISTS {BATCH_RECORD_TABLE} (
    batch_id TEXT NOT NULL,
    record_id TEXT NOT NULL,
    voor TEXT,
    voor_geom BLOB,
    na TEXT NOT NULL,
    na_geom BLOB,
    PRIMARY KEY (batch_id, record_id)
)""",
    f"CREATE INDEX IF NOT EXISTS idx_{BATCH_RECORD_TABLE}_record ON {BATCH_RECORD_TABLE} (record_id)",
)


class BatchError(ValueError):
    """A batch that cannot be made or undone; the message is Dutch and shown as is."""


@dataclass(frozen=True)
class Batch:
    id: str
    tijd: str  # ISO 8601 UTC, seconds
    account: str
    soort: str  # one of KINDS
    bestand: str  # the file name; "" for edits, confirmations and closings
    bron: str
    nieuw: int
    bijgewerkt: int
    ongewijzigd: int
    gesloten: int
    ongedaan: str | None = None  # ISO time it was undone
    ongedaan_door: str | None = None


_BATCH_COLUMNS = [field.name for field in dataclass_fields(Batch)]


@dataclass(frozen=True)
class Plan:
    """What an import would do; nothing is written. Rows of the file (records.FIELDS),
    and `missing`: the open records of the file's bron(nen) in the store that the file
    no longer has."""

    new: pd.DataFrame
    updated: pd.DataFrame
    unchanged: pd.DataFrame
    missing: pd.DataFrame


# --- rows ------------------------------------------------------------------------------


def _row_of(record: Mapping) -> tuple:
    """A record (FIELDS, as a reader gives them) as the store keeps it: (geom, *FIELDS)."""
    values: list[str | float | None] = []
    for field in FIELDS:
        value = record.get(field)
        if value is None or (not isinstance(value, str) and pd.isna(value)):
            values.append(None if field in _NUMERIC else "")
        else:
            values.append(float(value) if field in _NUMERIC else str(value))
    lon, lat = values[_AT["lon"] - 1], values[_AT["lat"] - 1]
    if not isinstance(lon, float) or not isinstance(lat, float):
        raise BatchError(f"record {values[_AT['id'] - 1]} heeft geen locatie")
    return (gpkg.point_blob(lon, lat), *values)


def _with(row: tuple, **changes) -> tuple:
    changed = list(row)
    for field, value in changes.items():
        changed[_AT[field]] = value
    return tuple(changed)


def _value(row: tuple, field: str):
    value = row[_AT[field]]
    return ("" if value is None else str(value)) if field not in _NUMERIC else value


def _content(row: tuple | None, without: Sequence[str] = PLACEMENT) -> tuple | None:
    """What a person's work consists of in a stored row: every field but `without`, an
    empty text and NULL alike. The geometry is its lon/lat (the store's triggers keep
    them equal; a GIS may encode the same point in another blob)."""
    if row is None:
        return None
    return tuple(_value(row, field) for field in FIELDS if field not in without)


def _frame(rows: Iterable[tuple]) -> pd.DataFrame:
    frame = pd.DataFrame([list(row[1:]) for row in rows], columns=FIELDS)
    text = [field for field in FIELDS if field not in _NUMERIC]
    frame[text] = frame[text].fillna("").astype(object)
    return frame.astype({"lon": float, "lat": float})


def _dump(row: tuple | None) -> tuple[str | None, bytes | None]:
    return (None, None) if row is None else (json.dumps(list(row[1:]), ensure_ascii=False), row[0])


def _load(values: str | None, geom: bytes | None) -> tuple | None:
    return None if values is None else (geom, *json.loads(values))


def _shown(ids: Sequence[str]) -> str:
    more = f" en {len(ids) - SHOWN_IDS} andere" if len(ids) > SHOWN_IDS else ""
    return ", ".join(ids[:SHOWN_IDS]) + more


# --- the tables ------------------------------------------------------------------------


def _ensure_tables(connection: store.Connection) -> None:
    for sql in _SCHEMA:
        connection.execute(sql)


def _has_tables(connection: store.Connection) -> bool:
    return store.has_table(connection, BATCH_TABLE) and store.has_table(connection, BATCH_RECORD_TABLE)


def _batch(connection: store.Connection, batch_id: str) -> Batch | None:
    row = connection.execute(
        f"SELECT {', '.join(_BATCH_COLUMNS)} FROM {BATCH_TABLE} WHERE id = ?", (batch_id,)
    ).fetchone()
    return Batch(*row) if row else None


def list_batches(path: Path | None = None) -> list[Batch]:
    """Every batch, newest first (undone ones too, marked)."""
    with closing(store.connect(path)) as connection:
        if not _has_tables(connection):
            return []
        rows = connection.execute(
            f"SELECT {', '.join(_BATCH_COLUMNS)} FROM {BATCH_TABLE} ORDER BY volgnummer DESC"
        ).fetchall()
    return [Batch(*row) for row in rows]


def get_batch(batch_id: str, path: Path | None = None) -> Batch | None:
    with closing(store.connect(path)) as connection:
        return _batch(connection, batch_id) if _has_tables(connection) else None


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def _check_account(account: str) -> str:
    account = (account or "").strip()
    if not account:
        raise BatchError("Geen account: een wijziging noemt altijd wie haar maakte.")
    if len(account) > config.BATCH_ACCOUNT_MAX or _HIDDEN.search(account):
        raise BatchError(f"Ongeldig account (hoogstens {config.BATCH_ACCOUNT_MAX} tekens, geen stuurtekens).")
    return account


def _check_name(given: str | None) -> None:
    if given is not None and (len(given) > config.BATCH_ID_MAX or not _BATCH_ID.fullmatch(given)):
        raise BatchError(
            f"Ongeldige batchnaam “{given[: config.MAX_SHOWN]}”: hoogstens {config.BATCH_ID_MAX} tekens,"
            " letters, cijfers en . _ - (niet vooraan)."
        )


def _new_id(connection: store.Connection, given: str | None) -> str:
    """The batch id: `given` when it is a valid, unused name, else a new one."""
    if given is not None:
        _check_name(given)
        if _batch(connection, given) is not None:
            raise BatchError(f"Er is al een batch “{given}”; kies een andere naam.")
        return given
    while True:
        candidate = f"{dt.datetime.now(dt.UTC):%Y%m%d-%H%M%S}-{secrets.token_hex(2)}"
        if _batch(connection, candidate) is None:
            return candidate


def _write_batch(
    connection: store.Connection, batch: Batch, changes: Iterable[tuple[str, tuple | None, tuple]], login: str
) -> None:
    """The batch row, its before/after rows, the records and the audit line, in `connection`'s transaction."""
    changes = list(changes)
    connection.execute(
        f"INSERT INTO {BATCH_TABLE} ({', '.join(_BATCH_COLUMNS)}) VALUES ({', '.join('?' for _ in _BATCH_COLUMNS)})",
        [getattr(batch, name) for name in _BATCH_COLUMNS],
    )
    connection.executemany(
        f"INSERT INTO {BATCH_RECORD_TABLE} (batch_id, record_id, voor, voor_geom, na, na_geom)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        [(batch.id, record_id, *_dump(before), *_dump(after)) for record_id, before, after in changes],
    )
    if changes:
        store.write_rows(connection, [after for _, _, after in changes])
    counts = f"{batch.nieuw} nieuw, {batch.bijgewerkt} bijgewerkt, {batch.ongewijzigd} ongewijzigd, {batch.gesloten} gesloten"
    note = f"{batch.bestand}: {counts}" if batch.bestand else counts
    audit.log(connection, batch.account, batch.soort, AUDIT_SUBJECT, batch.id, note, login=login)
    log.info("batch %s (%s) geschreven: %s", batch.id, batch.soort, counts)


def _day(text: str, what: str) -> str:
    """A whole day "YYYY-MM-DD" (as the importer reads dates), or BatchError."""
    try:
        parsed = parse_date(text or "")
    except ValueError:
        parsed = ""
    if len(parsed) != len("2026-03-01"):
        raise BatchError(
            f"{what} “{(text or '')[: config.MAX_SHOWN]}” is geen geldige dag; gebruik bijvoorbeeld 2026-03-01."
        )
    return parsed


def _today() -> str:
    return date.today().isoformat()


def _is_open(gesloten: str, today: str) -> bool:
    return not gesloten or gesloten > today


# --- import ----------------------------------------------------------------------------


def _stored_of(connection: store.Connection, bronnen: Sequence[str]) -> list[tuple]:
    marks = ", ".join("?" for _ in bronnen)
    query = (
        f"SELECT {store.row_columns(connection)} FROM {store.RECORDS} WHERE COALESCE(bron, '') IN ({marks}) ORDER BY id"
    )
    return [tuple(row) for row in connection.execute(query, list(bronnen)).fetchall()]


def _plan(connection: store.Connection, records: pd.DataFrame, today: str):
    """(plan, file rows, stored rows by id, missing rows) of an import of `records`."""
    absent = [field for field in FIELDS if field not in records.columns]
    if absent:
        raise ValueError(f"records lack fields: {absent}")
    rows = [_row_of(record) for record in records[FIELDS].to_dict("records")]
    ids = [row[_AT["id"]] for row in rows]
    if not all(ids) or len(set(ids)) != len(ids):
        raise ValueError("records need unique ids")
    stored = store.read_rows(connection, ids)
    kinds: dict[str, list[int]] = {"new": [], "updated": [], "unchanged": []}
    for position, row in enumerate(rows):
        before = stored.get(row[_AT["id"]])
        if before is None:
            kinds["new"].append(position)
        else:
            same = _content(before, without=("laatst_gecontroleerd",)) == _content(
                row, without=("laatst_gecontroleerd",)
            )
            kinds["unchanged" if same else "updated"].append(position)
    bronnen = sorted({_value(row, "bron") for row in rows})
    present = set(ids)
    missing = [
        row for row in _stored_of(connection, bronnen)
        if row[_AT["id"]] not in present and _is_open(_value(row, "gesloten"), today)
    ]  # fmt: skip
    frame = records[FIELDS].reset_index(drop=True)
    plan = Plan(
        new=frame.iloc[kinds["new"]].reset_index(drop=True),
        updated=frame.iloc[kinds["updated"]].reset_index(drop=True),
        unchanged=frame.iloc[kinds["unchanged"]].reset_index(drop=True),
        missing=_frame(missing),
    )
    return plan, rows, stored, missing, bronnen


def plan_import(records: pd.DataFrame, path: Path | None = None) -> Plan:
    """What importing `records` (a register reader's records) would do, against the store as it is now."""
    with closing(store.connect(path)) as connection:
        return _plan(connection, records, _today())[0]


def import_batch(
    records: pd.DataFrame,
    *,
    bestand: str,
    account: str,
    batch_id: str | None = None,
    close_missing: str | None = None,
    checked: str | None = None,
    path: Path | None = None,
    login: str = audit.BY_ACCOUNT,
) -> Batch:
    """Write `records` (checked by the register reader) as one batch, in one transaction.

    New records are added, changed ones updated; each row of the file gets
    laatst_gecontroleerd: the file's own value, else `checked`, else today. The open
    records of the file's bron(nen) that the file no longer has are left open unless
    `close_missing` ("YYYY-MM-DD") is given, which closes them on that day; nothing is
    ever deleted. Raises BatchError (nothing written) for a bad name, account or date."""
    account = _check_account(account)
    _check_name(batch_id)
    today = _today()
    checked = _day(checked, "laatst_gecontroleerd") if checked else today
    if checked > today:
        raise BatchError(f"laatst_gecontroleerd {checked} ligt in de toekomst; er is niets geïmporteerd.")
    closing_day = _day(close_missing, "Sluitdatum") if close_missing else None
    if records.empty:
        raise BatchError("Het bestand heeft geen records; er is niets geïmporteerd.")
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        identifier = _new_id(connection, batch_id)
        plan, rows, stored, missing, bronnen = _plan(connection, records, today)
        changes = []
        for row in rows:
            row = row if _value(row, "laatst_gecontroleerd") else _with(row, laatst_gecontroleerd=checked)
            before = stored.get(row[_AT["id"]])
            if before is not None and _content(before, without=()) == _content(row, without=()):
                continue  # the same, date included: nothing to write or undo
            changes.append((row[_AT["id"]], before, row))
        closed = 0
        if closing_day:
            early = [row[_AT["id"]] for row in missing if _value(row, "geopend") > closing_day]
            if early:
                raise BatchError(
                    f"Sluitdatum {closing_day} ligt vóór de opening van {_shown(early)}; er is niets geïmporteerd."
                )
            changes.extend((row[_AT["id"]], row, _with(row, gesloten=closing_day)) for row in missing)
            closed = len(missing)
        batch = Batch(
            id=identifier, tijd=_now(), account=account, soort="import", bestand=bestand, bron="; ".join(bronnen),
            nieuw=len(plan.new), bijgewerkt=len(plan.updated), ongewijzigd=len(plan.unchanged), gesloten=closed,
        )  # fmt: skip
        _write_batch(connection, batch, changes, login)
    return batch


# --- undo ------------------------------------------------------------------------------


def _later_batches(connection: store.Connection, batch_id: str, record_ids: Sequence[str]) -> dict[str, str]:
    """record id -> the newest batch after `batch_id` (not undone) that changed it."""
    (number,) = connection.execute(f"SELECT volgnummer FROM {BATCH_TABLE} WHERE id = ?", (batch_id,)).fetchone()
    later: dict[str, str] = {}
    for start in range(0, len(record_ids), 900):
        chunk = list(record_ids[start : start + 900])
        query = (
            f"SELECT r.record_id, b.id FROM {BATCH_RECORD_TABLE} r JOIN {BATCH_TABLE} b ON b.id = r.batch_id"
            f" WHERE b.volgnummer > ? AND b.ongedaan IS NULL AND r.record_id IN ({', '.join('?' for _ in chunk)})"
            " ORDER BY b.volgnummer"
        )
        later.update(connection.execute(query, [number, *chunk]).fetchall())
    return later


def _refusal(batch_id: str, changed: list[str], later: dict[str, str]) -> str:
    by_batch: dict[str, list[str]] = {}
    for record_id in changed:
        by_batch.setdefault(later.get(record_id, ""), []).append(record_id)
    parts = [f"{_shown(ids)} door batch {other}" for other, ids in sorted(by_batch.items()) if other]
    if "" in by_batch:
        parts.append(f"{_shown(by_batch[''])} buiten een batch om (in een GIS, een andere import of verwijderd)")
    advice = " Maak eerst de latere batch ongedaan." if any(later.get(i) for i in changed) else ""
    return (
        f"Batch {batch_id} kan niet ongedaan worden gemaakt: {len(changed)} record(s) zijn daarna gewijzigd: "
        f"{'; '.join(parts)}. Er is niets veranderd.{advice}"
    )


def _placed_again(rows: list[tuple], path: Path | None) -> list[tuple]:
    """`rows` with their buurt codes from the store's buurten as they are now."""
    frame = _frame(rows)
    margin = 0.01  # degrees, beyond placement's tolerance of LOCATE_TOLERANCE_M
    bbox = (frame["lon"].min() - margin, frame["lat"].min() - margin, frame["lon"].max() + margin,
            frame["lat"].max() + margin)  # fmt: skip
    placed = placement.place(frame, placement.buurten_in(bbox, path))
    return [
        _with(row, **{field: placed.at[position, field] for field in PLACEMENT}) for position, row in enumerate(rows)
    ]


def undo(batch_id: str, *, account: str, path: Path | None = None, login: str = audit.BY_ACCOUNT) -> Batch:
    """Restore exactly the rows as they were before batch `batch_id` (records it created
    are removed), in one transaction. Refuses with BatchError, writing nothing, when the
    batch is unknown or already undone, or when one of its records changed after it."""
    account = _check_account(account)
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        batch = _batch(connection, batch_id)
        if batch is None:
            raise BatchError(f"Er is geen batch “{batch_id[: config.MAX_SHOWN]}”.")
        if batch.ongedaan:
            raise BatchError(f"Batch {batch_id} is al ongedaan gemaakt ({batch.ongedaan} door {batch.ongedaan_door}).")
        entries = connection.execute(
            f"SELECT record_id, voor, voor_geom, na, na_geom FROM {BATCH_RECORD_TABLE} WHERE batch_id = ?"
            " ORDER BY record_id",
            (batch_id,),
        ).fetchall()
        current = store.read_rows(connection, [entry[0] for entry in entries])
        changed = [
            record_id for record_id, _, _, after, after_geom in entries
            if _content(current.get(record_id)) != _content(_load(after, after_geom))
        ]  # fmt: skip
        if changed:
            raise BatchError(_refusal(batch_id, changed, _later_batches(connection, batch_id, changed)))
        restored, replace_codes, removed = [], [], []
        for record_id, before, before_geom, after, after_geom in entries:
            row, after_row = _load(before, before_geom), _load(after, after_geom)
            if row is None:
                removed.append(record_id)
            elif after_row is not None and [_value(current[record_id], f) for f in PLACEMENT] != [
                _value(after_row, f) for f in PLACEMENT
            ]:
                replace_codes.append(row)  # placed again since the batch (a rebuild): so is what returns
            else:
                restored.append(row)
        if replace_codes:
            restored.extend(_placed_again(replace_codes, path))
        store.delete_records(removed, connection)
        if restored:
            store.write_rows(connection, restored)
        moment = _now()
        connection.execute(
            f"UPDATE {BATCH_TABLE} SET ongedaan = ?, ongedaan_door = ? WHERE id = ?", (moment, account, batch_id)
        )
        note = f"{len(restored)} hersteld, {len(removed)} verwijderd"
        audit.log(connection, account, UNDO_ACTION, AUDIT_SUBJECT, batch_id, note, login=login)
        log.info("batch %s ongedaan gemaakt: %s", batch_id, note)
        return replace(batch, ongedaan=moment, ongedaan_door=account)


# --- edit, confirm, close ----------------------------------------------------------------


def _own(connection: store.Connection, ids: Iterable[str]) -> dict[str, tuple]:
    """The stored rows of `ids`, all of which must exist and be the gemeente's own (not
    bundled with the project); BatchError otherwise."""
    ids = [str(identifier) for identifier in dict.fromkeys(ids)]
    if not ids:
        raise BatchError("Geen records gekozen.")
    if len(ids) > config.BATCH_MAX_IDS:
        raise BatchError(f"Te veel records in één keer ({len(ids)}); hoogstens {config.BATCH_MAX_IDS}.")
    rows = store.read_rows(connection, ids)
    unknown = [identifier[: config.MAX_SHOWN] for identifier in ids if identifier not in rows]
    if unknown:
        raise BatchError(f"Onbekende record(s): {_shown(unknown)}. Er is niets gewijzigd.")
    bundled = [identifier for identifier in ids if _value(rows[identifier], "bron") in BUNDLED_BRONNEN]
    if bundled:
        raise BatchError(
            f"{_shown(bundled)} {'hoort' if len(bundled) == 1 else 'horen'} bij de gegevens die met wijkmap"
            " worden meegeleverd en bij elke herbouw opnieuw worden ingelezen; wijzig ze in hun bron."
        )
    return {identifier: rows[identifier] for identifier in ids}


def _single_batch(
    connection: store.Connection, kind: str, account: str, changes: list[tuple[str, tuple, tuple]],
    unchanged: int, login: str, closed: int = 0,
) -> Batch:  # fmt: skip
    bronnen = sorted({_value(after, "bron") for _, _, after in changes})
    batch = Batch(
        id=_new_id(connection, None), tijd=_now(), account=account, soort=kind, bestand="", bron="; ".join(bronnen),
        nieuw=0, bijgewerkt=len(changes) - closed, ongewijzigd=unchanged, gesloten=closed,
    )  # fmt: skip
    _write_batch(connection, batch, changes, login)
    return batch


def _position(fields: Mapping[str, str], current: tuple) -> tuple[float, float, list[str]]:
    """lon, lat (given, with a decimal comma or point, or as stored) and what is wrong with them."""
    position, problems = [], []
    for field in _NUMERIC:
        text = str(fields.get(field, _value(current, field)) or "").strip().replace(",", ".")
        try:
            value = float(text)
        except ValueError:
            value = float("nan")
        if value != value:
            problems.append(f"{field} “{text[: config.MAX_SHOWN]}”: geen getal")
        position.append(value)
    return position[0], position[1], problems


def edit_record(
    fields: Mapping[str, str], *, account: str, path: Path | None = None, login: str = audit.BY_ACCOUNT
) -> Batch:
    """Change one record (by fields["id"], which must exist) as one batch "bewerking".

    `fields` holds the fields to change (of EDITABLE), as a person typed them; the others
    keep their value. The same checks as the importer's (records.parse_fields, and a
    position must lie in a buurt of the store) raise BatchError naming field, value and
    what is wrong; nothing is written then, nor when nothing changes."""
    account = _check_account(account)
    record_id = str(fields.get("id", "") or "")
    wrong = sorted(set(fields) - {"id", *EDITABLE})
    if wrong:
        raise BatchError(f"Deze velden kunnen niet bewerkt worden: {', '.join(w[: config.MAX_SHOWN] for w in wrong)}.")
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        current = _own(connection, [record_id])[record_id]
        text = {field: _value(current, field) for field in FIELDS if field not in _NUMERIC}
        text.update({field: "" if value is None else str(value) for field, value in fields.items()})
        record, problems = parse_fields(
            {field: text[field] for field in FIELDS if field not in (*_NUMERIC, *PLACEMENT)}
        )
        messages = [f"{p.field} “{p.value[: config.MAX_SHOWN]}”: {p.message}" for p in problems]
        lon, lat, wrong_position = _position(fields, current)
        messages.extend(wrong_position)
        codes = {field: _value(current, field) for field in PLACEMENT}
        moved = (lon, lat) != (_value(current, "lon"), _value(current, "lat"))
        if not wrong_position and (moved or not codes["gemeentecode"]):
            placed = _placed_again([_with(current, lon=lon, lat=lat)], path)[0]
            codes = {field: _value(placed, field) for field in PLACEMENT}
            if not codes["gemeentecode"]:
                messages.append(f"lon/lat “{lon}, {lat}”: ligt in geen enkele buurt van het gegevensbestand")
        if messages:
            raise BatchError(f"Record {record_id} is niet opgeslagen: {'; '.join(messages)}.")
        after = _with(current, **{field: record[field] for field in record if field in _AT}, **codes, lon=lon, lat=lat)
        if moved:
            after = (gpkg.point_blob(lon, lat), *after[1:])
        if _content(after, without=()) == _content(current, without=()):
            raise BatchError(f"Er is niets gewijzigd aan record {record_id}.")
        return _single_batch(connection, "bewerking", account, [(record_id, current, after)], 0, login)


def confirm(
    ids: Iterable[str], *, account: str, on: str | None = None, path: Path | None = None,
    login: str = audit.BY_ACCOUNT,
) -> Batch:  # fmt: skip
    """Set laatst_gecontroleerd of these records to `on` (a day, default today; not in the
    future) as one batch "bevestiging". Records already confirmed on that day count as
    unchanged."""
    account = _check_account(account)
    day = _day(on, "Controledatum") if on else _today()
    if day > _today():
        raise BatchError(f"Controledatum {day} ligt in de toekomst.")
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        rows = _own(connection, ids)
        changes = [
            (identifier, row, _with(row, laatst_gecontroleerd=day))
            for identifier, row in rows.items() if _value(row, "laatst_gecontroleerd") != day
        ]  # fmt: skip
        return _single_batch(connection, "bevestiging", account, changes, len(rows) - len(changes), login)


def close(
    ids: Iterable[str], *, on: str, account: str, path: Path | None = None, login: str = audit.BY_ACCOUNT
) -> Batch:
    """Close these records on day `on` (gesloten) as one batch "sluiting"; refused for a
    record that opened after that day. Records already closed on that day count as unchanged."""
    account = _check_account(account)
    day = _day(on, "Sluitdatum")
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        rows = _own(connection, ids)
        early = [identifier for identifier, row in rows.items() if _value(row, "geopend") > day]
        if early:
            raise BatchError(f"Sluitdatum {day} ligt vóór de opening van {_shown(early)}. Er is niets gewijzigd.")
        changes = [
            (identifier, row, _with(row, gesloten=day))
            for identifier, row in rows.items() if _value(row, "gesloten") != day
        ]  # fmt: skip
        return _single_batch(
            connection, "sluiting", account, changes, len(rows) - len(changes), login, closed=len(changes)
        )


# --- freshness ---------------------------------------------------------------------------


def is_stale(value: str, *, months: int | None = None, today: date | None = None) -> bool:
    """records.is_stale (the map's rule too) with config.STALE_MONTHS and today as defaults."""
    months = config.STALE_MONTHS if months is None else months
    return isinstance(value, str) and records_rules.is_stale(value, months, today or date.today())


def stale(
    gemeentecode: str | None = None, *, months: int | None = None, today: date | None = None,
    path: Path | None = None,
) -> pd.DataFrame:  # fmt: skip
    """The open records (of `gemeentecode`, or all) that nobody confirmed for more than
    `months`, or ever, with records.FIELDS; never confirmed first, then the oldest. The
    records bundled with wijkmap are left out (they are not confirmed here)."""
    today = today or date.today()
    records = pd.DataFrame(store.read_records(path, gemeentecode=gemeentecode).drop(columns="geometry"))
    checked = records["laatst_gecontroleerd"]
    wanted = (
        records["gesloten"].map(lambda gesloten: _is_open(gesloten, today.isoformat()))
        & ~records["bron"].isin(BUNDLED_BRONNEN)
        & ((checked == "") | checked.map(lambda value: is_stale(value, months=months, today=today)))
    )
    return records[wanted].sort_values(["laatst_gecontroleerd", "naam", "id"], kind="stable").reset_index(drop=True)
