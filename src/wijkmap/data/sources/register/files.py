"""A register file read as a plain table of text: CSV (any encoding we accept, any
delimiter), Excel, GeoJSON and GeoPackage, within the limits of config.py (checked before
a parser is given the file, so a huge or hostile file costs seconds, not the machine)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import logging
import math
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkmap.config import (
    IMPORT_MAX_CELLS as MAX_CELLS,
    IMPORT_MAX_COLUMNS as MAX_COLUMNS,
    IMPORT_MAX_FILE_BYTES as MAX_FILE_BYTES,
    IMPORT_MAX_PART_ELEMENTS as MAX_PART_ELEMENTS,
    IMPORT_MAX_ROWS as MAX_ROWS,
    IMPORT_MAX_SHARED_STRINGS as MAX_SHARED_STRINGS,
    IMPORT_MAX_SHARED_STRINGS_BYTES as MAX_SHARED_STRINGS_BYTES,
    IMPORT_MAX_UNZIPPED_BYTES as MAX_UNZIPPED_BYTES,
    IMPORT_MAX_UNZIPPED_ODS_BYTES as MAX_UNZIPPED_ODS_BYTES,
    IMPORT_MAX_ZIP_RATIO as MAX_ZIP_RATIO,
    RD_NEW,
    WGS84,
)
from wijkmap.data.export import restore_formula
from wijkmap.data.sources.register.report import RegisterError, dutch_count, shown

log = logging.getLogger("wijkmap.data.sources.register")


@dataclass
class Table:
    """A file read as text: headers as written, rows as (row number, texts), and for
    geometry files the WGS84 position of each row's geometry (None when it has none)."""

    headers: list[str]
    rows: list[tuple[int, list[str]]]
    unit: str = "rij"
    positions: list[tuple[float, float] | None] | None = None
    warnings: list[str] = field(default_factory=list)


# --- reading files as text -------------------------------------------------------------


def read_table(path: Path) -> Table:
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
    if suffix in _SPREADSHEETS:
        return _read_spreadsheet(path)
    if suffix in (".geojson", ".json", ".gpkg"):
        return _read_geo(path)
    raise RegisterError(
        f'onbekend bestandstype "{path.suffix or "(geen extensie)"}"; '
        "gebruik CSV, Excel (.xlsx of .xls), OpenDocument (.ods), GeoJSON of GeoPackage (.gpkg)"
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


def _read_csv(path: Path) -> Table:
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
                f"een cel is langer dan {dutch_count(csv.field_size_limit())} tekens (gelezen tot regel "
                f'{reader.line_num}); meestal staat er een aanhalingsteken (") dat niet wordt gesloten'
            ) from error
        raise RegisterError(f"geen leesbare CSV ({error})") from error


# Extension -> what the file is called in a message and the extension it should have.
_SPREADSHEETS = {
    ".xlsx": ("Excel-bestand", ".xlsx"),
    ".xlsm": ("Excel-bestand", ".xlsx"),
    ".xls": ("Excel-bestand", ".xls"),
    ".ods": ("OpenDocument-bestand", ".ods"),
}


def _read_spreadsheet(path: Path) -> Table:
    """The first sheet of an .xlsx, .xlsm, .xls or .ods file as text rows (see
    `_cell_text` for the values), read with calamine.

    calamine holds a sheet as one dense block, from its first to its last filled cell,
    and reads all sheets of an .xls or .ods when it opens one: so before it is given the
    file, the checks below measure that block (a file of a few kB with one cell at
    XFD1048576 would otherwise ask for 500 GB and end the process). Every row is read,
    whatever the sheet's <dimension> claims."""
    from python_calamine import CalamineWorkbook

    suffix = path.suffix.casefold()
    kind, extension = _SPREADSHEETS[suffix]
    if suffix == ".xls":
        _check_disguised_xls(path)
        _check_xls(path)
    else:
        _check_unzipped_size(path, kind)
        if suffix == ".ods":
            _check_ods(path)
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheet = workbook.get_sheet_by_index(0)
    except Exception as error:  # noqa: BLE001 - not a workbook, encrypted, or broken inside
        raise RegisterError(f"kan het {kind} niet openen; het is beschadigd of geen {extension}") from error
    try:
        rows = (  # python-calamine yields the empty rows above the first filled one too
            (number, [_cell_text(value) for value in _trimmed(values)])
            for number, values in enumerate(sheet.iter_rows(), start=1)
        )
        return _table_from_rows(rows, path.name)
    except RegisterError:
        raise
    except Exception as error:  # noqa: BLE001 - a cell calamine cannot turn into a value
        raise RegisterError(f"kan het eerste werkblad niet lezen ({error})") from error
    finally:
        workbook.close()


