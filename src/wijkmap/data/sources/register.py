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

import csv
import datetime as dt
import io
import logging
import math
import re
import time
import unicodedata
import zipfile
import zlib
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkmap.config import (
    IMPORT_MAX_CELLS as MAX_CELLS,
)
from wijkmap.config import (
    IMPORT_MAX_COLUMNS as MAX_COLUMNS,
)
from wijkmap.config import (
    IMPORT_MAX_FILE_BYTES as MAX_FILE_BYTES,
)
from wijkmap.config import (
    IMPORT_MAX_PART_ELEMENTS as MAX_PART_ELEMENTS,
)
from wijkmap.config import (
    IMPORT_MAX_ROWS as MAX_ROWS,
)
from wijkmap.config import (
    IMPORT_MAX_SHARED_STRINGS as MAX_SHARED_STRINGS,
)
from wijkmap.config import (
    IMPORT_MAX_SHARED_STRINGS_BYTES as MAX_SHARED_STRINGS_BYTES,
)
from wijkmap.config import (
    IMPORT_MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES,
)
from wijkmap.config import (
    IMPORT_MAX_ZIP_RATIO as MAX_ZIP_RATIO,
)
from wijkmap.config import (
    LOCATE_TOLERANCE_M,
    MAX_SHOWN,
    RD_NEW,
    WGS84,
)
from wijkmap.core import analysis
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import BUURTCODE, FIELDS, make_id, parse_fields
from wijkmap.data.export import restore_formula
from wijkmap.data.sources import repaircafes

log = logging.getLogger(__name__)

# Sources the project writes itself. An import carrying one would pass for the fictional
# sample (and be deleted by the next rebuild), for a moderated contribution, or for the
# bundled repair cafés; so would an id of the form "bijdrage-N".
RESERVED_BRONNEN = {
    vocab.SAMPLE_BRON: "het fictieve voorbeeld",
    vocab.CONTRIBUTION_BRON: "goedgekeurde bijdragen",
    repaircafes.BRON: "de meegeleverde repair cafés",
}


def _bron_key(bron: str) -> str:
    """A bron as compared with the reserved ones: how it reads, not how it is encoded.
    NFKC joins an accent typed as a separate combining mark to its letter ("e" + U+0301
    is "é"), format characters (zero-width space, bidi marks) are dropped, runs of
    spaces are one, case is ignored; so no look-alike passes for a reserved bron."""
    visible = "".join(ch for ch in unicodedata.normalize("NFKC", bron) if unicodedata.category(ch) != "Cf")
    return unicodedata.normalize("NFKC", " ".join(visible.split()).casefold())


_RESERVED = {_bron_key(key): what for key, what in RESERVED_BRONNEN.items()}
CONTRIBUTION_ID_PREFIX = f"{vocab.CONTRIBUTION_BRON}-"

# Header spellings (normalised: casefolded, without spaces, underscores, hyphens, dots)
# for each field of the template.
_ALIASES: dict[str, tuple[str, ...]] = {
    "naam": ("naam", "name"),
    "soort": ("soort", "kind", "type"),
    "strategie": ("strategie", "strategy"),
    "actortype": ("actortype", "actortypes", "actors", "actor"),
    "doelgroep": ("doelgroep", "doelgroepen", "targetgroup", "targetgroups"),
    "tarief": ("tarief", "fee", "rate"),
    "tijdelijk": ("tijdelijk", "temporary", "popup"),
    "geopend": ("geopend", "opened", "opensince", "open"),
    "gesloten": ("gesloten", "closed"),
    "opvolger_van": ("opvolgervan", "successorof", "replaces", "opvolger"),
    "omschrijving": ("omschrijving", "description", "beschrijving"),
    "url": ("url", "website", "webadres"),
    "bron": ("bron", "source"),
    "werkgebied": ("werkgebied", "servicearea"),
    "id": ("id",),
    "lat": ("lat", "latitude", "breedtegraad"),
    "lon": ("lon", "lng", "long", "longitude", "lengtegraad"),
    "x": ("x", "rdx", "xrd", "xcoord", "xcoordinaat", "xcoördinaat"),
    "y": ("y", "rdy", "yrd", "ycoord", "ycoordinaat", "ycoördinaat"),
    "buurtcode": ("buurtcode", "neighbourhoodcode", "neighborhoodcode", "bucode"),
}
_FIELD_OF = {alias: name for name, aliases in _ALIASES.items() for alias in aliases}
_REQUIRED = ("naam", "soort")
# A bounding box around the Netherlands, used only to recognise swapped coordinates.
_NL_LAT = (50.5, 53.8)
_NL_LON = (3.0, 7.4)
_RD_X = (0.0, 300_000.0)
_RD_Y = (289_000.0, 630_000.0)


class RegisterError(Exception):
    """A whole file cannot be read (corrupt, empty, unknown type, required column missing).

    Raised and caught inside this module only: `read_register` turns it into one
    `RowProblem` without a row, so callers have a single way to see what went wrong."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a register file, addressed to the person who made it.

    `row` is the row number a spreadsheet shows (header = row 1) or, for GeoJSON and
    GeoPackage, the feature number (1-based, `unit` "object"); None for the whole file.
    `column` is the header as the user wrote it (`other_column` for a pair such as lat
    and lon); `value` is the offending text; `message` is the full Dutch explanation."""

    file: str
    row: int | None
    column: str | None
    value: str
    message: str
    unit: str = "rij"
    other_column: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column and self.other_column:
            where += f', kolommen "{self.column}" en "{self.other_column}"'
        elif self.column:
            where += f', kolom "{self.column}"'
        return _visible(f"{where}: {self.message}")


