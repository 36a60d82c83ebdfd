"""Reading a municipality's own register file (CSV, Excel, GeoJSON, GeoPackage) into records.

The accepted columns are those of the register template in the README. Every file is
first read as a plain table of text (so nothing is silently converted: no leading zeros
lost, no dates guessed), then each row is checked with `records.parse_fields`, then all
locations are placed in buurten in one vectorised step. Nothing here raises on a bad
file: every problem comes back as a `RowProblem` naming file, row, column and value, in
Dutch, so the person who made the file can fix it. Callers import nothing when there are
problems ("a file with errors is not half-imported").
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

import geopandas as gpd

from wijkmap.core.records import parse_fields
from wijkmap.data.sources.register.files import Table, read_table
from wijkmap.data.sources.register.report import RegisterError, RegisterResult, RowProblem, empty_records
from wijkmap.data.sources.register.rows import (
    COLUMN_FIELDS,
    RESERVED,
    RESERVED_BRONNEN,
    HeaderMap,
    bron_key,
    check_columns,
    map_headers,
    phrase,
    reserved_message,
    to_records,
)

__all__ = ["COLUMN_FIELDS", "RESERVED_BRONNEN", "RegisterError", "RegisterResult", "RowProblem", "read_register"]

log = logging.getLogger("wijkmap.data.sources.register")

# --- public entry ----------------------------------------------------------------------


def read_register(
    path: Path,
    buurten: gpd.GeoDataFrame,
    bron: str | None = None,
    known_ids: Iterable[str] | None = None,
    id_owners: Mapping[str, str] | None = None,
    columns: Mapping[str, str] | None = None,
) -> RegisterResult:
    """Read and check a register file; place every record in a buurt of `buurten`.

    `buurten` is the buurt_2015 layer (code, wijkcode, gemeentecode, geometry). `bron`
    (the --bron argument) wins over the file's bron column, which wins over
    "register <file name>"; the project's own sources (RESERVED_BRONNEN) are refused.
    `known_ids` are the ids already in the store: an `opvolger_van` that names neither an
    id in the file nor one of these gets a warning (not an error: the predecessor may be
    imported later). `id_owners` maps ids in the store to their bron: a row whose id
    belongs to another bron is refused, so an import updates only its own records.
    `columns` maps file headers (as written) to template fields, "" to ignore one: a
    header the template does not know is read as the field it is mapped to (see
    register.mapping for mappings remembered per set of headers).
    Never raises on a bad file."""
    path = Path(path)
    started = time.perf_counter()
    if known_ids is None and id_owners is not None:
        known_ids = id_owners.keys()
    table: Table | None = None
    found: HeaderMap | None = None
    try:
        check_columns(columns or {})
        if bron and bron_key(bron) in RESERVED:
            raise RegisterError(reserved_message(bron))
        wrong = next((p for p in parse_fields({"bron": bron or ""})[1] if p.field == "bron"), None)
        if wrong is not None:  # the rules of a bron column: its length, no control characters
            raise RegisterError(f"--bron {phrase(wrong.message, wrong.value)}")
        table = read_table(path)
        log.info(
            "register %s gelezen: %d %s(en), %d kolommen", path.name, len(table.rows), table.unit, len(table.headers)
        )
        found = map_headers(table.headers, path.name, columns)
        result = to_records(table, path.name, buurten, bron, known_ids, id_owners, found)
    except RegisterError as error:
        log.info("register %s als geheel geweigerd", path.name)
        return RegisterResult(
            empty_records(),
            [RowProblem(path.name, None, None, "", str(error))],
            headers=list(table.headers) if table else [],
            unknown_headers=list(found.unknown) if found else [],
        )
    # Counts only: the rows' values are the user's, shown to them in the messages.
    log.info(
        "register %s gecontroleerd in %.1f s: %d records in orde, %d fout(en), %d waarschuwing(en)",
        path.name,
        time.perf_counter() - started,
        len(result.records),
        len(result.problems),
        len(result.warnings),
    )
    return result
