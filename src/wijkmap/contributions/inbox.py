"""The contribution queue: what practitioners send in waits here for a moderator.

The path of one example:

1. A person fills in the form (submit_page.py). `checks.check_submission` turns what
   they typed into a `Submission` with the same rules as imports (records.parse_fields)
   plus what a form needs: a story, a place in a buurt, a way to reach them, consent.
   Every problem names its field, in the interface language.
2. `submit` puts it in the queue table `bijdrage_wachtrij` of the store. Nothing in the
   queue is public: the map, the Voorbeelden page and every export read only records.
3. A moderator (only when WIJKMAP_MODERATOR_SECRET is set) edits, approves or rejects
   with a reason; every action goes into the audit log (data/audit.py) with time, the
   account (or the name typed with the shared secret) and how they logged in.
   Approval writes the example as a record with bron "bijdrage" into the `voorzieningen`
   layer, in the same transaction as the status change and the log line.

Contact name and e-mail are stored in the queue table only: `to_record` builds a record
from the example's own fields and nothing else. Writes are short transactions through
`store.transaction` (WAL mode, busy timeout), so many people sending at once lose nothing.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
from collections.abc import Mapping
from contextlib import closing
from dataclasses import fields as dataclass_fields
from pathlib import Path
from typing import Any

import pandas as pd

from wijkmap.config import (
    CLIENT_MAX_PENDING,
    CLIENT_RATE_MAX,
    MAX_PENDING,
    MODERATOR_SECRET_ENV as SECRET_ENV,
    MODERATOR_SECRET_KEY,
    MODERATOR_SECRET_TABLE,
    RATE_WINDOW_S,
)
from wijkmap.contributions.checks import (
    EXAMPLE_FIELDS,
    LIMITS,
    LOCATION_FIELDS,
    Example,
    Location,
    Submission,
    clean_text,
    wait_before_next,
)
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import DEFAULT_LANGUAGE, t
from wijkmap.core.records import FIELDS, split_list
from wijkmap.data import audit, store

QUEUE = "bijdrage_wachtrij"
LOG = audit.TABLE
SUBJECT = "bijdrage"  # the audit log's onderwerp of moderation lines
BRON = vocab.CONTRIBUTION_BRON

PENDING, APPROVED, REJECTED = "wachtend", "goedgekeurd", "afgewezen"
STATUSES = (PENDING, APPROVED, REJECTED)
# Log actions.
EDITED = "bewerkt"


class ModerationError(ValueError):
    """A moderation action that cannot be done (unknown id, no reason, no name)."""


class QueueFull(RuntimeError):
    """MAX_PENDING submissions wait for moderation: new ones are refused (args[0]: how many)."""


class TooManyFromClient(RuntimeError):
    """This client address may not send now: `wait_s` seconds after CLIENT_RATE_MAX
    submissions within the hour, or None while CLIENT_MAX_PENDING of its submissions wait."""

    def __init__(self, wait_s: float | None, count: int):
        super().__init__(wait_s, count)
        self.wait_s, self.count = wait_s, count


# --- the queue ------------------------------------------------------------------------

_QUEUE_SQL = f"""
CREATE TABLE IF NOT EXISTS {QUEUE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ingediend TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '{PENDING}' CHECK (status IN ('{PENDING}', '{APPROVED}', '{REJECTED}')),
    {", ".join(f"{name} TEXT NOT NULL DEFAULT ''" for name in EXAMPLE_FIELDS)},
    buurtcode TEXT NOT NULL, wijkcode TEXT NOT NULL, gemeentecode TEXT NOT NULL,
    lon REAL NOT NULL, lat REAL NOT NULL, locatie TEXT NOT NULL,
    contact_naam TEXT NOT NULL DEFAULT '', contact_email TEXT NOT NULL DEFAULT '',
    taal TEXT NOT NULL DEFAULT '{DEFAULT_LANGUAGE}',
    record_id TEXT NOT NULL DEFAULT '', reden TEXT NOT NULL DEFAULT '', bijgewerkt TEXT NOT NULL DEFAULT '',
    afzender TEXT NOT NULL DEFAULT ''
)"""
PUBLIC_COLUMNS = ["id", "ingediend", "status", *EXAMPLE_FIELDS, *LOCATION_FIELDS, "record_id", "reden", "bijgewerkt"]
CONTACT_COLUMNS = ["contact_naam", "contact_email", "taal"]
# `afzender`: the client_key of the sender, for the per-address limits only; in no
# column list above, so it is never read out, shown or exported.
SENDER = "afzender"


def _ensure_tables(connection: store.Connection) -> None:
    connection.execute(_QUEUE_SQL)
    columns = set(store.table_columns(connection, QUEUE))
    if SENDER not in columns:  # a queue from before the per-address limits
        connection.execute(f"ALTER TABLE {QUEUE} ADD COLUMN {SENDER} TEXT NOT NULL DEFAULT ''")
    connection.execute(f"CREATE INDEX IF NOT EXISTS idx_{QUEUE}_status ON {QUEUE} (status)")
    connection.execute(f"CREATE INDEX IF NOT EXISTS idx_{QUEUE}_{SENDER} ON {QUEUE} ({SENDER}, status)")
    audit.ensure_table(connection)


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")


def _example_values(example: Example) -> dict:
    location = {item.name: getattr(example.location, item.name) for item in dataclass_fields(Location)}
    return {**{name: example.fields.get(name, "") for name in EXAMPLE_FIELDS}, **location}


def _check_sender(connection: store.Connection, sender: str, now: dt.datetime) -> None:
    """Refuse (TooManyFromClient) when this sender has too much waiting or sent too
    much this hour. Forgets the sender of what no limit needs any more (moderated, and
    older than the window), so a hashed address is kept no longer than it is used."""
    since = _now(now - dt.timedelta(seconds=RATE_WINDOW_S))
    connection.execute(
        f"UPDATE {QUEUE} SET {SENDER} = '' WHERE {SENDER} != '' AND status != ? AND ingediend < ?", (PENDING, since)
    )
    pending = connection.execute(
        f"SELECT COUNT(*) FROM {QUEUE} WHERE {SENDER} = ? AND status = ?", (sender, PENDING)
    ).fetchone()[0]
    if pending >= CLIENT_MAX_PENDING:
        raise TooManyFromClient(None, pending)
    sent = [
        dt.datetime.fromisoformat(moment).timestamp()
        for (moment,) in connection.execute(
            f"SELECT ingediend FROM {QUEUE} WHERE {SENDER} = ? AND ingediend >= ?", (sender, since)
        )
    ]
    wait = wait_before_next(sent, now.timestamp(), limit=CLIENT_RATE_MAX, gap=0.0)
    if wait > 0:
        raise TooManyFromClient(wait, len(sent))


def submit(
    submission: Submission, path: Path | None = None, now: dt.datetime | None = None, sender: str = "",
) -> int:  # fmt: skip
    """Put a checked submission in the queue (status 'wachtend'); returns its number.

    `sender` is the client_key of who sends it (the form always gives one): raises
    TooManyFromClient past that sender's limits, and QueueFull when MAX_PENDING
    submissions of everyone together wait."""
    moment = now or dt.datetime.now(dt.UTC)
    values = {
        "ingediend": _now(moment),
        **_example_values(submission.example),
        "contact_naam": submission.contact_naam,
        "contact_email": submission.contact_email,
        "taal": submission.taal,
        SENDER: sender,
    }
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        if sender:
            _check_sender(connection, sender, moment)
        waiting = connection.execute(f"SELECT COUNT(*) FROM {QUEUE} WHERE status = ?", (PENDING,)).fetchone()[0]
        if waiting >= MAX_PENDING:
            raise QueueFull(waiting)
        cursor = connection.execute(
            f"INSERT INTO {QUEUE} ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)}) RETURNING id",
            list(values.values()),
        )
        return int(cursor.fetchone()[0])


def _read(sql: str, columns: list[str], path: Path | None, parameters=()) -> pd.DataFrame:
    with closing(store.connect(path)) as connection:
        if not store.has_table(connection, QUEUE):
            return pd.DataFrame(columns=columns)
        return store.read_frame(connection, sql, parameters)


def read_queue(path: Path | None = None, status: str | None = None, contact: bool = False) -> pd.DataFrame:
    """The submissions, newest first; only for the moderation page.

    `contact=True` adds the contact name and e-mail (never shown anywhere else)."""
    columns = PUBLIC_COLUMNS + (CONTACT_COLUMNS if contact else [])
    where, parameters = ("WHERE status = ?", [status]) if status else ("", [])
    return _read(f"SELECT {', '.join(columns)} FROM {QUEUE} {where} ORDER BY id DESC", columns, path, parameters)


def read_log(path: Path | None = None) -> pd.DataFrame:
    """Every moderation action, newest first: the audit log's lines about contributions
    (also those of a store from before the audit log)."""
    with closing(store.connect(path)) as connection:
        lines = audit.read(connection, SUBJECT)
    return pd.DataFrame(
        {
            "tijd": lines["tijd"], "moderator": lines["account"], "aanmelding": lines["aanmelding"],
            "actie": lines["actie"], "bijdrage_id": pd.to_numeric(lines["onderwerp_id"]).astype("int64"),
            "toelichting": lines["toelichting"],
        }
    )  # fmt: skip


def get_submission(submission_id: int, path: Path | None = None) -> dict | None:
    """One submission with its contact details, or None."""
    frame = _read(
        f"SELECT {', '.join(PUBLIC_COLUMNS + CONTACT_COLUMNS)} FROM {QUEUE} WHERE id = ?",
        PUBLIC_COLUMNS + CONTACT_COLUMNS,
        path,
        [int(submission_id)],
    )
    return None if frame.empty else frame.iloc[0].to_dict()


# --- moderation -------------------------------------------------------------------------


def moderation_secret(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> str:
    """The moderator secret, or "" when there is none (or only spaces): moderation is off.

    First from `secrets`, Streamlit's .streamlit/secrets.toml as the page passes it in
    (`[wijkmap] moderator_secret`, else a top-level WIJKMAP_MODERATOR_SECRET), then from
    the environment (`environ`, os.environ by default). The file comes first because
    Streamlit copies its top-level values into the environment anyway."""
    candidates: list[object] = []
    if secrets:
        table = secrets.get(MODERATOR_SECRET_TABLE)
        if isinstance(table, Mapping):
            candidates.append(table.get(MODERATOR_SECRET_KEY))
        candidates.append(secrets.get(SECRET_ENV))
    candidates.append((os.environ if environ is None else environ).get(SECRET_ENV))
    return next((secret for secret in candidates if isinstance(secret, str) and secret.strip()), "")


def moderation_enabled(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> bool:
    """Moderation exists only when a moderator secret is set (there is no default)."""
    return bool(moderation_secret(environ, secrets))


def secret_matches(
    given: str | None, environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> bool:
    """Whether `given` is the moderator secret, compared in constant time."""
    secret = moderation_secret(environ, secrets)
    if not secret or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def _moderator(name: str, lang: str) -> str:
    name = clean_text(name).replace("\n", " ")
    if not name:
        raise ModerationError(t("err_moderator", lang))
    return name[: LIMITS["moderator"]]


def _row(connection: store.Connection, submission_id: int, lang: str) -> dict:
    _ensure_tables(connection)
    cursor = connection.execute(f"SELECT * FROM {QUEUE} WHERE id = ?", (int(submission_id),))
    row = cursor.fetchone()
    if row is None:
        raise ModerationError(t("err_unknown_submission", lang).format(id=submission_id))
    return dict(zip([column[0] for column in cursor.description], row, strict=True))


def _log(connection, moderator: str, action: str, submission_id: int, note: str, now, login: str) -> None:
    audit.log(connection, moderator, action, SUBJECT, int(submission_id), note, login=login, now=now)


def record_id(submission_id: int) -> str:
    return f"{BRON}-{int(submission_id)}"


def to_record(row: Mapping) -> dict:
    """The public record of an approved submission: its example fields, its place and
    bron "bijdrage". Built field by field, so nothing else (no contact) can slip in."""
    record = {name: "" for name in FIELDS}
    record.update({name: str(row[name]) for name in EXAMPLE_FIELDS})
    record.update(
        id=record_id(row["id"]), bron=BRON,
        buurtcode=str(row["buurtcode"]), wijkcode=str(row["wijkcode"]), gemeentecode=str(row["gemeentecode"]),
        lon=float(row["lon"]), lat=float(row["lat"]),
    )  # fmt: skip
    return record


def _publish(connection, row: Mapping) -> str:
    record = to_record(row)
    store.upsert_records(pd.DataFrame([record], columns=FIELDS), connection=connection)
    return record["id"]


def edit(
    submission_id: int, example: Example, moderator: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE, login: str = audit.BY_SECRET,
) -> list[str]:  # fmt: skip
    """Replace the example of a submission (checked with check_example); returns the
    names of the fields that changed. A published example is updated on the map too."""
    moderator = _moderator(moderator, lang)
    new = _example_values(example)
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        changed = [name for name, value in new.items() if str(row[name]) != str(value)]
        if not changed:
            return []
        assignments = ", ".join(f"{name} = ?" for name in new)
        connection.execute(
            f"UPDATE {QUEUE} SET {assignments}, bijgewerkt = ? WHERE id = ?",
            [*new.values(), _now(now), int(submission_id)],
        )
        if row["status"] == APPROVED:
            _publish(connection, {**row, **new})
        _log(connection, moderator, EDITED, submission_id, ", ".join(changed), now, login)
        return changed


def approve(
    submission_id: int, moderator: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE, login: str = audit.BY_SECRET,
) -> str:  # fmt: skip
    """Publish a submission: its record goes on the map, in one transaction with the
    status and the log. Returns the record id. Approving twice publishes once."""
    moderator = _moderator(moderator, lang)
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        if row["status"] == APPROVED:
            return row["record_id"]
        published = _publish(connection, row)
        connection.execute(
            f"UPDATE {QUEUE} SET status = ?, record_id = ?, reden = '', bijgewerkt = ? WHERE id = ?",
            (APPROVED, published, _now(now), int(submission_id)),
        )
        _log(connection, moderator, APPROVED, submission_id, "", now, login)
        return published


def reject(
    submission_id: int, moderator: str, reason: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE, login: str = audit.BY_SECRET,
) -> None:  # fmt: skip
    """Refuse a submission with a reason; a published one is taken off the map."""
    moderator = _moderator(moderator, lang)
    reason = clean_text(reason)
    if not reason:
        raise ModerationError(t("err_reason", lang))
    reason = reason[: LIMITS["reden"]]
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        if row["record_id"]:
            store.delete_records([row["record_id"]], connection)
        connection.execute(
            f"UPDATE {QUEUE} SET status = ?, record_id = '', reden = ?, bijgewerkt = ? WHERE id = ?",
            (REJECTED, reason, _now(now), int(submission_id)),
        )
        _log(connection, moderator, REJECTED, submission_id, reason, now, login)


def form_values(row: Mapping) -> dict:
    """A queue row as the form's widgets hold it (lists for several codes), to edit it."""
    values = {name: str(row[name]) for name in EXAMPLE_FIELDS}
    for name in ("actortype", "doelgroep"):
        values[name] = split_list(values[name])
    if row["locatie"] == "buurt":
        values.update(buurtcode=row["buurtcode"], lat="", lon="")
    else:
        values.update(buurtcode="", lat=f"{float(row['lat']):.6f}", lon=f"{float(row['lon']):.6f}")
    values["gemeentecode"] = row["gemeentecode"]
    return values
