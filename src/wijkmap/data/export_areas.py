"""Writing the figures of areas for download and export: CSV, Excel and GeoPackage.

One row per area (code, naam, gemeentecode, jaar), one column per indicator, and a bron
column that names the sources of that row's figures (one column, not one per indicator,
so the table stays readable in Excel; the Excel file adds a sheet that explains each
indicator). Numbers are plain: no thousands separators, a decimal point. Areas are listed
when they have a figure of that year, also when no boundaries of that year are known;
only the GeoPackage needs them. Nothing here knows about Streamlit or the command line.
"""

from __future__ import annotations

import io
import re
import tempfile
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkmap.core import indeling
from wijkmap.data import gpkg, store
from wijkmap.data.export import normalise_gemeentecode, write_csv

LEVEL_PREFIX = {"buurt": "BU", "wijk": "WK", "gemeente": "GM"}
ID_COLUMNS = ["code", "naam", "gemeentecode", "jaar"]
BRON_COLUMN = "bron"
# fmt -> (file extension, media type)
AREA_FORMATS = {
    "csv": ("csv", "text/csv"),
    "xlsx": ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
}
_GEMEENTECODE = re.compile(r"^GM\d{4}$")


class AreaExportError(ValueError):
    """A request the store cannot answer; the message (Dutch) says what is there instead."""


def area_table(
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    names: pd.DataFrame,
    niveau: str,
    jaar: int,
    gemeenten: list[str] | None = None,
    indicators: list[str] | None = None,
    codes: list[str] | None = None,
) -> pd.DataFrame:
    """The figures of `jaar` at `niveau`, one row per area, one column per indicator.

    `names` gives code and naam (the first row of a code wins: pass the newest layer
    first). Without `codes`, every area with a figure is a row, and a selection without
    any figure is an error; with `codes` (the areas a map shows), exactly those areas are
    rows, with empty cells where a figure is missing."""
    if niveau not in LEVEL_PREFIX:
        raise AreaExportError(f'onbekend niveau "{niveau}"; kies uit: {", ".join(LEVEL_PREFIX)}')
    known = list(catalogue["indicator"])
    unknown = [code for code in indicators or [] if code not in known]
    if unknown:
        raise AreaExportError(f"onbekende indicator {', '.join(unknown)}; kies uit: {', '.join(known)}")
    rows = statistics[statistics["code"].str.startswith(LEVEL_PREFIX[niveau])]
    selected = [normalise_gemeentecode(code) for code in gemeenten or []]
    if selected:
        _check_gemeenten(selected, statistics, names)
        rows = rows[indeling.gemeente_of(rows["code"]).isin(selected)]
    if indicators:
        rows = rows[rows["indicator"].isin(indicators)]
    years = sorted(int(year) for year in rows["jaar"].unique())
    rows = rows[rows["jaar"] == int(jaar)]
    if codes is not None:
        rows = rows[rows["code"].isin(set(codes))]
    elif rows.empty:
        where = f" in {', '.join(selected)}" if selected else ""
        other = f"; wel voor: {', '.join(map(str, years))}" if years else ""
        asked = f" van {', '.join(indicators)}" if indicators else ""
        raise AreaExportError(f"geen cijfers{asked} op {niveau}niveau{where} voor {jaar}{other}")
    present = set(rows["indicator"])
    if indicators and codes is None:
        empty = [code for code in indicators if code not in present]
        if empty:
            raise AreaExportError(f"geen cijfers van {', '.join(empty)} op {niveau}niveau voor {jaar}")
    order = [code for code in (indicators or known) if code in present]
    order += sorted(present - set(order))  # figures without a catalogue row stay
    values = rows.pivot_table(index="code", columns="indicator", values="waarde", aggfunc="first")
    area_codes = sorted(values.index) if codes is None else list(dict.fromkeys(codes))
    values = values.reindex(index=area_codes, columns=order)
    sources: dict[str, list[str]] = {}
    pairs = rows[["code", "bron"]].dropna().drop_duplicates().sort_values(["code", "bron"])
    for code, bron in zip(pairs["code"], pairs["bron"]):
        sources.setdefault(code, []).append(bron)
    bronnen = pd.Series({code: "; ".join(names) for code, names in sources.items()}, dtype=object)
    naam = names.drop_duplicates("code").set_index("code")["naam"]
    index = pd.Index(area_codes, dtype=str)
    table = pd.DataFrame(
        {
            "code": index,
            "naam": naam.reindex(index).fillna("").to_numpy(),
            "gemeentecode": indeling.gemeente_of(pd.Series(index, dtype=str)).to_numpy(),
            "jaar": int(jaar),
        }
    )
    for indicator in order:
        table[indicator] = values[indicator].to_numpy(dtype=float)
    table[BRON_COLUMN] = bronnen.reindex(index).fillna("").to_numpy()
    return table


