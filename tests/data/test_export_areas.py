"""export-gebieden: one row per area with its figures, in CSV, Excel and GeoPackage,
also for figures whose boundaries the store does not hold; every refusal says why.

The store here is made up (three Deventer buurten of 2015, figures of 2015 and 2024, one
2024 buurt whose code no boundary layer has), so the counts below are its own."""

from __future__ import annotations

import csv
import io

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import box

from wijkmap import cli
from wijkmap.core.records import FIELDS
from wijkmap.data import store as wstore
from wijkmap.data.export_areas import AreaExportError, area_table, export_from_store
from wijkmap.data.sources.cbs import CATALOGUE_COLUMNS


def _areas(rows: list[tuple[str, str, str, str]], niveau: str, jaar: int) -> gpd.GeoDataFrame:
    frame = gpd.GeoDataFrame(
        {
            "code": [r[0] for r in rows],
            "naam": [r[1] for r in rows],
            "niveau": niveau,
            "jaar": jaar,
            "gemeentecode": [r[2] for r in rows],
            "wijkcode": [r[3] for r in rows],
        },
        geometry=[box(6.15 + i * 0.01, 52.25, 6.16 + i * 0.01, 52.26) for i in range(len(rows))],
        crs="EPSG:4326",
    )
    return frame


@pytest.fixture(scope="module")
def area_store(tmp_path_factory):
    path = tmp_path_factory.mktemp("areas") / "wijkmap.gpkg"
    buurten = [
        ("BU01500101", "Centrum", "GM0150", "WK015001"),
        ("BU01500102", '=HYPERLINK("x")', "GM0150", "WK015001"),  # a hostile name from an imported file
        ("BU01500103", "Bergkwartier", "GM0150", "WK015001"),
    ]
    areas = {
        "buurt_2015": _areas(buurten, "buurt", 2015),
        "wijk_2015": _areas([("WK015001", "Binnenstad", "GM0150", "WK015001")], "wijk", 2015),
        "gemeente_2015": _areas([("GM0150", "Deventer", "GM0150", None)], "gemeente", 2015),
    }
    figures = [
        ("BU01500101", 2015, "inwoners", 1200.0, "CBS KWB 2015"),
        ("BU01500102", 2015, "inwoners", 35.0, "CBS KWB 2015"),
        ("BU01500103", 2015, "inwoners", 2100.0, "CBS KWB 2015"),
        ("BU01500101", 2015, "pct_65plus", 21.5, "CBS KWB 2015"),
        ("BU01500101", 2024, "inwoners", 1250.0, "CBS KWB 2024"),
        ("BU01500101", 2024, "pct_65plus", 100 / 3, "CBS KWB 2024"),
        ("BU01500103", 2024, "inwoners", 12345678.0, "CBS KWB 2024"),
        ("BU01500199", 2024, "inwoners", 40.0, "CBS KWB 2024"),  # a new code: no boundaries, no name
        ("WK015001", 2024, "inwoners", 3300.0, "CBS 85984NED (KWB 2024)"),
    ]
    statistics = pd.DataFrame(figures, columns=["code", "jaar", "indicator", "waarde", "bron"])
    catalogue = pd.DataFrame(
        [
            ("inwoners", "Inwoners", "Residents", "aantal", "2015;2024", "CBS", None, ""),
            ("pct_65plus", "65 jaar of ouder (%)", "Aged 65 or over (%)", "%", "2015;2024", "CBS", True, ""),
            ("aow", "AOW-uitkeringen", "State pensions", "aantal", "", "CBS", None, ""),
        ],
        columns=CATALOGUE_COLUMNS,
    )
    wstore.write_store(path, areas, statistics, catalogue, pd.DataFrame(columns=FIELDS))
    return path


def run(capsys, monkeypatch, path, *args: str) -> tuple[int, str, str]:
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    capsys.readouterr()
    code = cli.main(["export-gebieden", *args])
    out, err = capsys.readouterr()
    return code, out, err


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))


