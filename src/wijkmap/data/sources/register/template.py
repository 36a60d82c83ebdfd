"""The register template: the columns a register file may have, as an .xlsx to fill in
(with the allowed codes and Excel validation lists) and as a CSV header.

The column names are the reader's own field names, so a filled template is read
without any mapping; the codes come from core.vocabulary, so a new soort shows up here
by itself.
"""

from __future__ import annotations

import io

from wijkmap.config import IMPORT_MAX_ROWS
from wijkmap.core import vocabulary as vocab

# (field, what goes in it), in the template's column order.
TEMPLATE_COLUMNS: list[tuple[str, str]] = [
    ("id", "Uw eigen vaste nummer of code van de voorziening (aanbevolen): een volgende import werkt de rij dan bij"),
    ("naam", "Naam van de voorziening of het initiatief (verplicht)"),
    ("soort", "Soort voorziening: een code uit het blad codes (verplicht)"),
    ("strategie", "bonding, bridging, beide of onbekend (leeg = onbekend)"),
    ("actortype", "Wie het draagt: een of meer codes uit het blad codes, gescheiden door ;"),
    ("doelgroep", "Voor wie: een of meer codes uit het blad codes, gescheiden door ;"),
    ("tarief", "gratis, maatschappelijk, commercieel of wisselend"),
    ("tijdelijk", "ja of nee (leeg = onbekend)"),
    ("geopend", "Sinds wanneer: een jaar (2019) of een datum (2019-03-01)"),
    ("gesloten", "Gesloten per: een jaar of een datum; leeg = nog open"),
    ("opvolger_van", "Het id van de voorziening die deze verving (leeg als er geen was)"),
    ("omschrijving", "Korte omschrijving"),
    ("url", "Webadres, beginnend met https://"),
    ("bron", "Herkomst, bijvoorbeeld Register gemeente Utrecht 2026 (leeg = de bestandsnaam)"),
    ("werkgebied", "Voor een wijkteam: de buurtcodes van het werkgebied, gescheiden door ;"),
    ("laatst_gecontroleerd", "Datum waarop iemand heeft nagegaan dat de voorziening er nog is (2026-03-01)"),
    ("lat", "Breedtegraad (WGS84), bijvoorbeeld 52,0907; of vul x en y of een buurtcode in"),
    ("lon", "Lengtegraad (WGS84), bijvoorbeeld 5,1214"),
    ("x", "X in Rijksdriehoekscoördinaten (RD New), bijvoorbeeld 136950"),
    ("y", "Y in Rijksdriehoekscoördinaten (RD New), bijvoorbeeld 455900"),
    ("buurtcode", "Als er geen adres of coördinaten zijn: de buurtcode (BU en 8 cijfers, zoals BU03440611)"),
]

# Coded columns: field -> (the codes, whether a cell may hold several, separated by ";").
_CODED: dict[str, tuple[list[str], bool]] = {
    "soort": (list(vocab.SOORTEN), False),
    "strategie": (list(vocab.STRATEGIES), False),
    "actortype": (list(vocab.ACTORTYPES), True),
    "doelgroep": (list(vocab.DOELGROEPEN), True),
    "tarief": (list(vocab.TARIEVEN), False),
    "tijdelijk": (["ja", "nee"], False),
}
_FIRST_ROW, _LAST_ROW = 2, IMPORT_MAX_ROWS + 1  # the rows a register can fill


def template_xlsx() -> bytes:
    """The template as an .xlsx: a sheet "register" with the header row (a note on each
    header says what goes in it), a sheet "codes" with the allowed codes and their
    labels, Excel validation lists on the coded columns that refer to it, and a sheet
    "uitleg" that explains every column. A column that may hold several codes warns
    instead of refusing, since "bewoners; gemeente" is no single item of the list."""
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "register"
    codes = workbook.create_sheet("codes")
    explanation = workbook.create_sheet("uitleg")

    code_column: dict[str, str] = {}
    for number, (field, (values, _)) in enumerate(_CODED.items(), start=1):
        letter = get_column_letter(2 * number - 1)
        code_column[field] = letter
        codes.cell(1, 2 * number - 1, field).font = Font(bold=True)
        codes.cell(1, 2 * number, "betekenis").font = Font(bold=True)
        for row, code in enumerate(values, start=2):
            codes.cell(row, 2 * number - 1, code)
            codes.cell(row, 2 * number, vocab.label(field, code) if field in vocab.VOCABULARIES else code)
        codes.column_dimensions[letter].width = max(len(code) for code in values) + 4
        codes.column_dimensions[get_column_letter(2 * number)].width = 32

    for number, (field, description) in enumerate(TEMPLATE_COLUMNS, start=1):
        letter = get_column_letter(number)
        header = sheet.cell(1, number, field)
        header.font = Font(bold=True)
        header.comment = Comment(description, "wijkmap")
        sheet.column_dimensions[letter].width = max(len(field) + 4, 14)
        if field in _CODED:
            values, several = _CODED[field]
            source = code_column[field]
            validation = DataValidation(
                type="list",
                formula1=f"codes!${source}${2}:${source}${len(values) + 1}",
                allow_blank=True,
                showErrorMessage=True,
                errorStyle="warning" if several else "stop",
                errorTitle=f"Onbekende {field}",
                error=(
                    "Kies een code uit de lijst; meer codes scheidt u met ;"
                    if several
                    else "Kies een code uit de lijst (zie het blad codes)"
                ),
                showInputMessage=True,
                promptTitle=field,
                prompt=description[:255],
            )
            validation.add(f"{letter}{_FIRST_ROW}:{letter}{_LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"

    explanation.append(["kolom", "wat erin staat"])
    for cell in explanation[1]:
        cell.font = Font(bold=True)
    for field, description in TEMPLATE_COLUMNS:
        explanation.append([field, description])
    explanation.append([])
    explanation.append(["", "Eén rij per voorziening of initiatief. Een locatie is lat en lon, of x en y, of een buurtcode."])
    explanation.append(["", "Kolomkoppen mogen ook in het Engels of anders gespeld; onbekende kolommen kunt u bij het uploaden koppelen."])
    explanation.column_dimensions["A"].width = 22
    explanation.column_dimensions["B"].width = 110

    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def template_csv() -> bytes:
    """The template's header as a CSV: UTF-8 with BOM and ";" (what Excel in Dutch opens
    as columns)."""
    return ("\ufeff" + ";".join(field for field, _ in TEMPLATE_COLUMNS) + "\r\n").encode("utf-8")