def _check_gemeenten(selected: list[str], statistics: pd.DataFrame, names: pd.DataFrame) -> None:
    for code in selected:
        if not _GEMEENTECODE.match(code):
            raise AreaExportError(f'"{code}" is geen gemeentecode (GM en vier cijfers, bv. GM0150)')
    known = set(indeling.gemeente_of(statistics["code"])) | set(indeling.gemeente_of(names["code"].astype(str)))
    unknown = [code for code in selected if code not in known]
    if unknown:
        raise AreaExportError(f"onbekende gemeente {', '.join(unknown)}: het gegevensbestand kent die code niet")


def indicator_legend(catalogue: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """What each indicator column of `table` means: label and unit, for the Excel sheet."""
    columns = [c for c in table.columns if c not in (*ID_COLUMNS, BRON_COLUMN)]
    rows = catalogue.set_index("indicator").reindex(columns)
    return pd.DataFrame(
        {
            "indicator": columns,
            "omschrijving": rows["label_nl"].fillna("").to_numpy(),
            "eenheid": rows["eenheid"].fillna("").to_numpy(),
        }
    )


def write_areas(
    table: pd.DataFrame,
    fmt: str,
    boundaries: gpd.GeoDataFrame | None = None,
    legend: pd.DataFrame | None = None,
) -> bytes:
    """`table` (area_table) as a file in `fmt`. The GeoPackage joins `boundaries`
    (code + geometry) on code; `legend` (indicator_legend) becomes a second Excel sheet."""
    if fmt == "csv":
        return _to_csv(table)
    if fmt == "xlsx":
        return _to_xlsx(table, legend)
    if fmt == "gpkg":
        if boundaries is None:
            raise AreaExportError("een GeoPackage heeft grenzen nodig; kies csv of xlsx")
        return _to_gpkg(table, boundaries)
    raise AreaExportError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(AREA_FORMATS)}')


def _plain(value) -> str:
    """A number without thousands separators or exponent, to at most 4 decimals (figures
    derived from CBS's rounded counts are no more precise): 1035, 12.5, 10.8333; ''
    when missing."""
    if pd.isna(value):
        return ""
    return np.format_float_positional(float(value), precision=4, unique=False, trim="-")


def _text_columns(table: pd.DataFrame) -> list[str]:
    return [c for c in table.columns if c != "jaar" and not pd.api.types.is_numeric_dtype(table[c])]


def _to_csv(table: pd.DataFrame) -> bytes:
    numbers = [c for c in table.columns if c != "jaar" and c not in _text_columns(table)]
    text = _text_columns(table)
    plain = table.copy()
    for column in numbers:
        plain[column] = [_plain(v) for v in table[column]]
    return write_csv(plain, text)


def _to_xlsx(table: pd.DataFrame, legend: pd.DataFrame | None) -> bytes:
    """Sheet "gebieden" and, with `legend`, a sheet "indicatoren" (see xlsx_workbook)."""
    return xlsx_workbook([("gebieden", table)] + ([("indicatoren", legend)] if legend is not None else []))


