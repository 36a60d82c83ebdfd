"""The comparison as a file: CSV (Dutch Excel), Excel and GeoPackage, with its sources.

The rows are compare.comparison_table's, numbers plain (no thousands separators, a
decimal point), as every areas export writes them (data.export_areas); a text cell that
would run as a formula is neutralised there. The fictional sample, when counted, has
its own row ("waarvan fictief voorbeeld") and a line in the sources. The CSV ends with
the sources as rows of their own section; the Excel file puts them on a second sheet.
The GeoPackage has one polygon per area (layer "vergelijking", a row per area: its
figures, provisions, matrix and change as columns, the sources in `bron`) for a GIS.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from wijkmap.core.i18n import t
from wijkmap.council.compare import Comparison, comparison_table
from wijkmap.data import export_areas
from wijkmap.data.export import write_csv

FORMATS = {fmt: export_areas.AREA_FORMATS[fmt] for fmt in ("csv", "xlsx", "gpkg")}


def sources_frame(comparison: Comparison, lang: str) -> pd.DataFrame:
    """One row per source line: CBS and Kadaster, each statistics table, the records' sources."""
    lines = list(comparison.sources)
    if comparison.sample:
        lines.append(t("compare_sample", lang).replace("**", ""))
    return pd.DataFrame({t("cmp_sources", lang): lines})


def areas_frame(comparison: Comparison) -> pd.DataFrame:
    """One row per area: code, naam, niveau, gemeente, jaar, each indicator, the provisions
    (voorzieningen, of which fictional), the matrix cells and the change (verandering_*);
    empty where no provisions are known or can be placed. Column names are codes (a GIS
    keeps them short); the sources are in `bron`."""
    blank = set(comparison.unknown) | set(comparison.unplaced)
    indicators = comparison.indicators.set_index("indicator")
    totals = comparison.provisions.groupby("code")[["totaal", "voorbeeld"]].sum()
    rows = []
    for area in comparison.areas:
        row: dict[str, object] = {
            "code": area.code,
            "naam": area.naam,
            "niveau": area.niveau,
            "gemeentecode": area.gemeentecode,
            "gemeentenaam": area.gemeentenaam,
            "jaar": comparison.jaar,
        }
        row |= {indicator: indicators.at[indicator, area.code] for indicator in indicators.index}
        counts: dict[str, object] = {
            "voorzieningen": totals.at[area.code, "totaal"],
            "waarvan_fictief_voorbeeld": totals.at[area.code, "voorbeeld"],
        }
        counts |= {str(key): value for key, value in comparison.matrix.loc[area.code].items()}
        if comparison.change is not None and comparison.periode:
            counts |= {f"verandering_{k}": v for k, v in comparison.change.loc[area.code].to_dict().items()}
        row |= {key: (None if area.code in blank else value) for key, value in counts.items()}
        row["peiljaar"] = comparison.peiljaar
        row["periode"] = "-".join(map(str, comparison.periode)) if comparison.periode else ""
        row["bron"] = "; ".join(comparison.sources)
        rows.append(row)
    return pd.DataFrame(rows)


def export_comparison(
    comparison: Comparison, fmt: str, lang: str = "nl", shapes: gpd.GeoDataFrame | None = None
) -> bytes:
    """The comparison as a `fmt` ('csv', 'xlsx' or 'gpkg') file; the GeoPackage needs the
    areas' boundaries (`shapes`: code, geometry; an area without one gets no geometry)."""
    if fmt not in FORMATS:
        raise ValueError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(FORMATS)}')
    if fmt == "gpkg":
        if shapes is None:
            raise ValueError("een GeoPackage heeft grenzen nodig; kies csv of xlsx")
        return export_areas.gpkg_layer(areas_frame(comparison), shapes, "vergelijking")
    table = comparison_table(comparison, lang)
    sources = sources_frame(comparison, lang)
    if fmt == "xlsx":
        return export_areas.xlsx_workbook([("vergelijking", table), ("bronnen", sources)])
    section, subject = table.columns[0], table.columns[1]
    text_columns = [c for c in table.columns if not pd.api.types.is_numeric_dtype(table[c])]
    plain = table.astype(object)
    for column in table.columns:
        if column not in text_columns:
            plain[column] = [export_areas.plain_number(value) for value in table[column]]
    plain[table.columns[3]] = [_year(value) for value in table[table.columns[3]]]
    source_rows = pd.DataFrame({section: t("cmp_sources", lang), subject: sources.iloc[:, 0]})
    plain = pd.concat([plain, source_rows], ignore_index=True).fillna("")
    return write_csv(plain, list(plain.columns))


def _year(value) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    return str(int(value)) if not isinstance(value, str) else value