@dataclass
class RegisterResult:
    """The valid records of a file (columns records.FIELDS), what was wrong, and notes.

    `warnings` are things worth knowing that do not block an import (ignored columns)."""

    records: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Table:
    """A file read as text: headers as written, rows as (row number, texts), and for
    geometry files the WGS84 position of each row's geometry (None when it has none)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    unit: str = "rij"
    positions: list[tuple[float, float] | None] | None = None
    warnings: list[str] = field(default_factory=list)


# --- public entry ----------------------------------------------------------------------


def read_register(
    path: Path,
    buurten: gpd.GeoDataFrame,
    bron: str | None = None,
    known_ids: Iterable[str] | None = None,
    id_owners: Mapping[str, str] | None = None,
) -> RegisterResult:
    """Read and check a register file; place every record in a buurt of `buurten`.

    `buurten` is the buurt_2015 layer (code, wijkcode, gemeentecode, geometry). `bron`
    (the --bron argument) wins over the file's bron column, which wins over
    "register <file name>"; the project's own sources (RESERVED_BRONNEN) are refused.
    `known_ids` are the ids already in the store: an `opvolger_van` that names neither an
    id in the file nor one of these gets a warning (not an error: the predecessor may be
    imported later). `id_owners` maps ids in the store to their bron: a row whose id
    belongs to another bron is refused, so an import updates only its own records.
    Never raises on a bad file."""
    path = Path(path)
    started = time.perf_counter()
    if known_ids is None and id_owners is not None:
        known_ids = id_owners.keys()
    try:
        if bron and _bron_key(bron) in _RESERVED:
            raise RegisterError(_reserved_message(bron))
        wrong = next((p for p in parse_fields({"bron": bron or ""})[1] if p.field == "bron"), None)
        if wrong is not None:  # the rules of a bron column: its length, no control characters
            raise RegisterError(f"--bron {_phrase(wrong.message, wrong.value)}")
        table = _read_table(path)
        log.info("register %s gelezen: %d %s(en), %d kolommen", path.name, len(table.rows), table.unit, len(table.headers))
        result = _to_records(table, path.name, buurten, bron, known_ids, id_owners)
    except RegisterError as error:
        log.info("register %s als geheel geweigerd", path.name)
        return RegisterResult(_empty_records(), [RowProblem(path.name, None, None, "", str(error))])
    # Counts only: the rows' values are the user's, shown to them in the messages.
    log.info(
        "register %s gecontroleerd in %.1f s: %d records in orde, %d fout(en), %d waarschuwing(en)",
        path.name, time.perf_counter() - started, len(result.records), len(result.problems), len(result.warnings),
    )
    return result


def _reserved_message(bron: str) -> str:
    what = _RESERVED[_bron_key(bron)]
    return (
        f'bron "{_shown(bron.strip())}" is voorbehouden aan {what} en kan niet worden geïmporteerd; '
        'geef het register een eigen bron, bijvoorbeeld "Register gemeente Utrecht 2026"'
    )


def _shown(text: str) -> str:
    """A user's value as repeated in a message: cut short, so a huge cell is no huge
    message, and with its invisible characters made visible (see `_visible`)."""
    return _visible(text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…")


_INVISIBLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # control, format, lone surrogate, line/paragraph separator


def _visible(text: str) -> str:
    """`text` with every control or format character written as Python writes it
    ("\\x1b", "\\n", "\\u202e"): an escape code from a cell must not reach the terminal
    that shows the message, and a zero-width or bidi character is then seen, not hidden."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _INVISIBLE else ch for ch in text
    )


def _dutch_count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def _empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})
    return frame.astype({"lon": float, "lat": float})


# --- reading files as text -------------------------------------------------------------


def _read_table(path: Path) -> _Table:
    """Dispatch on the file extension; a file that is missing or empty is an error."""
    if not path.is_file():
        raise RegisterError("bestand niet gevonden")
    size = path.stat().st_size
    if size == 0:
        raise RegisterError("het bestand is leeg")
    if size > MAX_FILE_BYTES:
        raise RegisterError(
            f"het bestand is {size / 1e6:.1f} MB; het maximum is {MAX_FILE_BYTES / 1e6:.0f} MB. "
            "Verdeel het register over meer bestanden"
        )
    suffix = path.suffix.casefold()
    if suffix in (".csv", ".txt", ".tsv"):
        return _read_csv(path)
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path)
    if suffix in (".geojson", ".json", ".gpkg"):
        return _read_geo(path)
    if suffix == ".xls":
        raise RegisterError(
            "het oude Excel-formaat (.xls) wordt niet gelezen; sla het bestand op als .xlsx of als CSV"
        )
    raise RegisterError(
        f'onbekend bestandstype "{path.suffix or "(geen extensie)"}"; '
        "gebruik CSV, Excel (.xlsx), GeoJSON of GeoPackage (.gpkg)"
    )


def _decode(data: bytes, name: str) -> str:
    """Text of a CSV file: UTF-16 when it has that BOM (Excel's "Unicode text"),
    else UTF-8 with or without BOM, else Windows-1252 (older Excel and Windows tools).
    A file that is partly one and partly the other is refused (see `_mixed_encoding`)."""
    if data.startswith(b"PK\x03\x04"):
        raise RegisterError("dit is geen CSV maar een Excel-bestand; geef het de extensie .xlsx")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as error:
            raise RegisterError("kan de tekst niet lezen (beschadigd UTF-16-bestand)") from error
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        _mixed_encoding(data, error.start)
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as unknown:
            raise RegisterError(
                f"regel {_line_of(data, unknown.start)} bevat tekens die geen UTF-8 en geen "
                "Windows-1252 zijn; sla het bestand op als CSV UTF-8"
            ) from unknown
    if "\x00" in text:
        raise RegisterError("dit lijkt geen tekstbestand (CSV); controleer het bestand")
    return text


