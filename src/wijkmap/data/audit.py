"""The audit log: who changed what in the store, when, and how they had logged in.

One table, `auditlog`, for every change a person makes: moderation of contributions
now, the beheer page's imports, edits and undos next. Each row names the account (or,
with the shared moderator secret, the name the moderator typed), the way they logged
in (`aanmelding`), the action, its subject (`onderwerp`, e.g. "bijdrage", and its id)
and a note. A writer calls `log` inside its own store.transaction, so the change and
its log line are written together or not at all.

Stores from before it kept moderation in `moderatie_log`; `read` returns those rows too
(as "gedeeld geheim", the only login there was), oldest last, so nothing is lost.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wijkmap.data import store

TABLE = "auditlog"
LEGACY_TABLE = "moderatie_log"
BY_ACCOUNT, BY_SECRET, BY_COMMAND_LINE = "account", "gedeeld geheim", "opdrachtregel"
BY_OIDC = "openid connect"  # st.login with the deployment's provider (accounts/oidc.py)
COLUMNS = ["tijd", "account", "aanmelding", "actie", "onderwerp", "onderwerp_id", "toelichting"]

_SQL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tijd TEXT NOT NULL,
    account TEXT NOT NULL,
    aanmelding TEXT NOT NULL,
    actie TEXT NOT NULL,
    onderwerp TEXT NOT NULL,
    onderwerp_id TEXT NOT NULL DEFAULT '',
    toelichting TEXT NOT NULL DEFAULT ''
)"""


def ensure_table(connection: store.Connection) -> None:
    connection.execute(_SQL)
    connection.execute(f"CREATE INDEX IF NOT EXISTS idx_{TABLE}_onderwerp ON {TABLE} (onderwerp, onderwerp_id)")


def log(
    connection: store.Connection, account: str, action: str, subject: str, subject_id: object = "",
    note: str = "", login: str = BY_ACCOUNT, now: dt.datetime | None = None,
) -> None:  # fmt: skip
    """One line in the audit log, in the caller's transaction."""
    ensure_table(connection)
    moment = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    connection.execute(
        f"INSERT INTO {TABLE} ({', '.join(COLUMNS)}) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (moment, account, login, action, subject, str(subject_id), note),
    )


def _tables(connection) -> set[str]:
    return {name for name in (TABLE, LEGACY_TABLE) if store.has_table(connection, name)}


def read(connection: store.Connection, subject: str | None = None) -> pd.DataFrame:
    """The log, newest first (COLUMNS); only lines about `subject` when given. Creates nothing."""
    tables, parts = _tables(connection), []
    if TABLE in tables:
        where, parameters = ("WHERE onderwerp = ?", [subject]) if subject else ("", [])
        parts.append(
            store.read_frame(connection, f"SELECT {', '.join(COLUMNS)} FROM {TABLE} {where} ORDER BY id DESC",
                             parameters)
        )  # fmt: skip
    if LEGACY_TABLE in tables and subject in (None, "bijdrage"):
        legacy = store.read_frame(
            connection,
            f"SELECT tijd, moderator AS account, ? AS aanmelding, actie, 'bijdrage' AS onderwerp,"
            f" CAST(bijdrage_id AS TEXT) AS onderwerp_id, toelichting FROM {LEGACY_TABLE} ORDER BY id DESC",
            [BY_SECRET],
        )
        parts.append(legacy)
    parts = [part for part in parts if not part.empty]
    if not parts:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat(parts, ignore_index=True)[COLUMNS]
