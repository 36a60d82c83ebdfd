"""The comparison as a file: CSV (Dutch Excel) and Excel, with its sources in the file.

The rows are compare.comparison_table's, numbers plain (no thousands separators, a
decimal point), as every areas export writes them (data.export_areas); a text cell that
would run as a formula is neutralised there. The fictional sample, when counted, has
its own row ("waarvan fictief voorbeeld") and a line in the sources. The CSV ends with
the sources as rows of their own section; the Excel file puts them on a second sheet.
"""

from __future__ import annotations

import io

import pandas as pd

from wijkmap.core.i18n import t
from wijkmap.council.compare import Comparison, comparison_table
from wijkmap.data import export_areas
from wijkmap.data.export import write_csv

FORMATS = {fmt: export_areas.AREA_FORMATS[fmt] for fmt in ("csv", "xlsx")}


def sources_frame(comparison: Comparison, lang: str) -> pd.DataFrame:
    """One row per source line: CBS and Kadaster, each statistics table, the records' sources."""
    lines = list(comparison.sources)
    if comparison.sample:
        lines.append(t("compare_sample", lang).replace("**", ""))
    return pd.DataFrame({t("cmp_sources", lang): lines})


def export_comparison(comparison: Comparison, fmt: str, lang: str = "nl") -> bytes:
    """The comparison as a `fmt` ('csv' or 'xlsx') file."""
    if fmt not in FORMATS:
        raise ValueError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(FORMATS)}')
    table = comparison_table(comparison, lang)
    sources = sources_frame(comparison, lang)
    if fmt == "xlsx":
        return _to_xlsx(table, sources)
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


def _to_xlsx(table: pd.DataFrame, sources: pd.DataFrame) -> bytes:
    """Sheet "vergelijking" (numbers as numbers) and sheet "bronnen"."""
    import openpyxl

    workbook = openpyxl.Workbook(write_only=True)
    for title, frame in (("vergelijking", table), ("bronnen", sources)):
        sheet = workbook.create_sheet(title)
        sheet.freeze_panes = "A2"
        sheet.append(list(frame.columns))
        for row in frame.itertuples(index=False):
            sheet.append([export_areas.xlsx_cell(sheet, value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
