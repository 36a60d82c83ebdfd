"""Header mappings remembered in the store, so the next file with the same headers is
read the same way.

A mapping (file header -> template field, "" = ignored, as `read_register(columns=…)`
takes it) is kept per set of headers: normalised as the reader compares them (case,
spaces, underscores, hyphens and dots do not count) and in any order, so this month's
export of the same spreadsheet finds last month's choices. One row a set of headers in
the store side table `kolomkoppeling` (store.SIDE_TABLES: a rebuild keeps it).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping, Sequence
from contextlib import closing
from pathlib import Path

from wijkmap.data import store
from wijkmap.data.sources.register.rows import COLUMN_FIELDS, normalise_header

TABLE = "kolomkoppeling"

_SQL = f"""
CREATE TABLE IF NOT EXISTS {TABLE} (
    kolommen TEXT PRIMARY KEY,
    koppeling TEXT NOT NULL,
    bijgewerkt TEXT NOT NULL
)"""


def _key(headers: Sequence[str]) -> str:
    """The set of headers as one text: normalised, without empty ones, sorted."""
    return json.dumps(sorted({normalise_header(h) for h in headers if normalise_header(h)}), ensure_ascii=False)


def remembered(headers: Sequence[str], path: Path | None = None) -> dict[str, str]:
    """The mapping remembered for a file with these headers, keyed by the headers as this
    file writes them; {} when there is none (or no store yet). Writes nothing."""
    if not store.exists(path):
        return {}
    with closing(store.connect(path)) as connection:
        if not store.has_table(connection, TABLE):  # nothing remembered yet
            return {}
        row = connection.execute(f"SELECT koppeling FROM {TABLE} WHERE kolommen = ?", (_key(headers),)).fetchone()
    if row is None:
        return {}
    saved: dict[str, str] = json.loads(row[0])
    return {header: saved[normalise_header(header)] for header in headers if normalise_header(header) in saved}


def remember(headers: Sequence[str], columns: Mapping[str, str], path: Path | None = None) -> None:
    """Remember `columns` for files with these headers (replacing what was remembered).
    Only the mappings of headers in `headers` are kept; ValueError for a target that is
    no template field."""
    wrong = sorted({target for target in columns.values() if target and target not in COLUMN_FIELDS})
    if wrong:
        raise ValueError(f"geen veld van het registersjabloon: {', '.join(wrong)}")
    present = {normalise_header(h) for h in headers}
    saved = {normalise_header(h): target for h, target in columns.items() if normalise_header(h) in present}
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    with store.transaction(path) as connection:
        connection.execute(_SQL)
        connection.execute(
            f"INSERT INTO {TABLE} (kolommen, koppeling, bijgewerkt) VALUES (?, ?, ?)"
            " ON CONFLICT(kolommen) DO UPDATE SET koppeling = excluded.koppeling, bijgewerkt = excluded.bijgewerkt",
            (_key(headers), json.dumps(saved, ensure_ascii=False, sort_keys=True), now),
        )