def _trimmed(values: Sequence) -> Sequence:
    """A sheet row without its trailing empty cells (formatted but empty columns)."""
    end = len(values)
    while end and values[end - 1] in (None, ""):
        end -= 1
    return values[:end]


def _check_unzipped_size(path: Path, kind: str = "Excel-bestand") -> None:
    """Refuse an .xlsx or .ods that would unpack to far more than a register (a zip
    bomb), from the sizes its zip directory declares (Python's zipfile holds members to
    them); then the parts of an .xlsx (`_check_parts`)."""
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, OSError):
        return  # not a zip: calamine says so in its own words below
    total = sum(member.file_size for member in members)
    packed = next(
        (
            member for member in members
            if member.file_size > 1_000_000 and member.file_size > MAX_ZIP_RATIO * max(member.compress_size, 1)
        ),
        None,
    )  # fmt: skip
    ods = path.suffix.casefold() == ".ods"
    limit = MAX_UNZIPPED_ODS_BYTES if ods else MAX_UNZIPPED_BYTES
    if total > limit or packed is not None:
        raise RegisterError(
            f"het {kind} pakt uit tot {total / 1e6:.0f} MB; dat is meer dan een register "
            f"kan zijn (maximum {limit / 1e6:.0f} MB, en hooguit {MAX_ZIP_RATIO} keer "
            "de ingepakte grootte). Sla het werkblad opnieuw op of exporteer het als CSV"
        )
    if not ods:
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
    streaming it, before calamine reads anything. In a worksheet every cell costs time,
    empty ones too (3 million empty cells took 70 s): at most IMPORT_MAX_CELLS, and so
    many in the block from its first to its last filled cell (`_xlsx_block`).
    Everything else is read whole before the first row: the shared strings (see
    config.IMPORT_MAX_SHARED_STRINGS), the styles (700,000 cell formats took 43 s), the
    workbook, the relations. The parts are told apart by their content type, as Excel
    readers do; the styles part is never taken for a worksheet."""
    with zipfile.ZipFile(path) as archive:
        try:
            types = _content_types(archive)
        except (ElementTree.ParseError, zipfile.BadZipFile, OSError):
            return  # a broken package: calamine says so in its own words
        for member in members:
            name, declared = member.filename, types.get(member.filename, set())
            streamed = declared and declared <= set(_WORKSHEET_TYPES) and name != _STYLES
            if member.is_dir():
                continue
            if streamed:
                cells = _count(archive, member, _CELL_TAG, MAX_CELLS)
                if cells > MAX_CELLS:
                    raise RegisterError(
                        f"het werkblad {shown(name)} heeft meer dan {dutch_count(MAX_CELLS)} cellen (ook lege "
                        "cellen met een opmaak tellen); verwijder de lege rijen en kolommen rond de gegevens, "
                        "verdeel het register over meer bestanden of exporteer het als CSV"
                    )
                _refuse_large_block(f"het werkblad {shown(name)}", _xlsx_block(archive, member, cells))
            elif _SHARED_STRINGS_TYPE in declared or name.casefold().endswith("sharedstrings.xml"):
                _check_shared_strings(archive, member)
            elif _count(archive, member, _START_TAG, MAX_PART_ELEMENTS) > MAX_PART_ELEMENTS:
                raise RegisterError(
                    f"het Excel-bestand heeft in {shown(name)} meer dan {dutch_count(MAX_PART_ELEMENTS)} "
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
            f"de teksten van het Excel-bestand ({shown(member.filename)}) pakken uit tot "
            f"{member.file_size / 1e6:.0f} MB; het maximum is {MAX_SHARED_STRINGS_BYTES / 1e6:.0f} MB. Sla het "
            "werkblad opnieuw op (onnodige teksten vallen dan weg) of exporteer het als CSV"
        )
    if _count(archive, member, _SHARED_STRING_TAG, MAX_SHARED_STRINGS) > MAX_SHARED_STRINGS:
        raise RegisterError(
            f"het Excel-bestand heeft meer dan {dutch_count(MAX_SHARED_STRINGS)} verschillende "
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
        return 0  # broken, encrypted or packed in an unknown way: calamine says so in its own words
    return count


def _pieces(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> Iterator[bytes]:
    """`member` in pieces of about 1 MB that each end before a "<" (which goes with the
    next), so no tag is cut in two; nothing more when it cannot be unpacked."""
    carry = b""
    try:
        with archive.open(member) as source:
            while piece := source.read(1 << 20):
                data = carry + piece
                cut = data.rfind(b"<")
                cut = len(data) if cut <= 0 else cut
                yield data[:cut]
                carry = data[cut:]
    except (zipfile.BadZipFile, OSError, EOFError, RuntimeError, NotImplementedError, zlib.error):
        return  # calamine says so in its own words
    yield carry


@dataclass
class _Block:
    """The rows and columns (0-based, inclusive) from the first to the last filled cell."""

    top: int = 1 << 40
    left: int = 1 << 40
    bottom: int = -1
    right: int = -1

    def add(self, row: int, column: int, rows: int = 1, columns: int = 1) -> None:
        self.top, self.left = min(self.top, row), min(self.left, column)
        self.bottom, self.right = max(self.bottom, row + rows - 1), max(self.right, column + columns - 1)

    @property
    def cells(self) -> int:
        return 0 if self.bottom < 0 else (self.bottom - self.top + 1) * (self.right - self.left + 1)

    @property
    def corner(self) -> str:
        """The last cell as a spreadsheet names it ("XFD1048576")."""
        letters, number = "", self.right + 1
        while number:
            number, rest = divmod(number - 1, 26)
            letters = chr(ord("A") + rest) + letters
        return f"{letters}{self.bottom + 1}"


# A cell with its reference: first, as Excel, LibreOffice and openpyxl write it (found
# fast), or anywhere among its attributes. Self-closing is empty: a format only ("<c r=.. s=../>").
_XLSX_CELL_R_FIRST = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c r="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')
_XLSX_CELL = re.compile(rb'<(?:[A-Za-z_][\w.-]*:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"([^>]*)>')


def _column_number(letters: bytes) -> int:
    number = 0
    for letter in letters:
        number = number * 26 + letter - ord("A") + 1
    return number - 1


def _xlsx_block(archive: zipfile.ZipFile, member: zipfile.ZipInfo, cells: int) -> _Block:
    """The block of filled cells of an .xlsx worksheet of `cells` cells, from their
    references; the slower pattern only when not every cell has its reference first."""
    for pattern in (_XLSX_CELL_R_FIRST, _XLSX_CELL):
        block, found = _Block(), 0
        for piece in _pieces(archive, member):
            matches = pattern.findall(piece)
            found += len(matches)
            filled = [(letters, digits) for letters, digits, rest in matches if not rest.endswith(b"/")]
            if filled:
                rows = [int(digits) for _, digits in filled]
                columns = [_column_number(letters) for letters in {letters for letters, _ in filled}]
                block.add(min(rows) - 1, min(columns))
                block.add(max(rows) - 1, max(columns))
        if found >= cells:
            break
    return block


def _refuse_large_block(where: str, block: _Block) -> None:
    if block.cells > MAX_CELLS:
        raise RegisterError(
            f"de gegevens in {where} lopen tot cel {block.corner}: een blok van "
            f"{dutch_count(block.bottom - block.top + 1)} rijen bij {dutch_count(block.right - block.left + 1)} "
            f"kolommen, meer dan {dutch_count(MAX_CELLS)} cellen. Verwijder wat ver buiten de tabel staat, "
            "verdeel het register over meer bestanden of exporteer het als CSV"
        )


# The start tags of an OpenDocument table, its rows and cells, and the end tags of a table
# and a row, with the prefix calamine looks for (it reads no other).
_ODS_TAG = re.compile(
    rb"<table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>|</table:(table-row|table)>"
)
_ODS_REPEAT = re.compile(rb'number-(?:rows|columns)-repeated="([0-9]{1,10})"')


def _check_ods(path: Path) -> None:
    """Refuse an .ods whose tables calamine would hold as blocks of more than
    IMPORT_MAX_CELLS cells together (it reads every table when it opens the file).
    A row or cell may say it is repeated ("number-rows-repeated"): a few bytes can
    stand for millions of filled cells. Repeated empty cells cost nothing (LibreOffice
    writes the rest of a sheet so); cell tags themselves count as in an .xlsx."""
    try:
        archive = zipfile.ZipFile(path)
        member = archive.getinfo("content.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return  # no zip, or no spreadsheet in it: calamine says so
    with archive:
        blocks: list[_Block] = []
        tags = row = column = 0
        repeat, left, right = 1, -1, -1  # the current row: its repeats, its first and last filled column
        for piece in _pieces(archive, member):
            for name, attributes, end in _ODS_TAG.findall(piece):
                if end == b"table-row":  # the next row starts below all repeats of this one
                    if left >= 0:
                        blocks[-1].add(row, left, repeat, right - left + 1)
                        if sum(block.cells for block in blocks) > MAX_CELLS:
                            _refuse_large_block(f"tabel {len(blocks)}", blocks[-1])
                    row, repeat, left, right = row + repeat, 1, -1, -1
                    continue
                if end or not (name == b"table" or blocks):
                    continue
                found = b"repeated" in attributes and _ODS_REPEAT.search(attributes)
                times = int(found.group(1)) if found else 1
                empty = attributes.endswith(b"/")
                if name == b"table":
                    blocks.append(_Block())
                    row = 0
                elif name == b"table-row":
                    if empty:
                        row += times
                    else:
                        repeat, column = times, 0
                else:
                    tags += 1
                    if not empty or b"value-type=" in attributes:
                        left = column if left < 0 else left
                        right = column + times - 1
                    column += times
        if tags > MAX_CELLS:
            raise RegisterError(
                f"het werkblad heeft meer dan {dutch_count(MAX_CELLS)} cellen (ook lege cellen met een opmaak "
                "tellen); verwijder de lege rijen en kolommen rond de gegevens, verdeel het register over meer "
                "bestanden of exporteer het als CSV"
            )


_OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _check_disguised_xls(path: Path) -> None:
    """An ".xls" that is none: a newer workbook renamed, or the web page (HTML) or text that
    many web applications save under that name. Said so, instead of "beschadigd"."""
    with path.open("rb") as file:
        start = file.read(512)
    if start.startswith(_OLE2_SIGNATURE):
        return
    if start.startswith(b"PK\x03\x04"):
        raise RegisterError(
            "dit is geen oud .xls-bestand maar een nieuwer werkboek (.xlsx of .ods); geef het die extensie"
        )
    if start.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<"):
        raise RegisterError(
            "dit is geen Excel-bestand maar een webpagina (HTML) met de extensie .xls; open het in Excel "
            "en sla het op als .xlsx, of exporteer het als CSV"
        )


# BIFF records of a cell with a value (BLANK and MULBLANK, format only, are left out):
# NUMBER, LABELSST, LABEL, RK, FORMULA, BOOLERR, RSTRING; MULRK holds a run of columns.
_BIFF_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0006, 0x0205, 0x00D6, 0x0406}
_BIFF_MULRK, _BIFF_BOF, _BIFF_SST = 0x00BD, {0x0809, 0x0409, 0x0209, 0x0009}, 0x00FC


def _check_xls(path: Path) -> None:
    """Refuse an .xls whose sheets calamine would hold as blocks of more than
    IMPORT_MAX_CELLS cells together (it reads every sheet when it opens the file: one
    cell at IV65536 in a 6 kB file took 9 s and 1 GB), or that declares more shared
    texts than IMPORT_MAX_SHARED_STRINGS. Read from the cell records of the workbook
    stream inside the OLE2 container; what cannot be read is left to calamine."""
    import olefile

    try:
        with olefile.OleFileIO(str(path)) as container:
            stream = next((name for name in ("Workbook", "Book") if container.exists(name)), None)
            if stream is None:
                return
            data = container.openstream(stream).read()
    except Exception:  # noqa: BLE001 - not an OLE2 file, or a broken one: calamine says so
        return
    blocks: list[_Block] = []
    offset = 0
    while offset + 4 <= len(data):
        kind, length = struct.unpack_from("<HH", data, offset)
        body = data[offset + 4 : offset + 4 + length]
        offset += 4 + length
        if kind in _BIFF_BOF:
            blocks.append(_Block())
        elif kind == _BIFF_SST and len(body) >= 8:
            if struct.unpack_from("<I", body, 4)[0] > MAX_SHARED_STRINGS:
                raise RegisterError(
                    f"het Excel-bestand heeft meer dan {dutch_count(MAX_SHARED_STRINGS)} verschillende "
                    "teksten; dat is meer dan een register kan hebben. Sla het werkblad opnieuw op of exporteer "
                    "het als CSV"
                )
        elif blocks and len(body) >= 4 and (kind in _BIFF_CELLS or kind == _BIFF_MULRK):
            row, column = struct.unpack_from("<HH", body)
            last = struct.unpack_from("<H", body, len(body) - 2)[0] if kind == _BIFF_MULRK else column
            blocks[-1].add(row, column, 1, max(last - column + 1, 1))
    if sum(block.cells for block in blocks) > MAX_CELLS:
        _refuse_large_block("het Excel-bestand", max(blocks, key=lambda block: block.cells))


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


def _table_from_rows(numbered: Iterable[tuple[int, list[str]]], name: str) -> Table:
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
            raise RegisterError(f"rij {number} heeft {len(cells)} kolommen; het maximum is {MAX_COLUMNS}")
        if len(rows) > MAX_ROWS:  # the header and MAX_ROWS rows are in already
            raise RegisterError(
                f"het bestand heeft meer dan {dutch_count(MAX_ROWS)} rijen met gegevens; "
                "verdeel het register over meer bestanden"
            )
        rows.append((number, cells))
    if not rows:
        raise RegisterError("het bestand is leeg")
    return Table(headers=rows[0][1], rows=rows[1:])


def _read_geo(path: Path) -> Table:
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
        raise RegisterError(f"kan het {kind}-bestand niet lezen; het is beschadigd of ongeldig") from error
    has_geometry = isinstance(frame, gpd.GeoDataFrame)
    geometry_name = frame.geometry.name if has_geometry else None
    columns = [column for column in frame.columns if column != geometry_name]
    if len(frame) > MAX_ROWS:
        raise RegisterError(
            f"het bestand heeft meer dan {dutch_count(MAX_ROWS)} objecten; verdeel het register over meer bestanden"
        )
    if len(columns) > MAX_COLUMNS:
        raise RegisterError(f"het bestand heeft {len(columns)} velden; het maximum is {MAX_COLUMNS}")
    positions = _geometry_positions(frame) if has_geometry else None
    rows = [
        (number, [_cell_text(value) for value in values])
        for number, values in enumerate(frame[columns].itertuples(index=False, name=None), start=1)
    ]
    return Table(headers=[str(c) for c in columns], rows=rows, unit="object", positions=positions, warnings=warnings)


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