def _line_of(data: bytes, offset: int) -> int:
    """The line number of byte `offset`, lines ending in \\r\\n, \\n or \\r (old Mac files)."""
    before = data[:offset]
    return before.count(b"\n") + before.count(b"\r") - before.count(b"\r\n") + 1


# One well-formed UTF-8 character of two to four bytes. Windows-1252 text almost never has
# these byte pairs (a capital letter with an accent followed by a symbol such as "’"), but
# UTF-8 text read as Windows-1252 is made of nothing else ("Ã©" for "é").
_UTF8_CHARACTER = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]"
    rb"|\xe0[\xa0-\xbf][\x80-\xbf]|[\xe1-\xec\xee\xef][\x80-\xbf]{2}|\xed[\x80-\x9f][\x80-\xbf]"
    rb"|\xf0[\x90-\xbf][\x80-\xbf]{2}|[\xf1-\xf3][\x80-\xbf]{3}|\xf4[\x80-\x8f][\x80-\xbf]{2}"
)


def _mixed_encoding(data: bytes, bad_offset: int) -> None:
    """Refuse a file that is not UTF-8 (byte `bad_offset` is not) but holds UTF-8
    characters, on any line or on the same one: read as Windows-1252, those would be
    stored garbled ("CafÃ©" for "Café")."""
    found = _UTF8_CHARACTER.search(data)
    if found is None:
        return
    utf8_line, bad_line = _line_of(data, found.start()), _line_of(data, bad_offset)
    where = (
        f"regel {utf8_line} is deels UTF-8 en deels niet"
        if utf8_line == bad_line
        else f"regel {utf8_line} is UTF-8, maar regel {bad_line} niet"
    )
    raise RegisterError(
        f"het bestand mengt twee tekencoderingen: {where} "
        "(waarschijnlijk Windows-1252). Sla het hele bestand opnieuw op als CSV UTF-8"
    )


def _sniff_delimiter(text: str) -> str:
    """The separator of the header line: whichever of ; , tab occurs most outside quotes."""
    header = next((line for line in text.splitlines() if line.strip()), "")
    header = re.sub(r'"[^"]*"', "", header)
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _read_csv(path: Path) -> _Table:
    """A CSV file as text rows, numbered as a spreadsheet shows them (one per record)."""
    text = _decode(path.read_bytes(), path.name)
    if not text.strip():
        raise RegisterError("het bestand is leeg")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff_delimiter(text))
    # A cell this app's own export protected against formulas ("'=1+1") gets its text back.
    rows = ((number, [restore_formula(cell) for cell in cells]) for number, cells in enumerate(reader, start=1))
    try:
        return _table_from_rows(rows, path.name)
    except csv.Error as error:
        if "field larger than field limit" in str(error):
            raise RegisterError(
                f"een cel is langer dan {_dutch_count(csv.field_size_limit())} tekens (gelezen tot regel "
                f'{reader.line_num}); meestal staat er een aanhalingsteken (") dat niet wordt gesloten'
            ) from error
        raise RegisterError(f"geen leesbare CSV ({error})") from error


