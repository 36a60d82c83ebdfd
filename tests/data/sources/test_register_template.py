"""The register template (register/template.py): its columns, the .xlsx with codes and
validation lists, the CSV header, and that both are read back by the register reader."""

from __future__ import annotations

import io

import openpyxl

from tests.data.sources.test_register import DOM_BUURT, buurten  # noqa: F401 - the fixture
from wijkmap.core import vocabulary as vocab
from wijkmap.data.sources.register import COLUMN_FIELDS, read_register
from wijkmap.data.sources.register.template import TEMPLATE_COLUMNS, template_csv, template_xlsx

FIELDS = [field for field, _ in TEMPLATE_COLUMNS]


def test_the_template_has_every_column_the_reader_knows_once():
    assert sorted(FIELDS) == sorted(COLUMN_FIELDS) and len(set(FIELDS)) == len(FIELDS)
    assert FIELDS[:3] == ["id", "naam", "soort"]
    assert all(description for _, description in TEMPLATE_COLUMNS)


def test_the_xlsx_has_the_header_the_codes_and_validation_lists_that_refer_to_them():
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    assert workbook.sheetnames == ["register", "codes", "uitleg"]
    sheet, codes = workbook["register"], workbook["codes"]
    assert [cell.value for cell in sheet[1]] == FIELDS
    assert sheet.max_row == 1  # nothing but the header: an empty template imports nothing
    assert sheet["C1"].comment.text.startswith("Soort voorziening")

    def listed(formula: str) -> list[str]:
        cells = codes[formula.removeprefix("codes!").replace("$", "")]
        return [row[0].value for row in cells]

    validations = {}
    for validation in sheet.data_validations.dataValidation:
        (column,) = {FIELDS[cell_range.min_col - 1] for cell_range in validation.sqref.ranges}
        assert str(validation.sqref).endswith("50001") and validation.type == "list"
        validations[column] = (listed(validation.formula1), validation.errorStyle)
    assert validations == {
        "soort": (list(vocab.SOORTEN), "stop"),
        "strategie": (list(vocab.STRATEGIES), "stop"),
        "actortype": (list(vocab.ACTORTYPES), "warning"),  # "bewoners; gemeente" is no item of the list
        "doelgroep": (list(vocab.DOELGROEPEN), "warning"),
        "tarief": (list(vocab.TARIEVEN), "stop"),
        "tijdelijk": (["ja", "nee"], "stop"),
    }
    assert codes["B2"].value == vocab.label("soort", codes["A2"].value)
    explained = {row[0].value: row[1].value for row in workbook["uitleg"].iter_rows(min_row=2) if row[0].value}
    assert explained == dict(TEMPLATE_COLUMNS)


def test_the_csv_is_the_same_header_in_utf8_with_bom_and_semicolons():
    data = template_csv()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").strip().split(";") == FIELDS


def test_an_empty_template_reads_as_no_records_without_problems(tmp_path, buurten):  # noqa: F811
    for name, data in (("sjabloon.xlsx", template_xlsx()), ("sjabloon.csv", template_csv())):
        (tmp_path / name).write_bytes(data)
        result = read_register(tmp_path / name, buurten)
        assert result.ok and result.records.empty, [str(p) for p in result.problems]
        assert result.unknown_headers == [] and result.headers == FIELDS
        assert result.warnings == [f"{name}: het bestand bevat geen rijen met gegevens"]


def test_a_filled_template_imports(tmp_path, buurten):  # noqa: F811
    workbook = openpyxl.load_workbook(io.BytesIO(template_xlsx()))
    sheet = workbook["register"]
    filled = {"id": "u-1", "naam": "Huiskamer Lombok", "soort": "huis_van_de_wijk", "actortype": "bewoners; gemeente",
              "tijdelijk": "nee", "geopend": "2019", "laatst_gecontroleerd": "2026-03-01",
              "lat": 52.0894, "lon": 5.1032}  # fmt: skip
    sheet.append([filled.get(field) for field in FIELDS])
    sheet.append(
        [{"id": "u-2", "naam": "Kerk", "soort": "kerk", "buurtcode": DOM_BUURT}.get(field) for field in FIELDS]
    )
    path = tmp_path / "register.xlsx"
    workbook.save(path)
    result = read_register(path, buurten)
    assert result.ok, [str(p) for p in result.problems]
    assert result.records[["id", "naam", "soort", "actortype"]].values.tolist() == [
        ["u-1", "Huiskamer Lombok", "huis_van_de_wijk", "bewoners;gemeente"],
        ["u-2", "Kerk", "kerk", ""],
    ]
    assert result.records.iloc[1]["buurtcode"] == DOM_BUURT
    assert result.records["laatst_gecontroleerd"].tolist() == ["2026-03-01", ""]


def test_the_sjabloon_command_writes_either_file(tmp_path, capsys):
    from wijkmap.cli import main

    assert main(["sjabloon", "--out", str(tmp_path / "sjabloon.xlsx")]) == 0
    assert (tmp_path / "sjabloon.xlsx").read_bytes()[:2] == b"PK"
    assert main(["sjabloon", "--out", str(tmp_path / "sjabloon.csv")]) == 0
    assert (tmp_path / "sjabloon.csv").read_bytes() == template_csv()
    assert capsys.readouterr().out.splitlines()[-1] == f"Registersjabloon geschreven: {tmp_path / 'sjabloon.csv'}"
    assert main(["sjabloon", "--out", str(tmp_path / "sjabloon.ods")]) == 1
    assert "geef het sjabloon de extensie .xlsx of .csv" in capsys.readouterr().err