def test_csv_lists_every_area_with_a_figure_also_without_boundaries_of_that_year(
    area_store, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "deventer.csv"
    code, printed, _ = run(
        capsys, monkeypatch, area_store, "--niveau", "buurt", "--jaar", "2024", "--gemeente", "GM0150",
        "--format", "csv", "--out", str(out),
    )  # fmt: skip
    assert code == 0 and "3 gebieden" in printed
    data = out.read_bytes()
    assert b"\r\n" in data
    rows = read_csv(data)
    assert [row["code"] for row in rows] == ["BU01500101", "BU01500103", "BU01500199"]
    first, big, new = rows
    assert list(first) == ["code", "naam", "gemeentecode", "jaar", "inwoners", "pct_65plus", "bron"]
    # Names from the newest layer that has the code; the new code has none.
    assert (first["naam"], first["gemeentecode"], first["jaar"]) == ("Centrum", "GM0150", "2024")
    assert new["naam"] == ""
    # Numbers plain: no thousands separator, a decimal point, at most 4 decimals; missing is empty.
    assert (first["inwoners"], first["pct_65plus"]) == ("1250", "33.3333")
    assert (big["inwoners"], big["pct_65plus"]) == ("12345678", "")
    assert first["bron"] == "CBS KWB 2024"


def test_a_name_that_would_run_as_a_formula_is_neutralised_in_csv_and_text_in_excel(area_store):
    data, _ = export_from_store("buurt", 2015, "csv", path=area_store)
    names = [row["naam"] for row in read_csv(data)]
    assert '\'=HYPERLINK("x")' in names
    workbook = openpyxl.load_workbook(io.BytesIO(export_from_store("buurt", 2015, "xlsx", path=area_store)[0]))
    cell = workbook["gebieden"]["B3"]
    assert cell.value == '=HYPERLINK("x")' and cell.data_type == "s"


def test_xlsx_has_numbers_as_numbers_and_a_sheet_that_explains_the_indicators(
    area_store, tmp_path, capsys, monkeypatch
):
    out = tmp_path / "wijk.xlsx"
    code, _, _ = run(
        capsys, monkeypatch, area_store, "--niveau", "buurt", "--jaar", "2024", "--indicator", "inwoners",
        "--format", "xlsx", "--out", str(out),
    )  # fmt: skip
    assert code == 0
    workbook = openpyxl.load_workbook(out)
    rows = list(workbook["gebieden"].iter_rows(values_only=True))
    assert rows[0] == ("code", "naam", "gemeentecode", "jaar", "inwoners", "bron")
    assert rows[1] == ("BU01500101", "Centrum", "GM0150", 2024, 1250, "CBS KWB 2024")
    assert rows[2][4] == 12345678
    assert list(workbook["indicatoren"].iter_rows(values_only=True)) == [
        ("indicator", "omschrijving", "eenheid"),
        ("inwoners", "Inwoners", "aantal"),
    ]


def test_gpkg_carries_the_boundaries_of_that_year(area_store, tmp_path, capsys, monkeypatch):
    out = tmp_path / "buurten.gpkg"
    code, _, _ = run(
        capsys, monkeypatch, area_store, "--niveau", "buurt", "--jaar", "2015", "--format", "gpkg", "--out", str(out)
    )
    assert code == 0
    frame = pyogrio.read_dataframe(out, layer="gebieden")
    assert list(frame["code"]) == ["BU01500101", "BU01500102", "BU01500103"]
    assert frame.crs.to_epsg() == 4326 and frame.geometry.notna().all()
    assert list(frame["inwoners"]) == [1200.0, 35.0, 2100.0]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--niveau", "buurt", "--jaar", "2024", "--format", "gpkg"],
            "geen grenzen van buurt 2024 (wel van: 2015), dus geen GeoPackage. Kies --format csv of xlsx",
        ),
        (["--niveau", "buurt", "--jaar", "2031", "--format", "csv"], "geen cijfers op buurtniveau voor 2031; wel voor: 2015, 2024"),
        (["--niveau", "buurt", "--jaar", "2024", "--indicator", "inkomen", "--format", "csv"], "onbekende indicator inkomen; kies uit: inwoners, pct_65plus, aow"),
        (["--niveau", "buurt", "--jaar", "2024", "--indicator", "aow", "--format", "csv"], "geen cijfers van aow op buurtniveau voor 2024"),
        (["--niveau", "buurt", "--jaar", "2024", "--gemeente", "GM0344", "--format", "csv"], "onbekende gemeente GM0344"),
        (["--niveau", "buurt", "--jaar", "2024", "--gemeente", "Deventer", "--format", "csv"], '"DEVENTER" is geen gemeentecode'),
    ],
)  # fmt: skip
def test_refusals_say_what_is_there_and_write_nothing(area_store, tmp_path, capsys, monkeypatch, args, message):
    out = tmp_path / "x.out"
    code, _, err = run(capsys, monkeypatch, area_store, *args, "--out", str(out))
    assert code == 1 and message in err, err
    assert not out.exists()


def test_an_unknown_level_or_format_is_a_usage_error(area_store, tmp_path, capsys, monkeypatch):
    for args in (["--niveau", "straat", "--format", "csv"], ["--niveau", "buurt", "--format", "ods"]):
        with pytest.raises(SystemExit) as stopped:
            run(capsys, monkeypatch, area_store, *args, "--jaar", "2024", "--out", str(tmp_path / "x"))
        assert stopped.value.code == 2
        assert "ongeldige keuze" in capsys.readouterr().err


def test_without_a_store_it_says_how_to_build_one(tmp_path, capsys, monkeypatch):
    args = ["--niveau", "buurt", "--jaar", "2024", "--format", "csv", "--out", str(tmp_path / "x.csv")]
    code, _, err = run(capsys, monkeypatch, tmp_path / "nergens.gpkg", *args)
    assert code == 1 and "build-data" in err


def test_for_the_areas_of_a_map_every_area_is_a_row_also_without_figures(area_store):
    statistics = wstore.read_statistics(area_store)
    catalogue = wstore.read_catalogue(area_store)
    names = wstore.read_area_names("buurt_2015", area_store)
    table = area_table(statistics, catalogue, names, "buurt", 2024, codes=["BU01500102", "BU01500101"])
    assert list(table["code"]) == ["BU01500102", "BU01500101"]
    assert table["inwoners"].isna().tolist() == [True, False]
    assert table["bron"].tolist() == ["", "CBS KWB 2024"]
    with pytest.raises(AreaExportError, match="onbekend niveau"):
        area_table(statistics, catalogue, names, "provincie", 2024)
