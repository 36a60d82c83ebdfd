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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkmap.config import (
    IMPORT_MAX_COLUMNS as MAX_COLUMNS,
    IMPORT_MAX_FILE_BYTES as MAX_FILE_BYTES,
    IMPORT_MAX_ROWS as MAX_ROWS,
    RD_NEW,
    WGS84,
)
from wijkmap.data.export import restore_formula
from wijkmap.data.sources.register import spreadsheet_checks
from wijkmap.data.sources.register.report import RegisterError, dutch_count

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
        spreadsheet_checks.check_xls(path)
    else:
        spreadsheet_checks.check_zip(path, kind)
        if suffix == ".ods":
            spreadsheet_checks.check_ods(path)
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
