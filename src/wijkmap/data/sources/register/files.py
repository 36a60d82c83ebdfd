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
import zipfile
import zlib
from collections.abc import Iterable
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
    if suffix in (".xlsx", ".xlsm"):
        return _read_excel(path)
    if suffix in (".geojson", ".json", ".gpkg"):
        return _read_geo(path)
    if suffix == ".xls":
        raise RegisterError("het oude Excel-formaat (.xls) wordt niet gelezen; sla het bestand op als .xlsx of als CSV")
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


def _read_excel(path: Path) -> Table:
    """The first sheet of an .xlsx file as text rows (see `_cell_text` for the values).

    Every row is read, whatever the sheet's <dimension> claims: a tool that writes a stale
    one would otherwise lose rows without a word."""
    import openpyxl

    _check_unzipped_size(path)
    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # noqa: BLE001 - not a zip, not a workbook, or broken inside
        raise RegisterError("kan het Excel-bestand niet openen; het is beschadigd of geen .xlsx") from error
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
                        f"het werkblad {shown(name)} heeft meer dan {dutch_count(MAX_CELLS)} cellen (ook lege "
                        "cellen met een opmaak tellen); verwijder de lege rijen en kolommen rond de gegevens, "
                        "verdeel het register over meer bestanden of exporteer het als CSV"
                    )
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