def xlsx_workbook(sheets: list[tuple[str, pd.DataFrame]]) -> bytes:
    """An Excel workbook of one sheet per (title, frame): a header row, frozen, then the
    rows (numbers as numbers, text never read as a formula). Written in openpyxl's
    streaming mode (12,000 buurten in seconds). Every table export writes its Excel
    files here (also council.compare_export)."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, frame in sheets:
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([_xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if isinstance(value, str) and value.startswith("="):
        # openpyxl stores text starting with "=" as a formula; a name is never one.
        text = WriteOnlyCell(sheet, value)
        text.data_type = "s"
        return text
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return None
    return value.item() if hasattr(value, "item") else value


# The same numbers for other tables of figures (council.compare_export).
plain_number = _plain


def _to_gpkg(table: pd.DataFrame, boundaries: gpd.GeoDataFrame) -> bytes:
    """One polygon layer "gebieden" (see gpkg_layer)."""
    return gpkg_layer(table, boundaries, "gebieden")


def gpkg_layer(table: pd.DataFrame, boundaries: gpd.GeoDataFrame, layer: str) -> bytes:
    """A GeoPackage of one polygon layer `layer` in EPSG:4326: `table` joined on code to
    `boundaries` (code + geometry; a row without one gets no geometry). GDAL writes only
    to files, so it goes through a temporary one."""
    shapes = boundaries[["code", "geometry"]].drop_duplicates("code")
    frame = gpd.GeoDataFrame(table.merge(shapes, on="code", how="left"), geometry="geometry", crs=boundaries.crs)
    with tempfile.TemporaryDirectory(prefix=f"wijkmap-{layer}-") as folder:
        path = Path(folder) / f"{layer}.gpkg"
        gpkg.write_layer(frame.to_crs(store.CRS), path, layer, promote_to_multi=True)
        return path.read_bytes()


def export_from_store(
    niveau: str,
    jaar: int,
    fmt: str,
    gemeenten: list[str] | None = None,
    indicators: list[str] | None = None,
    path: Path | None = None,
) -> tuple[bytes, int]:
    """The export-gebieden file of the store at `path`, and its number of areas.

    Names come from the layer of `jaar` itself, else from the newest layer of the level
    that has the code; the GeoPackage uses the boundaries of `jaar` itself and is refused
    when the store has none."""
    if niveau not in LEVEL_PREFIX:
        raise AreaExportError(f'onbekend niveau "{niveau}"; kies uit: {", ".join(LEVEL_PREFIX)}')
    if fmt not in AREA_FORMATS:
        raise AreaExportError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(AREA_FORMATS)}')
    layers = [(year, name) for name, year in indeling.layers_of(store.area_layers(path), niveau).items()]
    boundary_layer = f"{niveau}_{jaar}"
    if fmt == "gpkg" and boundary_layer not in {name for _, name in layers}:
        have = ", ".join(str(year) for year, _ in layers) or "geen"
        raise AreaExportError(
            f"het gegevensbestand heeft geen grenzen van {niveau} {jaar} (wel van: {have}), dus geen GeoPackage. "
            f"Kies --format csv of xlsx, of importeer de grenzen van {jaar} met: "
            f"python -m wijkmap import-gebieden BESTAND --jaar {jaar}"
        )
    # The names of that year's own layer first, then of the newest layer that has the code.
    by_preference = sorted(layers, key=lambda layer: (layer[1] != boundary_layer, -layer[0]))
    names = pd.concat(
        [store.read_area_names(name, path)[["code", "naam"]] for _, name in by_preference]
        or [pd.DataFrame({"code": [], "naam": []})],
        ignore_index=True,
    )
    catalogue = store.read_catalogue(path)
    table = area_table(
        store.read_statistics(path),  # all years: an error names the years there are
        catalogue,
        names,
        niveau,
        jaar,
        gemeenten,
        indicators,
    )
    boundaries = None
    if fmt == "gpkg":
        boundaries = store.read_areas(boundary_layer, path=path)
        boundaries = boundaries[boundaries["code"].isin(set(table["code"]))]
    legend = indicator_legend(catalogue, table)
    return write_areas(table, fmt, boundaries, legend), len(table)