def _read_excel(path: Path) -> _Table:
    """The first sheet of an .xlsx file as text rows (see `_cell_text` for the values).

    Every row is read, whatever the sheet's <dimension> claims: a tool that writes a stale
    one would otherwise lose rows without a word."""
    import openpyxl

    _check_unzipped_size(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - not a zip, not a workbook, or broken inside
        raise RegisterError(
            "kan het Excel-bestand niet openen; het is beschadigd of geen .xlsx"
        ) from error
    try:
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        rows = (
            (number, [_cell_text(value) for value in _trimmed(values)])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
        return _table_from_rows(rows, path.name)
    except RegisterError:
        raise
    except Exception as error:  # noqa: BLE001 - a corrupt sheet inside a valid zip
        raise RegisterError(f"kan het eerste werkblad niet lezen ({error})") from error
    finally:
        workbook.close()


def _trimmed(values: tuple) -> tuple:
    """A sheet row without its trailing empty cells (formatted but empty columns)."""
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return values[:end]


def _check_unzipped_size(path: Path) -> None:
    """Refuse an .xlsx that would unpack to far more than a register (a zip bomb), from
    the sizes its zip directory declares (Python's zipfile holds members to them)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: openpyxl says so in its own words below
    total = sum(member.file_size for member in members)
    packed = next(
        (
            member for member in members
            if member.file_size > 1_000_000 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        ),
        None,
    )  # fmt: skip
    if total > MAX_UNZIPPED_BYTES or packed is not None:
        raise RegisterError(
            f"het Excel-bestand pakt uit tot {total / 1e6:.0f} MB; dat is meer dan een register "
            f"kan zijn (maximum {MAX_UNZIPPED_BYTES / 1e6:.0f} MB, en hooguit {MAX_ZIP_RATIO} keer "
            "de ingepakte grootte). Sla het werkblad opnieuw op of exporteer het als CSV"
        )
    _check_parts(path, members)


_SHARED_STRINGS_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"
_WORKSHEET_TYPES = (
    "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml",
    "application/vnd.ms-excel.worksheet",  # the type of a sheet in some .xlsm files
)
_STYLES = "xl/styles.xml"  # where openpyxl always reads the styles, whatever the types say
# A string item (<si>) or a rich-text run (<r>) inside one, with or without a namespace prefix.
_SHARED_STRING_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:si|r)[\s/>]")
_START_TAG = re.compile(rb"<[A-Za-z_]")
_CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")


def _check_parts(path: Path, members: list[zipfile.ZipInfo]) -> None:
    """Refuse an .xlsx with a part that would take long to read, counted while
    streaming it, before openpyxl reads anything. A worksheet is read row by row, but
    every cell costs time, empty ones too (3 million empty cells took 70 s): at most
    IMPORT_MAX_CELLS. Everything else is read whole before the first row: the shared
    strings (see config.IMPORT_MAX_SHARED_STRINGS), the styles (700,000 cell formats took
    43 s), the workbook, the relations. The parts are told apart by their content type,
    as openpyxl does; the styles part is never taken for a worksheet."""
    with zipfile.ZipFile(path) as archive:
        try:
            types = _content_types(archive)
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError):
            return  # a broken package: openpyxl says so in its own words
        for member in members:
            name, declared = member.filename, types.get(member.filename, set())
            streamed = declared and declared <= set(_WORKSHEET_TYPES) and name != _STYLES
            if member.is_dir():
                continue
            if streamed:
                if _count(archive, member, _CELL_TAG, MAX_CELLS) > MAX_CELLS:
                    raise RegisterError(
                        f"het werkblad {_shown(name)} heeft meer dan {_dutch_count(MAX_CELLS)} cellen (ook lege "
                        "cellen met een opmaak tellen); verwijder de lege rijen en kolommen rond de gegevens, "
                        "verdeel het register over meer bestanden of exporteer het als CSV"
                    )
            elif _SHARED_STRINGS_TYPE in declared or name.casefold().endswith("sharedstrings.xml"):
                _check_shared_strings(archive, member)
            elif _count(archive, member, _START_TAG, MAX_PART_ELEMENTS) > MAX_PART_ELEMENTS:
                raise RegisterError(
                    f"het Excel-bestand heeft in {_shown(name)} meer dan {_dutch_count(MAX_PART_ELEMENTS)} "
                    "onderdelen (zoals celopmaken); dat is meer dan een register kan hebben. Sla het werkblad "
                    "opnieuw op als een nieuw bestand of exporteer het als CSV"
                )


def _content_types(archive: zipfile.ZipFile) -> dict[str, set[str]]:
    """Part name -> the content types [Content_Types].xml declares for it (a name may
    be declared twice, with two types)."""
    try:
        listing = archive.getinfo("[Content_Types].xml")
    except KeyError:
        return {}
    if listing.file_size > 1_000_000:  # a real one has a few kB
        raise RegisterError("het Excel-bestand heeft een onwaarschijnlijk grote inhoudsopgave; exporteer het als CSV")
    types: dict[str, set[str]] = {}
    for element in ElementTree.fromstring(archive.read(listing)).iter():
        if element.tag.endswith("Override"):
            types.setdefault(element.get("PartName", "").lstrip("/"), set()).add(element.get("ContentType", ""))
    return types


def _check_shared_strings(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    if member.file_size > MAX_SHARED_STRINGS_BYTES:
        raise RegisterError(
            f"de teksten van het Excel-bestand ({_shown(member.filename)}) pakken uit tot "
            f"{member.file_size / 1e6:.0f} MB; het maximum is {MAX_SHARED_STRINGS_BYTES / 1e6:.0f} MB. Sla het "
            "werkblad opnieuw op (onnodige teksten vallen dan weg) of exporteer het als CSV"
        )
    if _count(archive, member, _SHARED_STRING_TAG, MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
        raise RegisterError(
            f"het Excel-bestand heeft meer dan {_dutch_count(MAX_SHARED_STRINGS)} verschillende "
            "teksten; dat is meer dan een register kan hebben. Sla het werkblad opnieuw op "
            "(onnodige teksten vallen dan weg) of exporteer het als CSV"
        )


def _count(archive: zipfile.ZipFile, member: zipfile.ZipInfo, tag: re.Pattern, limit: int) -> int:
    """How often `tag` (a pattern that starts with "<" and holds no other) occurs in
    `member`, counted until the count passes `limit`. Read in pieces, so a large member
    costs little memory; a piece ends before its last "<", which goes with the next."""
    count, carry = 0, b""
    try:
        with archive.open(member) as source:
            while count <= limit:
                piece = source.read(1 << 20)
                if not piece:
                    break
                data = carry + piece
                cut = data.rfind(b"<")
                cut = len(data) if cut == -1 else cut
                count += len(tag.findall(data, 0, cut))  # at most a few hundred thousand in a piece
                carry = data[cut : cut + 1000]  # a tag name is never this long
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return 0  # broken, encrypted or packed in an unknown way: openpyxl says so in its own words
    return count


def _cell_text(value) -> str:
    """A spreadsheet or attribute value as the text the user meant: dates as ISO dates,
    2019.0 as "2019", booleans as ja/nee, lists joined with ";", empty as ""."""
    if value is None:
        return ""
    if isinstance(value, bool | np.bool_):
        return "ja" if value else "nee"
    if isinstance(value, dt.datetime | pd.Timestamp):
        if pd.isna(value):
            return ""
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float | np.floating):
        number = float(value)
        if math.isnan(number):
            return ""
        return str(int(number)) if number.is_integer() and abs(number) < 1e15 else repr(number)
    if isinstance(value, int | np.integer):
        return str(int(value))
    if isinstance(value, list | tuple | np.ndarray):
        return ";".join(_cell_text(item) for item in value)
    return str(value).strip()


def _table_from_rows(numbered: Iterable[tuple[int, list[str]]], name: str) -> _Table:
    """Split spreadsheet-like rows into the header (the first non-empty row) and data.

    `numbered` is read lazily, so a file past MAX_ROWS or MAX_COLUMNS is refused as soon
    as the reader gets there, before the rest is in memory. Empty rows are left out."""
    rows: list[tuple[int, list[str]]] = []
    for number, cells in numbered:
        cells = [(cell or "").strip() for cell in cells]
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            continue
        if len(cells) > MAX_COLUMNS:
            raise RegisterError(
                f"rij {number} heeft {len(cells)} kolommen; het maximum is {MAX_COLUMNS}"
            )
        if len(rows) > MAX_ROWS:  # the header and MAX_ROWS rows are in already
            raise RegisterError(
                f"het bestand heeft meer dan {_dutch_count(MAX_ROWS)} rijen met gegevens; "
                "verdeel het register over meer bestanden"
            )
        rows.append((number, cells))
    if not rows:
        raise RegisterError("het bestand is leeg")
    return _Table(headers=rows[0][1], rows=rows[1:])


def _read_geo(path: Path) -> _Table:
    """A GeoJSON file or the first layer of a GeoPackage; positions from the geometry,
    reprojected to WGS84 from whatever CRS the layer has."""
    warnings: list[str] = []
    try:
        layers = pyogrio.list_layers(path)
        if len(layers) == 0:
            raise RegisterError("het bestand bevat geen lagen")
        layer = layers[0][0]
        if len(layers) > 1:
            warnings.append(
                f'{path.name}: het bestand heeft {len(layers)} lagen; alleen de eerste ("{layer}") is gelezen'
            )
        frame = pyogrio.read_dataframe(
            path, layer=layer, datetime_as_string=True, on_invalid="ignore", max_features=MAX_ROWS + 1
        )
    except RegisterError:
        raise
    except Exception as error:  # noqa: BLE001 - GDAL errors come in many kinds
        kind = "GeoPackage" if path.suffix.casefold() == ".gpkg" else "GeoJSON"
        raise RegisterError(
            f"kan het {kind}-bestand niet lezen; het is beschadigd of ongeldig"
        ) from error
    has_geometry = isinstance(frame, gpd.GeoDataFrame)
    geometry_name = frame.geometry.name if has_geometry else None
    columns = [column for column in frame.columns if column != geometry_name]
    if len(frame) > MAX_ROWS:
        raise RegisterError(
            f"het bestand heeft meer dan {_dutch_count(MAX_ROWS)} objecten; "
            "verdeel het register over meer bestanden"
        )
    if len(columns) > MAX_COLUMNS:
        raise RegisterError(f"het bestand heeft {len(columns)} velden; het maximum is {MAX_COLUMNS}")
    positions = _geometry_positions(frame) if has_geometry else None
    rows = [
        (number, [_cell_text(value) for value in values])
        for number, values in enumerate(frame[columns].itertuples(index=False, name=None), start=1)
    ]
    return _Table(headers=[str(c) for c in columns], rows=rows, unit="object", positions=positions, warnings=warnings)


def _geometry_positions(frame: gpd.GeoDataFrame) -> list[tuple[float, float] | None]:
    """(lon, lat) in WGS84 of each feature: the point itself, or a point inside a line
    or polygon. A layer without CRS is taken as RD New when its numbers are that large.
    A geometry with a coordinate that is no finite number (NaN, Infinity) gets (nan, nan),
    which the row check reports; it is kept out of the geometry operations, which would
    warn and make it 0, 0."""
    geometry = frame.geometry
    coordinates, owner = shapely.get_coordinates(geometry.array, return_index=True)
    broken = np.zeros(len(geometry), dtype=bool)
    np.logical_or.at(broken, owner, ~np.isfinite(coordinates).all(axis=1))
    geometry = geometry.where(~broken, None)
    if geometry.crs is None:
        bounds = np.abs(geometry.total_bounds)
        large = bool(np.isfinite(bounds).any() and np.nanmax(bounds) > 1000)
        geometry = geometry.set_crs(RD_NEW if large else WGS84)
    empty = (geometry.isna() | geometry.is_empty).to_numpy()
    points = geometry.representative_point().to_crs(WGS84)
    return [
        (math.nan, math.nan) if bad else None if missing else (float(point.x), float(point.y))
        for bad, missing, point in zip(broken, empty, points)
    ]


# --- checking rows ---------------------------------------------------------------------


def _normalise_header(text: str) -> str:
    return re.sub(r"[\s_\-.]+", "", text.casefold())


def _map_headers(table: _Table, name: str) -> tuple[dict[str, int], dict[str, str], list[str]]:
    """Which column holds which field. Returns (field -> column index, field -> header
    as written, warnings). Missing naam or soort is one error for the whole file."""
    index: dict[str, int] = {}
    written: dict[str, str] = {}
    unknown: list[str] = []
    warnings: list[str] = []
    for position, header in enumerate(table.headers):
        if not header:
            continue
        target = _FIELD_OF.get(_normalise_header(header))
        if target is None:
            unknown.append(header)
        elif target in index:
            warnings.append(
                f'{name}: kolommen "{written[target]}" en "{header}" betekenen allebei {target}; '
                f'alleen "{written[target]}" is gebruikt'
            )
        else:
            index[target], written[target] = position, header
    missing = [required for required in _REQUIRED if required not in index]
    if missing:
        names = " en ".join(f'"{m}"' for m in missing)
        found = ", ".join(f'"{_shown(h)}"' for h in table.headers if h) or "geen"
        raise RegisterError(
            f"kolom {names} ontbreekt (gevonden kolommen: {found}); "
            "zie het registersjabloon voor de kolomnamen"
        )
    if unknown:
        listed = ", ".join(f'"{_shown(h)}"' for h in unknown)
        warnings.append(f"{name}: onbekende kolommen genegeerd: {listed}")
    return index, written, warnings


def _number(text: str) -> float:
    """A coordinate written with a decimal point or comma ("52,0907"); ValueError if not."""
    text = text.strip().replace(" ", "").replace("\u00a0", "")
    if "," in text and "." in text:  # 136.950,25: point as thousands separator
        text = text.replace(".", "")
    value = float(text.replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _phrase(message: str, value: str) -> str:
    """Put the user's value into a records.Problem message: 'onbekende waarde "x"; kies …'."""
    if not value:
        return message
    value = _shown(value)
    for separator in (";", " ("):
        head, found, tail = message.partition(separator)
        if found:
            return f'{head} "{value}"{separator}{tail}'
    return f'"{value}": {message}'


@dataclass
class _Pending:
    """A row whose fields are valid, waiting for its position to be placed in a buurt."""

    number: int
    record: dict[str, str]
    lon: float
    lat: float
    source: str  # "lat", "xy", "geometry" or "buurtcode": how the position was given
    shown: str  # the position as the user wrote it
    valid: bool = True  # False: the fields have problems; only the position is still checked


class _RowChecker:
    """Checks the rows of one table; collects problems with file, row and column.

    `bron` is the --bron argument; `id_owners` maps ids in the store to their bron."""

    def __init__(
        self, table: _Table, name: str, buurten: gpd.GeoDataFrame,
        bron: str | None = None, id_owners: Mapping[str, str] | None = None,
    ):  # fmt: skip
        self.table, self.name = table, name
        self.index, self.written, warnings = _map_headers(table, name)
        self.warnings = table.warnings + warnings
        self.problems: list[RowProblem] = []
        self.known_buurten = set(buurten["code"])
        self.bron = (bron or "").strip()
        self.id_owners = id_owners or {}

    def bron_of(self, record: dict[str, str]) -> str:
        """The --bron argument, else the row's bron column, else "register <file name>"."""
        return self.bron or record.get("bron") or f"register {self.name}"

    def problem(self, number: int, field_: str | None, value: str, message: str, other: str | None = None):
        """Record a problem; fields are named by the header as the user wrote it."""
        column = self.written.get(field_, field_) if field_ else None
        other_column = self.written.get(other, other) if other else None
        self.problems.append(
            RowProblem(self.name, number, column, value, message, self.table.unit, other_column)
        )

    def raw(self, cells: list[str]) -> dict[str, str]:
        """Field -> text of one row (a short row has "" for its missing cells)."""
        return {f: (cells[i] if i < len(cells) else "") for f, i in self.index.items()}

    def check(self, number: int, cells: list[str], position) -> _Pending | None:
        """Fields and position of one row; None (with problems recorded) when invalid."""
        raw = self.raw(cells)
        fields = {f: v for f, v in raw.items() if f in FIELDS}
        record, problems = parse_fields(fields)
        for p in problems:
            if p.message.startswith("gesloten ligt"):
                message = f'gesloten "{_shown(p.value)}" ligt vóór geopend "{_shown(raw.get("geopend", ""))}"'
            else:
                message = _phrase(p.message, p.value)
            self.problem(number, p.field, p.value, message)
        forged = self.check_provenance(number, record)
        located = self.position(number, raw, position)
        if located is None:
            return None
        lon, lat, source, shown = located
        # A row with bad fields still has its position placed, so that a location outside
        # the Netherlands is reported in the same run instead of after the next fix.
        return _Pending(number, record, lon, lat, source, shown, valid=not problems and not forged)

    def check_provenance(self, number: int, record: dict[str, str]) -> bool:
        """Whether the row claims a source that is not the import's own: a reserved bron in
        its bron column, an id of the form bijdrage-N, or the id of a record in the store
        with another bron (which the import would silently overwrite). Records problems."""
        forged = False
        if not self.bron and _bron_key(record.get("bron", "")) in _RESERVED:
            self.problem(number, "bron", record["bron"], _reserved_message(record["bron"]))
            forged = True
        given = record.get("id", "")
        if not given:  # a made id hashes the bron, so it cannot be another source's
            return forged
        owner = self.id_owners.get(given)
        if given.casefold().startswith(CONTRIBUTION_ID_PREFIX):
            message = (
                f'id "{_shown(given)}" is voorbehouden aan goedgekeurde bijdragen '
                f"({CONTRIBUTION_ID_PREFIX}N); geef de rij een eigen id"
            )
        elif owner is not None and owner.strip().casefold() != self.bron_of(record).casefold():
            hint = (
                f', of importeer met --bron "{owner}" als dit bestand dat register is'
                if _bron_key(owner) not in _RESERVED
                else ""
            )
            message = (
                f'id "{_shown(given)}" hoort bij een record met een andere bron ("{owner}"); een import '
                f"overschrijft alleen records van zijn eigen bron. Geef de rij een eigen id{hint}"
            )
        else:
            return forged
        self.problem(number, "id", given, message)
        return True

    def position(self, number: int, raw: dict[str, str], position):
        """(lon, lat, how, as written) of a row: geometry, lat+lon, x+y, or buurtcode.
        Positions from x+y are still in RD New here; they are reprojected in bulk."""
        if position is not None:
            if not all(map(math.isfinite, position)):
                self.problem(
                    number, None, "",
                    "de geometrie heeft een coördinaat die geen getal is (NaN of Infinity); "
                    "geef het object een geldige punt-, lijn- of vlakgeometrie",
                )
                return None
            return (*position, "geometry", f"{position[1]:.6f} / {position[0]:.6f}")
        lat, lon = raw.get("lat", ""), raw.get("lon", "")
        x, y = raw.get("x", ""), raw.get("y", "")
        if lat or lon:
            return self.pair(number, ("lat", lat), ("lon", lon), self.check_latlon, "lat")
        if x or y:
            return self.pair(number, ("x", x), ("y", y), self.check_rd, "xy")
        code = raw.get("buurtcode", "")
        if code:
            return self.from_buurtcode(number, code)
        if self.table.positions is not None:
            message = (
                "geen locatie: het object heeft geen geometrie (of een lege, zoals een punt met "
                "coördinaten NaN) en geen lat en lon, x en y of buurtcode"
            )
        else:
            message = "geen locatie; vul lat en lon (WGS84), x en y (RD New) of een buurtcode in"
        self.problem(number, None, "", message)
        return None

    def pair(self, number, first, second, check, source):
        """Two coordinate texts as numbers, both present, then checked by `check`."""
        values = []
        for (field_, text), (other, _) in ((first, second), (second, first)):
            if not text:
                self.problem(number, field_, "", f"{field_} ontbreekt terwijl {other} is ingevuld")
                return None
            try:
                values.append(_number(text))
            except ValueError:
                self.problem(number, field_, text, f'"{_shown(text)}" is geen getal')
                return None
        first, second = (first[0], _shown(first[1])), (second[0], _shown(second[1]))  # for messages
        if not check(number, first, second, *values):
            return None
        shown = f"{first[1]} / {second[1]}"
        if source == "lat":
            return values[1], values[0], source, shown
        return values[0], values[1], source, shown

    def check_latlon(self, number, lat_item, lon_item, lat: float, lon: float) -> bool:
        """Catch swapped or impossible WGS84 coordinates (outside NL is checked later)."""
        if _NL_LAT[0] <= lon <= _NL_LAT[1] and _NL_LON[0] <= lat <= _NL_LON[1]:
            self.problem(
                number, "lat", f"{lat_item[1]} / {lon_item[1]}",
                f'lat "{lat_item[1]}" en lon "{lon_item[1]}" zijn waarschijnlijk verwisseld: '
                f"in Nederland ligt lat rond 52 en lon rond 5; zet {lon_item[1]} bij lat en {lat_item[1]} bij lon",
                "lon",
            )
            return False
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            looks_rd = _RD_X[0] <= lat <= _RD_Y[1] and lon > 180
            hint = "; dit lijken RD-coördinaten: gebruik de kolommen x en y" if looks_rd or lat > 1000 else ""
            self.problem(
                number, "lat", f"{lat_item[1]} / {lon_item[1]}",
                f'"{lat_item[1]}", "{lon_item[1]}" zijn geen geldige breedte- en lengtegraad{hint}',
                "lon",
            )
            return False
        return True

    def check_rd(self, number, x_item, y_item, x: float, y: float) -> bool:
        """Catch swapped RD coordinates and lon/lat written in the x/y columns."""
        shown = f"{x_item[1]} / {y_item[1]}"
        if abs(x) <= 180 and abs(y) <= 90:
            self.problem(
                number, "x", shown,
                f'x "{x_item[1]}" en y "{y_item[1]}" lijken lengte- en breedtegraad; '
                "gebruik daarvoor de kolommen lon en lat",
                "y",
            )
            return False
        if _RD_Y[0] <= x <= _RD_Y[1] and _RD_X[0] <= y < _RD_Y[0]:
            self.problem(
                number, "x", shown,
                f'x "{x_item[1]}" en y "{y_item[1]}" zijn waarschijnlijk verwisseld: '
                "in Nederland is x (RD) kleiner dan 300.000 en y groter dan 300.000",
                "y",
            )
            return False
        return True

    def from_buurtcode(self, number: int, text: str):
        """A known buurtcode; its anchor point is filled in later for all rows at once.
        Digits only (a code that lost its 'BU' and leading zeros in Excel) are padded
        back to BU + 8 digits."""
        code = text.strip().upper().replace(" ", "")
        if code.isdigit() and len(code) <= 8:
            code = f"BU{code.zfill(8)}"
        if not BUURTCODE.match(code) or code not in self.known_buurten:
            self.problem(
                number, "buurtcode", text,
                f'onbekende buurtcode "{_shown(text)}"; verwacht een code uit de buurtindeling 2015, zoals BU03440611',
            )
            return None
        return math.nan, math.nan, "buurtcode", code


def _to_records(
    table: _Table,
    name: str,
    buurten: gpd.GeoDataFrame,
    bron: str | None,
    known_ids: Iterable[str] | None = None,
    id_owners: Mapping[str, str] | None = None,
) -> RegisterResult:
    """Check every non-empty row, place the located ones, and build the records frame
    from the valid ones. Every problem of the file is reported, not only the first."""
    checker = _RowChecker(table, name, buurten, bron, id_owners)
    pending: list[_Pending] = []
    file_ids: set[str] = set()
    for i, (number, cells) in enumerate(table.rows):
        if not any(cells):
            continue
        file_ids.add(checker.raw(cells).get("id", "").strip())
        position = table.positions[i] if table.positions is not None else None
        row = checker.check(number, cells, position)
        if row is not None:
            pending.append(row)
    if not pending and not checker.problems:
        checker.warnings.append(f"{name}: het bestand bevat geen rijen met gegevens")
    placed = [(row, codes) for row, codes in _place(pending, buurten, checker) if row.valid]
    frame = _finish(placed, checker)
    checker.warnings.extend(_unknown_predecessors(placed, frame, file_ids, known_ids, checker))
    checker.problems.sort(key=lambda p: (p.row or 0))
    return RegisterResult(frame, checker.problems, [_visible(warning) for warning in checker.warnings])


def _unknown_predecessors(placed, frame: pd.DataFrame, file_ids: set[str], known_ids, checker) -> list[str]:
    """Warnings for each `opvolger_van` that names no id in the file (given or made)
    nor, when `known_ids` is given, in the store."""
    known = file_ids | set(frame["id"]) | set(known_ids or ())
    where = " en niet in het gegevensbestand" if known_ids is not None else ""
    column = checker.written.get("opvolger_van", "opvolger_van")
    warnings = []
    for row, _ in placed:
        value = row.record.get("opvolger_van", "")
        if value and value not in known:
            warnings.append(
                f'{checker.name}, {checker.table.unit} {row.number}, kolom "{column}": '
                f'opvolger_van "{value}" staat niet in dit bestand{where}; '
                "controleer het id van de voorganger (de rij wordt wel geïmporteerd)"
            )
    return warnings


def _anchor_points(buurten: gpd.GeoDataFrame, codes: list[str]) -> gpd.GeoSeries:
    """The point of analysis.anchor_point for each code (a point inside the buurt),
    computed for all codes in one vectorised call instead of one lookup per row."""
    first = buurten.drop_duplicates("code").set_index("code")
    return first.loc[codes, "geometry"].representative_point()


def _place(pending: list[_Pending], buurten: gpd.GeoDataFrame, checker: _RowChecker) -> list[tuple[_Pending, dict]]:
    """Turn every position into WGS84 (RD reprojected, buurtcodes anchored) and find
    each row's buurt, all rows at once. A row given by buurtcode keeps that buurt."""
    if not pending:
        return []
    xs = np.array([row.lon for row in pending], dtype=float)
    ys = np.array([row.lat for row in pending], dtype=float)
    rd = np.array([row.source == "xy" for row in pending])
    if rd.any():
        converted = gpd.GeoSeries(gpd.points_from_xy(xs[rd], ys[rd]), crs=RD_NEW).to_crs(WGS84)
        xs[rd], ys[rd] = converted.x.to_numpy(), converted.y.to_numpy()
    by_code = np.array([row.source == "buurtcode" for row in pending])
    if by_code.any():
        anchors = _anchor_points(buurten, [row.shown for row in pending if row.source == "buurtcode"])
        xs[by_code], ys[by_code] = anchors.x.to_numpy(), anchors.y.to_numpy()
    points = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs=WGS84)
    located = analysis.locate(points, buurten, tolerance_m=LOCATE_TOLERANCE_M)
    areas: dict[str, dict[Hashable, Any]] = {
        code: {"buurtcode": code, "wijkcode": wijk, "gemeentecode": gemeente}
        for code, wijk, gemeente in zip(buurten["code"], buurten["wijkcode"], buurten["gemeentecode"])
    }
    placed = []
    for i, (row, codes) in enumerate(zip(pending, located.to_dict("records"))):
        if row.source == "buurtcode":
            codes = areas[row.shown]
        elif codes["buurtcode"] is None:
            fields_ = {"lat": ("lat", "lon"), "xy": ("x", "y")}.get(row.source, (None, None))
            checker.problem(
                row.number, fields_[0], row.shown,
                f'"{row.shown}" ligt buiten Nederland (of buiten de buurtkaart): '
                f"geen buurt binnen {LOCATE_TOLERANCE_M} m",
                fields_[1],
            )
            continue
        row.lon, row.lat = round(float(xs[i]), 6), round(float(ys[i]), 6)
        placed.append((row, codes))
    return placed


def _finish(placed, checker: _RowChecker) -> pd.DataFrame:
    """Records with bron, id and area codes; duplicate ids within the file are errors."""
    rows: list[dict] = []
    seen: dict[str, int] = {}
    for row, codes in placed:
        record = dict(row.record)
        record["bron"] = checker.bron_of(record)
        given = record.get("id", "")
        record["id"] = given or make_id(record["bron"], record["naam"], record["soort"], row.lon, row.lat)
        if record["id"] in seen:
            if given:
                message = f'id "{given}" komt al voor in {checker.table.unit} {seen[record["id"]]}'
                checker.problem(row.number, "id", given, message)
            else:
                message = (
                    f"dubbel: zelfde naam, soort en locatie als {checker.table.unit} "
                    f"{seen[record['id']]}; geef een id-kolom als het echt twee voorzieningen zijn"
                )
                checker.problem(row.number, "naam", record["naam"], message)
            continue
        seen[record["id"]] = row.number
        record.update(codes, lon=row.lon, lat=row.lat)
        rows.append(record)
    if not rows:
        return _empty_records()
    frame = pd.DataFrame(rows)
    for column in FIELDS:
        if column not in frame:
            frame[column] = ""
    frame = frame[FIELDS]
    text = [f for f in FIELDS if f not in ("lon", "lat")]
    frame[text] = frame[text].fillna("").astype(object)
    return frame.astype({"lon": float, "lat": float}).reset_index(drop=True)
