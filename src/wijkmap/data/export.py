"""Writing records for download and export: CSV, GeoJSON and GeoPackage.

Every export has the columns of records.FIELDS plus `voorbeeld`, which says for each
record whether it is part of the illustrative, fictional sample (bron "voorbeeld"), so
the sample can never pass for real data once it leaves the app, and `bronvermelding`,
the credit a source's licence asks for (OpenStreetMap's ODbL), so it travels with the rows. Nothing here knows about
Streamlit or the command line; both call these functions and write the bytes.
"""

from __future__ import annotations

import json
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkmap.config import WGS84
from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.core.records import CREDITS, FIELDS, sample_mask, split_list
from wijkmap.data import gpkg

SAMPLE_COLUMN = "voorbeeld"
SAMPLE_YES = "ja (fictief voorbeeld)"
SAMPLE_NO = "nee"
CREDIT_COLUMN = "bronvermelding"
EXPORT_FIELDS = [*FIELDS, SAMPLE_COLUMN, CREDIT_COLUMN]
LAYER = "voorzieningen"
# fmt -> (file extension, media type), for download buttons and file names.
FORMATS = {
    "csv": ("csv", "text/csv"),
    "geojson": ("geojson", "application/geo+json"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
}
_NUMERIC = ("lon", "lat")
_TEXT = [name for name in EXPORT_FIELDS if name not in _NUMERIC]

# A spreadsheet runs a cell as a formula when it starts with one of these.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# ...except what it reads as a plain number or shows as text anyway (see neutralise_formula).
_HARMLESS = re.compile(r"^(?:[+-]?\d+(?:[.,]\d+)?|-+)$")


def export_table(records: pd.DataFrame) -> pd.DataFrame:
    """The records as a plain table in export column order, with the `voorbeeld` label.

    Text fields are strings ("" when empty), lon and lat are floats."""
    frame = pd.DataFrame({name: records.get(name, "") for name in FIELDS})
    frame[SAMPLE_COLUMN] = [SAMPLE_YES if sample else SAMPLE_NO for sample in sample_mask(frame)]
    frame[CREDIT_COLUMN] = [CREDITS.get(bron, "") for bron in frame["bron"]]
    frame[_TEXT] = frame[_TEXT].fillna("").astype(str)
    frame[list(_NUMERIC)] = frame[list(_NUMERIC)].astype(float)
    return frame.reset_index(drop=True)


def export_records(records: pd.DataFrame, fmt: str) -> bytes:
    """The records as a file in `fmt` ("csv", "geojson" or "gpkg"), as bytes.

    Positions come from the lon/lat fields (WGS84), whatever geometry `records` has."""
    writers = {"csv": _to_csv, "geojson": _to_geojson, "gpkg": _to_gpkg}
    if fmt not in writers:
        raise ValueError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(writers)}')
    return writers[fmt](export_table(records))


# --- CSV -------------------------------------------------------------------------------


def _runs_as_formula(value: str) -> bool:
    """Whether `value`, once its leading quotes are taken off, would run as a formula."""
    core = value.lstrip("'")
    return core.startswith(_FORMULA_START) and not _HARMLESS.match(core)


def neutralise_formula(value: str) -> str:
    """Prefix a single quote to text a spreadsheet would run as a formula (CSV injection).

    "=HYPERLINK(...)", "@SUM(...)", "+31 6 ..." and "- zie site" all start a formula in
    Excel or LibreOffice, so they get the quote. Left alone: plain numbers such as "-5" or
    "+3,5" (a spreadsheet reads them as numbers; no function can run) and a lone "-" or
    "--" (shown as text), because the quote would be visible and change the data for
    nothing. lon and lat never pass through here: they are numbers, not text.

    Text that already starts with quotes before such a formula ("'=1") gets one more, so
    that `restore_formula` can take exactly one off and an export imports back to the
    same text; "'t Hofje" starts no formula and is left alone."""
    return "'" + value if _runs_as_formula(value) else value


def restore_formula(cell: str) -> str:
    """The inverse of neutralise_formula, for a CSV cell being imported: the one quote it
    added is taken off; any other leading quote ("'t Hofje") stays."""
    if cell.startswith("'") and _runs_as_formula(cell[1:]):
        return cell[1:]
    return cell


def _to_csv(table: pd.DataFrame) -> bytes:
    """CSV for Excel as Dutch municipalities have it.

    Separator ";": Excel with Dutch regional settings uses the decimal comma and so
    expects ";" between fields; a comma-separated file opens there as one column. Every
    other tool (pandas, QGIS, R, this app's own importer) reads ";" when told or sniffs
    it. Encoding UTF-8 with BOM: without the BOM Excel assumes Windows-1252 and garbles
    "ë" and "é". lon/lat are written with a decimal point and always 6 decimals, so no
    locale mistakes "5.123" for five thousand one hundred and twenty-three (a group of
    six digits is never a thousands group). Line ends are CRLF, as Excel writes them."""
    return write_csv(table, _TEXT, float_format="%.6f")


def write_csv(
    table: pd.DataFrame, text_columns: list[str], float_format: str | None = None, sep: str = ";", bom: bool = True
) -> bytes:
    """`table` as CSV for Dutch Excel (";", UTF-8 with BOM, CRLF; see _to_csv), with the
    cells of `text_columns` that would run as a formula neutralised. Every CSV export
    (records, areas, HSDS) is written here; an open standard's tables (export_hsds) ask
    for "," and no BOM instead."""
    table = table.copy()
    table[text_columns] = table[text_columns].fillna("").astype(str).map(neutralise_formula)
    text = table.to_csv(sep=sep, index=False, float_format=float_format, lineterminator="\r\n")
    return (("\ufeff" if bom else "") + text).encode("utf-8")


# --- GeoJSON ---------------------------------------------------------------------------


def _to_geojson(table: pd.DataFrame) -> bytes:
    """RFC 7946 GeoJSON: WGS84 lon/lat points (no "crs" member), properties = the fields."""
    features = []
    for row in table.to_dict("records"):
        lon, lat = row["lon"], row["lat"]
        located = pd.notna(lon) and pd.notna(lat)
        properties = {key: (None if key in _NUMERIC and pd.isna(value) else value) for key, value in row.items()}
        features.append(
            {
                "type": "Feature",
                "id": row["id"],
                "geometry": {"type": "Point", "coordinates": [round(lon, 6), round(lat, 6)]} if located else None,
                "properties": properties,
            }
        )
    collection = {"type": "FeatureCollection", "features": features}
    return json.dumps(collection, ensure_ascii=False).encode("utf-8")


# --- GeoPackage ------------------------------------------------------------------------


def _to_gpkg(table: pd.DataFrame) -> bytes:
    """A GeoPackage with one point layer "voorzieningen" in EPSG:4326, as bytes.

    GDAL writes only to files, so it goes through a temporary directory."""
    frame = gpd.GeoDataFrame(table, geometry=gpd.points_from_xy(table["lon"], table["lat"]), crs=WGS84)
    with tempfile.TemporaryDirectory(prefix="wijkmap-export-") as folder:
        path = Path(folder) / f"{LAYER}.gpkg"
        gpkg.write_layer(frame, path, LAYER, geometry_type="Point")
        return path.read_bytes()


# --- filtering -------------------------------------------------------------------------


def normalise_gemeentecode(text: str) -> str:
    """'GM0344', 'gm0344', '0344' and '344' all mean GM0344; other text stays as typed (and matches nothing)."""
    return indeling.typed_gemeentecode(text, zeros_lost=True) or text.strip().upper()


def _soort_codes(soorten: str | Iterable[str]) -> set[str]:
    """Soort codes from codes or labels ("repair café"); ValueError naming an unknown one."""
    items = split_list(soorten) if isinstance(soorten, str) else list(soorten)
    codes = set()
    for item in items:
        code = vocab.lookup("soort", item)
        if code is None:
            raise ValueError(f'onbekende soort "{item}"; kies uit: {", ".join(vocab.SOORTEN)}')
        codes.add(code)
    return codes


def filter_records(
    records: pd.DataFrame,
    gemeentecode: str | None = None,
    soorten: str | Iterable[str] | None = None,
    bron: str | None = None,
    include_sample: bool = True,
) -> pd.DataFrame:
    """The records of one gemeente, of some soorten, and/or of one bron (case-insensitive).

    `include_sample=False` leaves out the illustrative sample. Returns a copy of the same
    type as `records` (a GeoDataFrame stays one)."""
    mask = pd.Series(True, index=records.index)
    if gemeentecode:
        mask &= records["gemeentecode"] == normalise_gemeentecode(gemeentecode)
    if soorten:
        mask &= records["soort"].isin(_soort_codes(soorten))
    if bron:
        mask &= records["bron"].fillna("").str.strip().str.casefold() == bron.strip().casefold()
    if not include_sample:
        mask &= ~sample_mask(records)
    return records.loc[mask].copy()
