"""Reading municipal register files: formats, encodings, locations and clear errors.

Input files are written into tmp_path by each test (no binary fixtures in the repo). The
buurt layer is the real CBS 2015 map of Utrecht (GM0344) and Rotterdam (GM0599).
"""

from __future__ import annotations

import datetime as dt
import json
import re
import time
import tracemalloc
import warnings
import zipfile
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
import pytest

from wijkmap.config import REPO_ROOT
from wijkmap.core import analysis
from wijkmap.core.records import FIELDS
from wijkmap.data.sources import register
from wijkmap.data.sources.register import RegisterResult, RowProblem, read_register

REPO = REPO_ROOT
# The project's own copy: a fresh clone must be able to run these tests on its own.
BUURTEN_2015 = REPO / "data" / "sources" / "cbs" / "wijkbuurtkaart-2015-tno" / "buurt_2015.geojson"

DOM = (52.0907, 5.1214)  # Domplein, Utrecht (lat, lon)
DOM_BUURT = "BU03440611"
ZUIDERPARK = "BU05991578"


@pytest.fixture(scope="module")
def buurten() -> gpd.GeoDataFrame:
    """The 2015 buurten of Utrecht and Rotterdam, with the store's column names."""
    if not BUURTEN_2015.is_file():
        pytest.fail(f"bundled buurt map missing: {BUURTEN_2015} (data/sources/ belongs in the repository)")
    frame = pyogrio.read_dataframe(
        BUURTEN_2015,
        columns=["BU_CODE", "BU_NAAM", "WK_CODE", "GM_CODE"],
        where="GM_CODE IN ('GM0344', 'GM0599')",
    )
    frame = frame.rename(
        columns={"BU_CODE": "code", "BU_NAAM": "naam", "WK_CODE": "wijkcode", "GM_CODE": "gemeentecode"}
    )
    frame["niveau"], frame["jaar"] = "buurt", 2015
    return frame


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def only_problem(result: RegisterResult) -> RowProblem:
    assert len(result.problems) == 1, [str(p) for p in result.problems]
    return result.problems[0]


# --- formats and encodings -------------------------------------------------------------

MUNICIPAL_CSV = (
    "Naam;Soort;Strategie;Actor type;Doelgroep;Tarief;Tijdelijk;Geopend;Gesloten;"
    "Omschrijving;Website;Latitude;Longitude;Telefoon\n"
    "Huiskamer Lombok;Huis van de wijk;bridging;bewoners, woningcorporatie;"
    '"ouderen; nieuwkomers";gratis;ja;2018;;Koffie en een praatje;https://example.org/lombok;'
    "52,0894;5,1032;030-1234567\n"
    "\n"
    "Repair Café Dom;repair cafe;Bonding;vrijwilligersorganisatie;iedereen;gratis;nee;1-3-2019;;"
    '"Repareren; samen";;52,0907;5,1214;\n'
    "Buurthuis Oude Westen;buurthuis;;gemeente;;maatschappelijk;;1975;2015-06-30;;;51,9180;4,4650;\n"
)


def test_municipal_csv_with_semicolons_comma_decimals_and_bom(tmp_path, buurten):
    path = write(tmp_path, "register.csv", "\ufeff" + MUNICIPAL_CSV)
    result = read_register(path, buurten)

    assert result.ok, [str(p) for p in result.problems]
    records = result.records
    assert list(records.columns) == FIELDS
    assert list(records["naam"]) == ["Huiskamer Lombok", "Repair Café Dom", "Buurthuis Oude Westen"]
    first = records.iloc[0]
    assert first["soort"] == "huis_van_de_wijk"
    assert first["actortype"] == "bewoners;woningcorporatie"
    assert first["doelgroep"] == "ouderen;nieuwkomers"
    assert first["tijdelijk"] == "ja"
    assert first["bron"] == "register register.csv"
    assert (first["lat"], first["lon"]) == (52.0894, 5.1032)
    assert first["gemeentecode"] == "GM0344" and first["buurtcode"].startswith("BU0344")
    dom = records.iloc[1]
    assert dom["buurtcode"] == DOM_BUURT and dom["wijkcode"] == "WK034406"
    assert dom["geopend"] == "2019-03-01" and dom["omschrijving"] == "Repareren; samen"
    assert dom["strategie"] == "bonding"
    assert records.iloc[2]["gemeentecode"] == "GM0599"
    assert records.iloc[2]["gesloten"] == "2015-06-30"
    assert result.warnings == ['register.csv: onbekende kolommen genegeerd: "Telefoon"']


def test_comma_separated_csv_in_windows_1252(tmp_path, buurten):
    text = (
        "naam,soort,buurtcode,omschrijving\n"
        "Café De Ontmoeting,koffiehoek,BU03440121,Koffie bij de kassa\n"
        "Zuiderpark Één,bewonersinitiatief,BU05991578,Opzoomeren in de straat\n"
    )
    result = read_register(write(tmp_path, "oud.csv", text, "cp1252"), buurten)

    assert result.ok, [str(p) for p in result.problems]
    assert list(result.records["naam"]) == ["Café De Ontmoeting", "Zuiderpark Één"]
    assert list(result.records["buurtcode"]) == ["BU03440121", ZUIDERPARK]
    assert list(result.records["gemeentecode"]) == ["GM0344", "GM0599"]


def test_buurtcode_places_the_record_inside_that_buurt(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nWijkteam Zuid;wijkteam;bu05991578\n")
    record = read_register(path, buurten).records.iloc[0]
    polygon = buurten.loc[buurten["code"] == ZUIDERPARK, "geometry"].iloc[0]
    assert record["buurtcode"] == ZUIDERPARK
    assert polygon.contains(gpd.points_from_xy([record["lon"]], [record["lat"]])[0])
    anchor = analysis.anchor_point(buurten, ZUIDERPARK)
    assert (record["lon"], record["lat"]) == (round(anchor.x, 6), round(anchor.y, 6))


def test_excel_with_date_cells_and_numbers(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Kind", "Open since", "Closed", "Latitude", "Longitude", "Neighbourhood code", "ID"])
    sheet.append(["Repair Café Dom", "repair_cafe", dt.date(2019, 3, 1), None, DOM[0], DOM[1], None, 1001])
    sheet.append(
        ["Naaiatelier Lombok", "naaiatelier", 2019.0, dt.datetime(2023, 1, 31), None, None, "BU03440123", 1002.0]
    )
    path = tmp_path / "register.xlsx"
    workbook.save(path)

    result = read_register(path, buurten)

    assert result.ok, [str(p) for p in result.problems]
    first, second = result.records.iloc[0], result.records.iloc[1]
    assert first["geopend"] == "2019-03-01" and first["id"] == "1001"
    assert first["buurtcode"] == DOM_BUURT
    assert second["geopend"] == "2019" and second["gesloten"] == "2023-01-31"
    assert second["id"] == "1002" and second["buurtcode"] == "BU03440123"


def test_geojson_with_english_properties(tmp_path, buurten):
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [DOM[1], DOM[0]]},
                "properties": {
                    "name": "Buurtrestaurant De Dom",
                    "type": "buurtrestaurant",
                    "target_group": ["ouderen", "alleenstaanden"],
                    "opened": "2021-09-01",
                    "temporary": True,
                },
            }
        ],
    }
    path = write(tmp_path, "register.geojson", json.dumps(collection))
    result = read_register(path, buurten)

    assert result.ok, [str(p) for p in result.problems]
    record = result.records.iloc[0]
    assert record["doelgroep"] == "ouderen;alleenstaanden"
    assert record["geopend"] == "2021-09-01" and record["tijdelijk"] == "ja"
    assert record["buurtcode"] == DOM_BUURT


def test_geopackage_in_rd_new_is_reprojected(tmp_path, buurten):
    frame = gpd.GeoDataFrame(
        {"naam": ["Wijkteam Binnenstad"], "soort": ["wijkteam"], "geopend": ["2015"]},
        geometry=gpd.points_from_xy([136950], [455900]),
        crs="EPSG:28992",
    )
    path = tmp_path / "register.gpkg"
    pyogrio.write_dataframe(frame, path, layer="wijkteams", driver="GPKG")

    result = read_register(path, buurten)

    assert result.ok, [str(p) for p in result.problems]
    record = result.records.iloc[0]
    assert record["lat"] == pytest.approx(DOM[0], abs=0.002)
    assert record["lon"] == pytest.approx(DOM[1], abs=0.004)
    assert record["gemeentecode"] == "GM0344"


def test_rd_coordinates_in_a_csv(tmp_path, buurten):
    path = write(tmp_path, "rd.csv", "naam;soort;x;y\nWijkagent Centrum;wijkagent;136950;455900\n")
    result = read_register(path, buurten)
    assert result.ok, [str(p) for p in result.problems]
    record = result.records.iloc[0]
    assert record["lat"] == pytest.approx(52.091, abs=0.002)
    assert record["gemeentecode"] == "GM0344"
    assert round(record["lon"], 6) == record["lon"]


def test_geopackage_with_several_layers_reads_the_first_and_says_so(tmp_path, buurten):
    path = tmp_path / "register.gpkg"
    for layer, naam in (("kerken", "Domkerk"), ("moskeeen", "Moskee")):
        frame = gpd.GeoDataFrame(
            {"naam": [naam], "soort": ["kerk"]}, geometry=gpd.points_from_xy([DOM[1]], [DOM[0]]), crs="EPSG:4326"
        )
        pyogrio.write_dataframe(frame, path, layer=layer, driver="GPKG")
    result = read_register(path, buurten)
    assert list(result.records["naam"]) == ["Domkerk"]
    assert result.warnings == ['register.gpkg: het bestand heeft 2 lagen; alleen de eerste ("kerken") is gelezen']


def test_buurtcode_that_lost_its_prefix_and_zeros_in_excel(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "X-coördinaat", "buurtcode"])
    workbook.active.append(["Kerk", "kerk", None, 3440611])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    result = read_register(path, buurten)
    assert result.ok, [str(p) for p in result.problems]
    assert result.records.iloc[0]["buurtcode"] == DOM_BUURT


# --- bron and id -----------------------------------------------------------------------


def test_importing_the_same_file_twice_gives_the_same_ids(tmp_path, buurten):
    path = write(tmp_path, "register.csv", "\ufeff" + MUNICIPAL_CSV)
    first = read_register(path, buurten).records["id"].tolist()
    second = read_register(path, buurten).records["id"].tolist()
    assert first == second and len(set(first)) == 3


def test_bron_argument_wins_over_the_column_which_wins_over_the_file_name(tmp_path, buurten):
    text = "naam;soort;bron;buurtcode\nA;kerk;Gemeente Utrecht;BU03440611\nB;moskee;;BU03440611\n"
    path = write(tmp_path, "kerken.csv", text)
    assert read_register(path, buurten).records["bron"].tolist() == ["Gemeente Utrecht", "register kerken.csv"]
    assert read_register(path, buurten, bron="Wijkregister 2024").records["bron"].tolist() == [
        "Wijkregister 2024",
        "Wijkregister 2024",
    ]


def test_opvolger_van_refers_to_an_id_in_the_same_file(tmp_path, buurten):
    text = (
        "id;naam;soort;geopend;gesloten;opvolger_van;buurtcode\n"
        "bh-1;Buurthuis Lombok;buurthuis;1970;2014;;BU03440121\n"
        "hw-1;Huis van de Wijk Lombok;huis_van_de_wijk;2016;;bh-1;BU03440121\n"
    )
    result = read_register(write(tmp_path, "r.csv", text), buurten)
    assert result.ok
    assert result.records.set_index("id").loc["hw-1", "opvolger_van"] == "bh-1"


def test_opvolger_van_unknown_in_the_file_is_a_warning_not_an_error(tmp_path, buurten):
    text = "id;naam;soort;opvolger_van;buurtcode\nhw-1;Huis van de Wijk;huis_van_de_wijk;bh-9;BU03440121\n"
    result = read_register(write(tmp_path, "r.csv", text), buurten)
    assert result.ok and len(result.records) == 1
    assert result.warnings == [
        'r.csv, rij 2, kolom "opvolger_van": opvolger_van "bh-9" staat niet in dit bestand; '
        "controleer het id van de voorganger (de rij wordt wel geïmporteerd)"
    ]


def test_opvolger_van_known_in_the_store_gives_no_warning(tmp_path, buurten):
    text = (
        "id;naam;soort;Opvolger van;buurtcode\n"
        "hw-1;Huis van de Wijk;huis_van_de_wijk;bh-9;BU03440121\n"
        "hw-2;Huiskamer;huis_van_de_wijk;bh-404;BU03440121\n"
    )
    path = write(tmp_path, "r.csv", text)
    result = read_register(path, buurten, known_ids={"bh-9", "x"})
    assert result.ok
    assert result.warnings == [
        'r.csv, rij 3, kolom "Opvolger van": opvolger_van "bh-404" staat niet in dit bestand '
        "en niet in het gegevensbestand; controleer het id van de voorganger (de rij wordt wel geïmporteerd)"
    ]
    assert read_register(path, buurten, known_ids={"bh-9", "bh-404"}).warnings == []


def test_opvolger_van_may_name_an_id_made_for_a_row_without_one(tmp_path, buurten):
    first = read_register(write(tmp_path, "a.csv", "naam;soort;buurtcode\nBuurthuis;buurthuis;BU03440121\n"), buurten)
    made = first.records.iloc[0]["id"]
    text = f"naam;soort;opvolger_van;buurtcode\nBuurthuis;buurthuis;;BU03440121\nHuiskamer;huis_van_de_wijk;{made};BU03440121\n"
    result = read_register(write(tmp_path, "a.csv", text), buurten)
    assert result.ok and result.warnings == []


# --- bad input: each names row, column and value --------------------------------------

HEADER = "Naam;Soort;Geopend;Gesloten;Lat;Lon;Buurtcode;ID\n"
GOOD = "Goed;kerk;;;52,0907;5,1214;;\n"


def bad_row(tmp_path, buurten, row: str) -> RegisterResult:
    """A file with a good row 2 and `row` as row 3."""
    return read_register(write(tmp_path, "register.csv", HEADER + GOOD + row + "\n"), buurten)


def test_unknown_soort(tmp_path, buurten):
    result = bad_row(tmp_path, buurten, "Buurtkamer Noord;speeltuin;;;52,0907;5,1214;;")
    problem = only_problem(result)
    assert (problem.row, problem.column, problem.value) == (3, "Soort", "speeltuin")
    assert str(problem).startswith(
        'register.csv, rij 3, kolom "Soort": onbekende waarde "speeltuin"; kies uit: buurthuis, '
    )
    assert len(result.records) == 1  # the good row is still read; the caller imports nothing


def test_missing_naam_value(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, ";kerk;;;52,0907;5,1214;;"))
    assert str(problem) == 'register.csv, rij 3, kolom "Naam": naam ontbreekt'


def test_missing_naam_column_is_one_error_naming_the_file(tmp_path, buurten):
    path = write(tmp_path, "register.csv", "Soort;Lat;Lon\nkerk;52,09;5,12\n")
    result = read_register(path, buurten)
    problem = only_problem(result)
    assert problem.row is None
    assert str(problem).startswith('register.csv: kolom "naam" ontbreekt (gevonden kolommen: "Soort", "Lat", "Lon")')
    assert result.records.empty and list(result.records.columns) == FIELDS


def test_impossible_date(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Kerk;kerk;2019-02-30;;52,0907;5,1214;;"))
    assert str(problem) == (
        'register.csv, rij 3, kolom "Geopend": geen geldige datum "2019-02-30"; gebruik een jaar (2019) of 2019-03-01'
    )


def test_gesloten_before_geopend(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Kerk;kerk;2019;2015;52,0907;5,1214;;"))
    assert str(problem) == 'register.csv, rij 3, kolom "Gesloten": gesloten "2015" ligt vóór geopend "2019"'


def test_coordinates_outside_the_netherlands(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Parijs;kerk;;;48,8566;2,3522;;"))
    assert (problem.row, problem.column, problem.other_column) == (3, "Lat", "Lon")
    assert str(problem).startswith(
        'register.csv, rij 3, kolommen "Lat" en "Lon": "48,8566 / 2,3522" ligt buiten Nederland'
    )


def test_every_problem_of_a_row_is_reported_not_only_the_first(tmp_path, buurten):
    # A bad soort used to hide the location problem until the soort was fixed.
    result = bad_row(tmp_path, buurten, "Parijs;kasteel;;;48,85;2,35;;")
    assert [(p.row, p.column) for p in result.problems] == [(3, "Soort"), (3, "Lat")]
    assert 'onbekende waarde "kasteel"' in str(result.problems[0])
    assert str(result.problems[1]).startswith(
        'register.csv, rij 3, kolommen "Lat" en "Lon": "48,85 / 2,35" ligt buiten Nederland'
    )
    assert list(result.records["naam"]) == ["Goed"]  # the bad row never becomes a record


def test_a_row_with_bad_fields_but_a_good_location_reports_only_the_fields(tmp_path, buurten):
    result = bad_row(tmp_path, buurten, "Kasteel;kasteel;;;52,0907;5,1214;;")
    assert [(p.row, p.column) for p in result.problems] == [(3, "Soort")]
    assert list(result.records["naam"]) == ["Goed"]


def test_swapped_lat_and_lon(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Omgedraaid;kerk;;;5,1214;52,0907;;"))
    assert str(problem) == (
        'register.csv, rij 3, kolommen "Lat" en "Lon": lat "5,1214" en lon "52,0907" zijn '
        "waarschijnlijk verwisseld: in Nederland ligt lat rond 52 en lon rond 5; "
        "zet 52,0907 bij lat en 5,1214 bij lon"
    )


def test_unknown_buurtcode(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Kerk;kerk;;;;;BU99999999;"))
    assert str(problem).startswith('register.csv, rij 3, kolom "Buurtcode": onbekende buurtcode "BU99999999"')


def test_no_location(tmp_path, buurten):
    problem = only_problem(bad_row(tmp_path, buurten, "Nergens;kerk;;;;;;"))
    assert str(problem) == (
        "register.csv, rij 3: geen locatie; vul lat en lon (WGS84), x en y (RD New) of een buurtcode in"
    )


def test_half_a_coordinate_pair_and_text_for_a_number(tmp_path, buurten):
    result = bad_row(tmp_path, buurten, "Half;kerk;;;52,0907;;;\nTekst;kerk;;;noord;5,12;;")
    assert [str(p) for p in result.problems] == [
        'register.csv, rij 3, kolom "Lon": lon ontbreekt terwijl lat is ingevuld',
        'register.csv, rij 4, kolom "Lat": "noord" is geen getal',
    ]


def test_duplicate_id(tmp_path, buurten):
    text = HEADER + "A;kerk;;;52,0907;5,1214;;k-1\nB;moskee;;;52,0907;5,1214;;k-1\n"
    problem = only_problem(read_register(write(tmp_path, "register.csv", text), buurten))
    assert str(problem) == 'register.csv, rij 3, kolom "ID": id "k-1" komt al voor in rij 2'


def test_blank_lines_keep_spreadsheet_row_numbers(tmp_path, buurten):
    text = HEADER + GOOD + "\n;;;;;;;\n" + "X;speeltuin;;;52,0907;5,1214;;\n"
    problem = only_problem(read_register(write(tmp_path, "register.csv", text), buurten))
    assert problem.row == 5


def test_problems_in_a_geojson_are_numbered_by_object(tmp_path, buurten):
    features = [
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [DOM[1], DOM[0]]},
            "properties": {"naam": "Goed", "soort": "kerk"},
        },
        {
            "type": "Feature",
            "geometry": {"type": "Point", "coordinates": [2.3522, 48.8566]},
            "properties": {"naam": "Parijs", "soort": "kerk"},
        },
    ]
    path = write(tmp_path, "r.geojson", json.dumps({"type": "FeatureCollection", "features": features}))
    problem = only_problem(read_register(path, buurten))
    assert str(problem).startswith('r.geojson, object 2: "48.856600 / 2.352200" ligt buiten Nederland')


# --- unreadable files ------------------------------------------------------------------


def test_unreadable_xlsx(tmp_path, buurten):
    path = write(tmp_path, "kapot.xlsx", "dit is geen Excel-bestand")
    problem = only_problem(read_register(path, buurten))
    assert str(problem) == "kapot.xlsx: kan het Excel-bestand niet openen; het is beschadigd of geen .xlsx"


def test_empty_file(tmp_path, buurten):
    for content in ("", "\ufeff\n\n"):
        problem = only_problem(read_register(write(tmp_path, "leeg.csv", content), buurten))
        assert str(problem) == "leeg.csv: het bestand is leeg"


def test_unknown_extension(tmp_path, buurten):
    problem = only_problem(read_register(write(tmp_path, "register.pdf", "%PDF-1.4"), buurten))
    assert str(problem).startswith('register.pdf: onbekend bestandstype ".pdf"')


def test_excel_file_named_csv(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    workbook.save(tmp_path / "r.xlsx")
    (tmp_path / "register.csv").write_bytes((tmp_path / "r.xlsx").read_bytes())
    problem = only_problem(read_register(tmp_path / "register.csv", buurten))
    assert str(problem) == "register.csv: dit is geen CSV maar een Excel-bestand; geef het de extensie .xlsx"


def test_corrupt_geojson(tmp_path, buurten):
    problem = only_problem(read_register(write(tmp_path, "r.geojson", '{"type": "Feat'), buurten))
    assert str(problem).startswith("r.geojson: kan het GeoJSON-bestand niet lezen")


# --- provenance: an import writes only its own records ---------------------------------


@pytest.mark.parametrize("reserved", ["voorbeeld", "Bijdrage", " Repair Cafés in Amsterdam "])
def test_a_reserved_bron_argument_is_refused(tmp_path, buurten, reserved):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU03440611\n")
    result = read_register(path, buurten, bron=reserved)
    problem = only_problem(result)
    assert problem.row is None and result.records.empty
    assert str(problem).startswith(f'r.csv: bron "{reserved.strip()}" is voorbehouden aan ')


def test_a_reserved_bron_in_the_bron_column_is_refused_naming_the_row(tmp_path, buurten):
    text = "naam;soort;Bron;buurtcode\nKerk;kerk;Gemeente Utrecht;BU03440611\nMoskee;moskee;Voorbeeld;BU03440611\n"
    result = read_register(write(tmp_path, "r.csv", text), buurten)
    problem = only_problem(result)
    assert (problem.row, problem.column, problem.value) == (3, "Bron", "Voorbeeld")
    assert str(problem).startswith(
        'r.csv, rij 3, kolom "Bron": bron "Voorbeeld" is voorbehouden aan het fictieve voorbeeld'
    )
    assert list(result.records["naam"]) == ["Kerk"]
    # --bron wins over the column, so the same file under the register's own bron is fine.
    assert read_register(write(tmp_path, "r.csv", text), buurten, bron="Register Utrecht").ok


def test_an_id_of_another_source_in_the_store_is_refused_naming_the_row(tmp_path, buurten):
    text = HEADER + "Kerk;kerk;;;52,0907;5,1214;;vb-0344-001\nMoskee;moskee;;;52,0907;5,1214;;eigen-1\n"
    owners = {"vb-0344-001": "voorbeeld", "eigen-1": "Register Utrecht", "rc-1": "Repair Cafés in Amsterdam"}
    result = read_register(write(tmp_path, "register.csv", text), buurten, bron="Register Utrecht", id_owners=owners)
    problem = only_problem(result)
    assert (problem.row, problem.column, problem.value) == (2, "ID", "vb-0344-001")
    assert str(problem) == (
        'register.csv, rij 2, kolom "ID": id "vb-0344-001" hoort bij een record met een andere bron '
        '("voorbeeld"); een import overschrijft alleen records van zijn eigen bron. Geef de rij een eigen id'
    )
    # Another register's id: the message says how to update that register instead.
    result = read_register(write(tmp_path, "register.csv", text), buurten, bron="Register Zeist", id_owners=owners)
    assert [str(p) for p in result.problems][-1].endswith(
        'Geef de rij een eigen id, of geef als bron "Register Utrecht" op als dit bestand een nieuwe versie van dat '
        "register is (op de pagina Beheer in het veld Bron, op de opdrachtregel met --bron)"
    )


def test_reimporting_the_same_register_still_updates_by_id(tmp_path, buurten):
    text = HEADER + "Kerk;kerk;;;52,0907;5,1214;;eigen-1\n"
    path = write(tmp_path, "register.csv", text)
    owners = {"eigen-1": "Register Utrecht"}
    assert read_register(path, buurten, bron="register utrecht", id_owners=owners).ok
    assert read_register(path, buurten, bron="Register Utrecht", id_owners=owners).records["id"].tolist() == ["eigen-1"]


def test_an_id_of_the_form_bijdrage_n_is_refused_even_when_not_in_the_store(tmp_path, buurten):
    text = HEADER + "Kerk;kerk;;;52,0907;5,1214;;Bijdrage-12\n"
    problem = only_problem(read_register(write(tmp_path, "register.csv", text), buurten, id_owners={}))
    assert str(problem) == (
        'register.csv, rij 2, kolom "ID": id "Bijdrage-12" is voorbehouden aan goedgekeurde bijdragen '
        "(bijdrage-N); geef de rij een eigen id"
    )


# --- encodings, stale spreadsheets, formulas from our own export ---------------------


def test_a_csv_mixing_utf8_and_windows_1252_is_refused_naming_the_first_bad_line(tmp_path, buurten):
    data = (
        "naam;soort;buurtcode\nKerk;kerk;BU03440611\nCafé Dom;koffiehoek;BU03440611\n".encode()
        + "Café Zuid;koffiehoek;BU05991578\nCrème;koffiehoek;BU05991578\n".encode("cp1252")
    )
    (tmp_path / "gemengd.csv").write_bytes(data)
    result = read_register(tmp_path / "gemengd.csv", buurten)
    assert str(only_problem(result)) == (
        "gemengd.csv: het bestand mengt twee tekencoderingen: regel 3 is UTF-8, maar regel 4 niet "
        "(waarschijnlijk Windows-1252). Sla het hele bestand opnieuw op als CSV UTF-8"
    )
    assert result.records.empty


def test_bytes_that_are_neither_utf8_nor_windows_1252_are_refused(tmp_path, buurten):
    (tmp_path / "r.csv").write_bytes(b"naam;soort;buurtcode\nKerk\x81;kerk;BU03440611\n")
    problem = only_problem(read_register(tmp_path / "r.csv", buurten))
    assert str(problem) == (
        "r.csv: regel 2 bevat tekens die geen UTF-8 en geen Windows-1252 zijn; sla het bestand op als CSV UTF-8"
    )


def rewrite_member(path: Path, member: str, change) -> None:
    """Replace one file inside a zip (an .xlsx) by change(its bytes)."""
    with zipfile.ZipFile(path) as archive:
        items = [(info, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for info, data in items:
            archive.writestr(info.filename, change(data) if info.filename == member else data)


def test_an_xlsx_with_a_stale_dimension_tag_is_read_to_its_last_row(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "buurtcode"])
    for number in range(1, 6):
        workbook.active.append([f"Kerk {number}", "kerk", DOM_BUURT])
    path = tmp_path / "r.xlsx"
    workbook.save(path)

    def stale(xml: bytes) -> bytes:
        assert b'<dimension ref="A1:C6"' in xml
        return xml.replace(b'<dimension ref="A1:C6"', b'<dimension ref="A1:C2"')

    rewrite_member(path, "xl/worksheets/sheet1.xml", stale)
    result = read_register(path, buurten)
    assert result.ok, [str(p) for p in result.problems]
    assert list(result.records["naam"]) == [f"Kerk {number}" for number in range(1, 6)]


def test_a_csv_cell_neutralised_by_our_export_gets_its_text_back(tmp_path, buurten):
    text = "id;naam;soort;omschrijving;buurtcode\n'=1+1;'@Huiskamer;kerk;''=HYPERLINK(1);BU03440611\n"
    text += "k-2;'t Hofje;kerk;'-5;BU03440611\n"
    records = read_register(write(tmp_path, "r.csv", text), buurten).records
    assert records[["id", "naam", "omschrijving"]].values.tolist() == [
        ["=1+1", "@Huiskamer", "'=HYPERLINK(1)"],
        ["k-2", "'t Hofje", "'-5"],
    ]


# --- limits ------------------------------------------------------------------------------


def test_a_csv_past_the_row_limit_is_refused_early_and_in_little_memory(tmp_path, buurten):
    rows = "".join(f"Kerk {i};kerk;BU03440611\n" for i in range(200_000))
    path = write(tmp_path, "groot.csv", "naam;soort;buurtcode\n" + rows)
    tracemalloc.start()
    try:
        result = read_register(path, buurten)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert str(only_problem(result)) == (
        "groot.csv: het bestand heeft meer dan 50.000 rijen met gegevens; verdeel het register over meer bestanden"
    )
    assert peak < 150_000_000


def test_exactly_the_row_limit_is_accepted(tmp_path, buurten, monkeypatch):
    monkeypatch.setattr(register.files, "MAX_ROWS", 3)
    rows = "".join(f"Kerk {i};kerk;BU03440611\n\n" for i in range(3))  # blank lines do not count
    assert len(read_register(write(tmp_path, "r.csv", "naam;soort;buurtcode\n" + rows), buurten).records) == 3
    rows += "Kerk 4;kerk;BU03440611\n"
    result = read_register(write(tmp_path, "r.csv", "naam;soort;buurtcode\n" + rows), buurten)
    assert "meer dan 3 rijen" in str(only_problem(result))


def test_a_file_past_the_size_limit_is_refused_before_it_is_read(tmp_path, buurten):
    path = tmp_path / "r.csv"
    with path.open("wb") as file:
        file.write(b"naam;soort;buurtcode\n")
        file.truncate(register.files.MAX_FILE_BYTES + 1)  # sparse: no 25 MB written
    assert str(only_problem(read_register(path, buurten))) == (
        "r.csv: het bestand is 25.0 MB; het maximum is 25 MB. Verdeel het register over meer bestanden"
    )


def test_a_row_past_the_column_limit_is_refused(tmp_path, buurten):
    wide = ";".join(["x"] * 101)
    path = write(tmp_path, "r.csv", f"naam;soort;buurtcode\nKerk;kerk;BU03440611\n{wide}\n")
    assert str(only_problem(read_register(path, buurten))) == "r.csv: rij 3 heeft 101 kolommen; het maximum is 100"


def test_trailing_empty_cells_do_not_count_as_columns(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode" + ";" * 300 + "\nKerk;kerk;BU03440611" + ";" * 300 + "\n")
    assert read_register(path, buurten).ok


def test_an_xlsx_zip_bomb_is_refused_before_it_is_unpacked(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "buurtcode"])
    path = tmp_path / "bom.xlsx"
    workbook.save(path)
    # 120 MB of blank rows compress to about 120 kB: harmless to open in Excel, not to parse.
    filler = b'<row r="2"/>' + b" " * 120_000_000
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", filler + b"</sheetData>"))
    assert path.stat().st_size < 1_000_000
    started = time.perf_counter()
    problem = only_problem(read_register(path, buurten))
    assert time.perf_counter() - started < 2
    assert str(problem).startswith(
        "bom.xlsx: het Excel-bestand pakt uit tot 120 MB; dat is meer dan een register kan zijn"
    )


def test_a_compressible_but_small_xlsx_member_is_no_bomb(tmp_path, buurten):
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "buurtcode"])
    for number in range(3000):
        workbook.active.append(["Kerk", "kerk", DOM_BUURT] if number == 0 else [None, None, None])
    workbook.active.append(["Moskee", "moskee", DOM_BUURT])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    assert list(read_register(path, buurten).records["naam"]) == ["Kerk", "Moskee"]


def test_a_geojson_past_the_row_limit_is_refused(tmp_path, buurten, monkeypatch):
    monkeypatch.setattr(register.files, "MAX_ROWS", 2)
    feature = {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [DOM[1], DOM[0]]},
        "properties": {"naam": "Kerk", "soort": "kerk"},
    }
    path = write(tmp_path, "r.geojson", json.dumps({"type": "FeatureCollection", "features": [feature] * 3}))
    assert str(only_problem(read_register(path, buurten))) == (
        "r.geojson: het bestand heeft meer dan 2 objecten; verdeel het register over meer bestanden"
    )


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("id", "k" * 101, "langer dan 100 tekens"),
        ("opvolger_van", "k" * 101, "langer dan 100 tekens"),
        ("werkgebied", ",".join(["BU03440611"] * 600), "langer dan 6000 tekens"),
        ("werkgebied", "BU03440611, Lombok", 'geen buurtcode "LOMBOK"; verwacht BU en 8 cijfers, zoals BU03440611'),
    ],
)
def test_field_limits_on_id_opvolger_van_and_werkgebied(tmp_path, buurten, column, value, message):
    path = write(tmp_path, "r.csv", f"naam;soort;buurtcode;{column}\nKerk;kerk;BU03440611;{value}\n")
    problem = only_problem(read_register(path, buurten))
    assert (problem.row, problem.column) == (2, column)
    assert message in str(problem)


def test_werkgebied_of_buurtcodes_is_kept(tmp_path, buurten):
    path = write(
        tmp_path, "r.csv", "naam;soort;buurtcode;werkgebied\nWijkteam;wijkteam;BU03440611;bu03440611, BU03440612\n"
    )
    assert read_register(path, buurten).records.iloc[0]["werkgebied"] == "BU03440611;BU03440612"


def test_a_huge_unknown_value_is_cut_short_in_its_message(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;" + "s" * 5000 + ";BU03440611\n")
    problem = only_problem(read_register(path, buurten))
    assert len(str(problem)) < 600 and '"' + "s" * 79 + '…"' in str(problem)


def test_an_unclosed_quote_is_a_dutch_error_not_a_field_limit_in_english(tmp_path, buurten):
    text = 'naam;soort;buurtcode\n"Kerk;kerk;BU03440611\n' + "Kerk;kerk;BU03440611\n" * 10_000
    assert str(only_problem(read_register(write(tmp_path, "r.csv", text), buurten))) == (
        "r.csv: een cel is langer dan 131.072 tekens (gelezen tot regel 6243); "
        'meestal staat er een aanhalingsteken (") dat niet wordt gesloten'
    )


def test_a_huge_unknown_header_is_cut_short_in_the_warning(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode;" + "x" * 100_000 + "\nKerk;kerk;BU03440611;\n")
    assert read_register(path, buurten).warnings == [f'r.csv: onbekende kolommen genegeerd: "{"x" * 79}…"']


# --- geometry and coordinates that make no sense --------------------------------------


@pytest.mark.parametrize("coordinates", ["[NaN, 52.09]", "[Infinity, 52.09]", "[5.12, -Infinity]"])
def test_nan_or_infinite_geojson_coordinates_name_the_feature_without_a_warning(tmp_path, buurten, coordinates):
    text = (
        '{"type": "FeatureCollection", "features": ['
        '{"type": "Feature", "geometry": {"type": "Point", "coordinates": [5.1214, 52.0907]},'
        ' "properties": {"naam": "Goed", "soort": "kerk"}},'
        f'{{"type": "Feature", "geometry": {{"type": "Point", "coordinates": {coordinates}}},'
        ' "properties": {"naam": "Kapot", "soort": "kerk"}}]}'
    )
    path = write(tmp_path, "r.geojson", text)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        result = read_register(path, buurten)
    assert str(only_problem(result)) == (
        "r.geojson, object 2: de geometrie heeft een coördinaat die geen getal is (NaN of Infinity); "
        "geef het object een geldige punt-, lijn- of vlakgeometrie"
    )
    assert list(result.records["naam"]) == ["Goed"]


def test_a_geojson_point_of_nan_nan_is_an_empty_geometry_and_says_so(tmp_path, buurten):
    # GDAL and GEOS store an empty point as NaN, NaN: the two cannot be told apart.
    text = (
        '{"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": '
        '{"type": "Point", "coordinates": [NaN, NaN]}, "properties": {"naam": "Kapot", "soort": "kerk"}}]}'
    )
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        problem = only_problem(read_register(write(tmp_path, "r.geojson", text), buurten))
    assert str(problem) == (
        "r.geojson, object 1: geen locatie: het object heeft geen geometrie (of een lege, zoals een punt "
        "met coördinaten NaN) en geen lat en lon, x en y of buurtcode"
    )


def test_lon_and_lat_written_in_the_x_and_y_columns(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;x;y\nKerk;kerk;5,1214;52,0907\n")
    assert str(only_problem(read_register(path, buurten))) == (
        'r.csv, rij 2, kolommen "x" en "y": x "5,1214" en y "52,0907" lijken lengte- en breedtegraad; '
        "gebruik daarvoor de kolommen lon en lat"
    )


def test_swapped_rd_coordinates(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;x;y\nKerk;kerk;455900;136950\n")
    assert str(only_problem(read_register(path, buurten))) == (
        'r.csv, rij 2, kolommen "x" en "y": x "455900" en y "136950" zijn waarschijnlijk verwisseld: '
        "in Nederland is x (RD) kleiner dan 300.000 en y groter dan 300.000"
    )


@pytest.mark.parametrize(
    ("lat", "lon", "hint"),
    [
        ("95", "5,12", ""),
        ("52,09", "-181", ""),
        ("136950", "455900", "; dit lijken RD-coördinaten: gebruik de kolommen x en y"),
    ],
)
def test_impossible_lat_and_lon(tmp_path, buurten, lat, lon, hint):
    path = write(tmp_path, "r.csv", f"naam;soort;lat;lon\nKerk;kerk;{lat};{lon}\n")
    assert str(only_problem(read_register(path, buurten))) == (
        f'r.csv, rij 2, kolommen "lat" en "lon": "{lat}", "{lon}" zijn geen geldige breedte- en lengtegraad{hint}'
    )


def test_identical_rows_without_an_id_are_one_error_not_two_records(tmp_path, buurten):
    text = "naam;soort;buurtcode\nKerk;kerk;BU03440611\nMoskee;moskee;BU03440611\nKerk;kerk;BU03440611\n"
    result = read_register(write(tmp_path, "r.csv", text), buurten)
    assert str(only_problem(result)) == (
        'r.csv, rij 4, kolom "naam": dubbel: zelfde naam, soort en locatie als rij 2; '
        "geef een id-kolom als het echt twee voorzieningen zijn"
    )


# --- attack review of the issue-9 fixes -------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        # Both encodings on one line: no line is UTF-8 as a whole.
        (
            b"naam;soort;buurtcode;omschrijving\nCaf\xc3\xa9 Een;buurthuis;BU03440131;Caf\xe9 twee\n",
            "regel 2 is deels UTF-8 en deels niet",
        ),
        # Old Mac line ends (\r only): the whole file is one line split on \n.
        (
            b"naam;soort;buurtcode\rCaf\xc3\xa9 Dom;buurthuis;BU03440611\rCaf\xe9 Zuid;buurthuis;BU05991578\r",
            "regel 2 is UTF-8, maar regel 3 niet",
        ),
        (
            b"naam;soort;buurtcode\r\nKerk;kerk;BU03440611\r\nCaf\xe9 Zuid;buurthuis;BU05991578\r\n"
            b"Caf\xc3\xa9 Dom;buurthuis;BU03440611\r\n",
            "regel 4 is UTF-8, maar regel 3 niet",
        ),
    ],
)
def test_utf8_mixed_with_windows_1252_on_one_line_or_with_other_line_ends_is_refused(tmp_path, buurten, data, message):
    (tmp_path / "m.csv").write_bytes(data)
    result = read_register(tmp_path / "m.csv", buurten)
    assert str(only_problem(result)) == (
        f"m.csv: het bestand mengt twee tekencoderingen: {message} (waarschijnlijk Windows-1252). "
        "Sla het hele bestand opnieuw op als CSV UTF-8"
    )
    assert result.records.empty


def test_windows_1252_with_symbols_after_accented_letters_is_still_read(tmp_path, buurten):
    text = "naam;soort;buurtcode\r\nCafé ‘t Hoekje – één € per kop;buurthuis;BU03440611\r\nCrème;kerk;BU03440611\r\n"
    result = read_register(write(tmp_path, "r.csv", text, "cp1252"), buurten)
    assert result.ok, [str(p) for p in result.problems]
    assert list(result.records["naam"]) == ["Café ‘t Hoekje – één € per kop", "Crème"]


def with_shared_strings(path: Path, unused: list[str] = (), part: str = "xl/sharedStrings.xml") -> None:
    """Rewrite an openpyxl .xlsx (inline strings) as Excel writes one: every text of a
    cell in the shared strings part, plus `unused` texts that no cell refers to."""
    with zipfile.ZipFile(path) as archive:
        items = {info.filename: archive.read(info) for info in archive.infolist()}
    strings: dict[bytes, int] = {}

    def shared(match) -> bytes:
        index = strings.setdefault(match.group(2), len(strings))
        return b'<c r="%s" t="s"><v>%d</v></c>' % (match.group(1), index)

    sheet = "xl/worksheets/sheet1.xml"
    items[sheet] = re.sub(rb'<c r="([A-Z]+\d+)" t="inlineStr"><is><t>(.*?)</t></is></c>', shared, items[sheet])
    items["[Content_Types].xml"] = items["[Content_Types].xml"].replace(
        b"</Types>",
        b'<Override PartName="/%s" ContentType="application/vnd.openxmlformats-officedocument.'
        b'spreadsheetml.sharedStrings+xml"/></Types>' % part.encode(),
    )
    items["xl/_rels/workbook.xml.rels"] = items["xl/_rels/workbook.xml.rels"].replace(
        b"</Relationships>",
        b'<Relationship Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" '
        b'Target="/%s" Id="rId99"/></Relationships>' % part.encode(),
    )
    texts = [*strings, *(text.encode() for text in unused)]
    items[part] = (
        b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" uniqueCount="%d">' % len(texts)
        + b"".join(b"<si><t>" + text + b"</t></si>" for text in texts)
        + b"</sst>"
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in items.items():
            archive.writestr(name, data)


def register_xlsx(tmp_path: Path, rows: int = 2) -> Path:
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "buurtcode"])
    for number in range(rows):
        workbook.active.append([f"Kerk {number}", "kerk", DOM_BUURT])
    path = tmp_path / "r.xlsx"
    workbook.save(path)
    return path


def test_an_xlsx_with_shared_strings_as_excel_writes_it_is_read(tmp_path, buurten):
    path = register_xlsx(tmp_path, rows=3)
    with_shared_strings(path)
    with zipfile.ZipFile(path) as archive:
        assert b't="s"' in archive.read("xl/worksheets/sheet1.xml")
    assert list(read_register(path, buurten).records["naam"]) == ["Kerk 0", "Kerk 1", "Kerk 2"]


def test_an_xlsx_with_too_many_shared_strings_is_refused_before_they_are_loaded(tmp_path, buurten):
    # Short random texts that no cell uses: within the size and packing limits, but openpyxl
    # loads every one before the first row (4.3 million took 64 s and 860 MB).
    random = __import__("random").Random(1)
    unused = ["".join(random.choices("abcdefghijklmnopqrstuvwxyz0123456789", k=5)) for _ in range(600_000)]
    path = register_xlsx(tmp_path)
    with_shared_strings(path, unused)
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/sharedStrings.xml")
    assert (
        member.file_size < register.spreadsheet_checks.MAX_UNZIPPED_BYTES
        and member.file_size < 10 * member.compress_size
    )
    started = time.perf_counter()
    problem = only_problem(read_register(path, buurten))
    assert time.perf_counter() - started < 2
    assert str(problem) == (
        "r.xlsx: het Excel-bestand heeft meer dan 500.000 verschillende teksten; dat is meer dan een register "
        "kan hebben. Sla het werkblad opnieuw op (onnodige teksten vallen dan weg) of exporteer het als CSV"
    )


def test_shared_strings_are_found_by_content_type_and_bounded_in_size(tmp_path, buurten, monkeypatch):
    path = register_xlsx(tmp_path)
    with_shared_strings(path, ["x" * 2000] * 10, part="xl/teksten.xml")  # openpyxl finds it by its type
    monkeypatch.setattr(register.spreadsheet_checks, "MAX_SHARED_STRINGS", 12)
    assert "meer dan 12 verschillende teksten" in str(only_problem(read_register(path, buurten)))
    monkeypatch.setattr(register.spreadsheet_checks, "MAX_SHARED_STRINGS", 100)
    monkeypatch.setattr(register.spreadsheet_checks, "MAX_SHARED_STRINGS_BYTES", 10_000)
    assert str(only_problem(read_register(path, buurten))).startswith(
        "r.xlsx: de teksten van het Excel-bestand (xl/teksten.xml) pakken uit tot 0 MB; het maximum is 0 MB."
    )


def test_escape_codes_in_a_value_are_shown_not_sent_to_the_terminal(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU0344\x1b[31mRED\n")
    problem = only_problem(read_register(path, buurten))
    assert problem.value == "BU0344\x1b[31mRED"  # the value itself as it is
    assert "\x1b" not in str(problem)
    assert 'onbekende buurtcode "BU0344\\x1b[31mRED"' in str(problem)


@pytest.mark.parametrize(
    ("column", "value", "shown", "code"),
    [
        ("naam", "A\x1b[2Jx", "A\\x1b[2Jx", "U+001B"),
        ("naam", "Kerk\nOost", "Kerk\\nOost", "U+000A"),
        ("bron", "Gemeente\x85Utrecht", "Gemeente\\x85Utrecht", "U+0085"),
        ("id", "k-1\x7f", "k-1\\x7f", "U+007F"),
        ("url", "https://example.org/\x07", "https://example.org/\\x07", "U+0007"),
        ("omschrijving", "Open \x1b[5m elke dag", "Open \\x1b[5m elke dag", "U+001B"),
    ],
)
def test_control_characters_in_text_fields_are_refused(tmp_path, buurten, column, value, shown, code):
    header, row = (
        ("naam;soort;buurtcode", f'"{value}";kerk;{DOM_BUURT}')
        if column == "naam"
        else (f"naam;soort;buurtcode;{column}", f'Kerk;kerk;{DOM_BUURT};"{value}"')
    )
    problem = only_problem(read_register(write(tmp_path, "r.csv", f"{header}\n{row}\n"), buurten))
    assert (problem.row, problem.column) == (2, column)
    assert str(problem) == (
        f'r.csv, rij 2, kolom "{column}": tekst met een onzichtbaar stuurteken "{shown}"; '
        f"verwijder het teken {code} (zulke tekens horen niet in een register)"
    )


@pytest.mark.parametrize("override", ["\u202e", "\u2066", "\u202a"])
def test_bidi_overrides_in_a_name_are_refused(tmp_path, buurten, override):
    path = write(tmp_path, "r.csv", f"naam;soort;buurtcode\nKerk {override}tsooW;kerk;BU03440611\n")
    assert str(only_problem(read_register(path, buurten))) == (
        f'r.csv, rij 2, kolom "naam": tekst met een teken dat de leesrichting omdraait '
        f'"Kerk {override.encode("unicode_escape").decode()}tsooW"; verwijder het teken U+{ord(override):04X} '
        "(zulke tekens horen niet in een register)"
    )


def test_a_description_keeps_its_lines_and_tabs(tmp_path, buurten):
    text = 'naam;soort;buurtcode;omschrijving\nKerk;kerk;BU03440611;"Open:\r\n\tma\r\n\tdi\rwo"\n'
    result = read_register(write(tmp_path, "r.csv", text), buurten)
    assert result.ok, [str(p) for p in result.problems]
    assert result.records.iloc[0]["omschrijving"] == "Open:\n\tma\n\tdi\nwo"


@pytest.mark.parametrize(
    "look_alike",
    [
        "Repair Cafe\u0301s in Amsterdam",  # e + combining acute accent
        "bijdrage\u200b",  # zero-width space
        "voorbeeld\u200b",
        "\u200dVoorbeeld",  # zero-width joiner
        "Repair  Cafés  in  Amsterdam",
        "ｖｏｏｒｂｅｅｌｄ",  # fullwidth letters
    ],
)
def test_a_look_alike_of_a_reserved_bron_is_refused(tmp_path, buurten, look_alike):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU03440611\n")
    problem = only_problem(read_register(path, buurten, bron=look_alike))
    assert " is voorbehouden aan " in str(problem) and "\u200b" not in str(problem)
    path = write(tmp_path, "r.csv", f"naam;soort;bron;buurtcode\nKerk;kerk;{look_alike};BU03440611\n")
    problem = only_problem(read_register(path, buurten))
    assert (problem.row, problem.column) == (2, "bron") and " is voorbehouden aan " in str(problem)


def test_a_bron_that_merely_contains_a_reserved_word_is_fine(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU03440611\n")
    assert read_register(path, buurten, bron="Voorbeeldregister Utrecht").ok
    assert read_register(path, buurten, bron="Bijdragen gemeente Zeist").ok


def with_cell_formats(path: Path, count: int, declared_as: str | None = None) -> None:
    """Add `count` distinct cell formats to the styles of an .xlsx (each differs, so they
    do not pack away); `declared_as` gives the styles part another content type."""
    random = __import__("random").Random(2)
    formats = b"".join(
        b'<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0" applyAlignment="%d"/>' % random.randrange(10**9)
        for _ in range(count)
    )

    def change(xml: bytes) -> bytes:
        return re.sub(
            rb'<cellXfs count="(\d+)">', lambda m: b'<cellXfs count="%d">' % (int(m.group(1)) + count) + formats, xml
        )

    rewrite_member(path, "xl/styles.xml", change)
    if declared_as:
        rewrite_member(
            path, "[Content_Types].xml", lambda xml: xml.replace(b"spreadsheetml.styles+xml", declared_as.encode())
        )


def test_an_xlsx_with_too_many_cell_formats_is_refused_before_they_are_loaded(tmp_path, buurten):
    path = register_xlsx(tmp_path)
    with_cell_formats(path, 250_000)  # 700,000 took 43 s and 910 MB, within every other limit
    started = time.perf_counter()
    problem = only_problem(read_register(path, buurten))
    assert time.perf_counter() - started < 2
    assert str(problem) == (
        "r.xlsx: het Excel-bestand heeft in xl/styles.xml meer dan 200.000 onderdelen (zoals celopmaken); dat is "
        "meer dan een register kan hebben. Sla het werkblad opnieuw op als een nieuw bestand of exporteer het als CSV"
    )


def test_styles_declared_as_a_worksheet_are_still_counted(tmp_path, buurten, monkeypatch):
    monkeypatch.setattr(
        register.spreadsheet_checks, "MAX_PART_ELEMENTS", 300
    )  # a new workbook's largest part (the theme) has 200
    path = register_xlsx(tmp_path)
    assert read_register(path, buurten).ok
    with_cell_formats(path, 300, declared_as="spreadsheetml.worksheet+xml")
    assert "in xl/styles.xml meer dan 300 onderdelen" in str(only_problem(read_register(path, buurten)))


def test_a_worksheet_of_too_many_cells_is_refused_empty_ones_too(tmp_path, buurten, monkeypatch):
    monkeypatch.setattr(register.spreadsheet_checks, "MAX_CELLS", 20)
    path = register_xlsx(tmp_path, rows=5)  # 6 rows of 3 cells
    assert read_register(path, buurten).ok
    empty = b"".join(b'<c r="%s7" s="0"/>' % letter for letter in (b"A", b"B", b"C"))
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", b'<row r="7">' + empty + b"</row></sheetData>"),
    )  # formatted, but empty
    assert str(only_problem(read_register(path, buurten))) == (
        "r.xlsx: het werkblad xl/worksheets/sheet1.xml heeft meer dan 20 cellen (ook lege cellen met een opmaak "
        "tellen); verwijder de lege rijen en kolommen rond de gegevens, verdeel het register over meer bestanden "
        "of exporteer het als CSV"
    )


def test_an_xlsx_with_a_damaged_member_is_a_dutch_error_not_a_traceback(tmp_path, buurten):
    path = register_xlsx(tmp_path)
    data = bytearray(path.read_bytes())
    with zipfile.ZipFile(path) as archive:
        member = archive.getinfo("xl/worksheets/sheet1.xml")
    start = member.header_offset + 30 + len(member.filename.encode()) + len(member.extra)
    data[start : start + 40] = b"\xff" * 40  # the packed bytes, not the directory
    path.write_bytes(bytes(data))
    assert str(only_problem(read_register(path, buurten))) == (
        "r.xlsx: kan het Excel-bestand niet openen; het is beschadigd of geen .xlsx"
    )


@pytest.mark.parametrize(
    ("bron", "message"),
    [
        (
            "Register\x1b[2J",
            '--bron tekst met een onzichtbaar stuurteken "Register\\x1b[2J"; verwijder het teken U+001B',
        ),
        ("Register \u202eSTEW", '--bron tekst met een teken dat de leesrichting omdraait "Register \\u202eSTEW"'),
        ("R" * 201, '--bron "' + "R" * 40 + '…": langer dan 200 tekens'),
    ],
)
def test_the_bron_argument_follows_the_rules_of_a_bron_column(tmp_path, buurten, bron, message):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU03440611\n")
    result = read_register(path, buurten, bron=bron)
    assert str(only_problem(result)).startswith(f"r.csv: {message}") and result.records.empty


# --- nearest codes -----------------------------------------------------------------------


def test_an_unknown_code_suggests_the_nearest_one(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;actortype;buurtcode\nKerk;kerk;vrijwiligersorganisatie;BU03440611\n")
    problem = only_problem(read_register(path, buurten))
    assert (problem.column, problem.value) == ("actortype", "vrijwiligersorganisatie")
    assert problem.suggestions == ("vrijwilligersorganisatie",)
    assert str(problem).startswith('r.csv, rij 2, kolom "actortype": onbekende waarde "vrijwiligersorganisatie"; kies')
    assert str(problem).endswith("; bedoelde u vrijwilligersorganisatie?")


def test_labels_count_as_well_as_codes_and_each_item_of_a_list_gets_its_own(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;doelgroep;buurtcode\nKerk;Buurthuiz;oudere, jongere;BU03440611\n")
    problems = read_register(path, buurten).problems
    assert [(p.column, p.value, p.suggestions) for p in problems] == [
        ("soort", "Buurthuiz", ("buurthuis",)),
        ("doelgroep", "oudere", ("ouderen",)),
        ("doelgroep", "jongere", ("jongeren",)),
    ]


def test_several_near_codes_are_offered_with_of_and_none_when_nothing_is_near(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;strategie;buurtcode\nKerk;kerk;bridge;BU03440611\n")
    problem = only_problem(read_register(path, buurten))
    assert problem.suggestions == ("beide", "bridging")
    assert str(problem).endswith("; bedoelde u beide of bridging?")
    problem = only_problem(bad_row(tmp_path, buurten, "Buurtkamer Noord;speeltuin;;;52,0907;5,1214;;"))
    assert problem.suggestions == () and "bedoelde u" not in str(problem)


def test_at_most_three_suggestions(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;actortype;buurtcode\nKerk;kerk;organisatie;BU03440611\n")
    problem = only_problem(read_register(path, buurten))
    assert len(problem.suggestions) == 3
    first, second, third = problem.suggestions
    assert str(problem).endswith(f"; bedoelde u {first}, {second} of {third}?")


# --- header mapping ------------------------------------------------------------------------


def test_a_mapped_header_counts_as_its_field_also_for_naam(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "Naam organisatie;Soort;Wijk code;Telefoon\nKerk;kerk;BU03440611;030-1\n")
    refused = read_register(path, buurten)
    assert refused.records.empty
    assert str(only_problem(refused)).startswith('r.csv: kolom "naam" ontbreekt (gevonden kolommen: "Naam organisatie"')
    assert refused.headers == ["Naam organisatie", "Soort", "Wijk code", "Telefoon"]
    assert refused.unknown_headers == ["Naam organisatie", "Wijk code", "Telefoon"]

    result = read_register(path, buurten, columns={"Naam organisatie": "naam", "Wijk code": "buurtcode"})
    assert result.ok, [str(p) for p in result.problems]
    assert result.records.iloc[0][["naam", "buurtcode"]].tolist() == ["Kerk", "BU03440611"]
    assert result.unknown_headers == ["Telefoon"]
    assert result.warnings == ['r.csv: onbekende kolommen genegeerd: "Telefoon"']


def test_problems_of_a_mapped_column_name_the_header_as_written(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "Naam;Categorie;buurtcode\nKerk;kerkje;BU03440611\n")
    problem = only_problem(read_register(path, buurten, columns={"Categorie": "soort"}))
    assert (problem.column, problem.suggestions) == ("Categorie", ("kerk",))


def test_a_mapping_wins_over_a_header_name_and_empty_ignores_a_column(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;Type;Soort voorziening;buurtcode\nKerk;pand;kerk;BU03440611\n")
    result = read_register(path, buurten, columns={"Soort voorziening": "soort", "Type": ""})
    assert result.ok and result.records.iloc[0]["soort"] == "kerk"
    assert result.unknown_headers == [] and result.warnings == []
    result = read_register(path, buurten, columns={"Soort voorziening": "soort"})
    assert result.ok and result.records.iloc[0]["soort"] == "kerk"
    assert result.warnings == [
        'r.csv: kolommen "Soort voorziening" en "Type" betekenen allebei soort; alleen "Soort voorziening" is gebruikt'
    ]


def test_a_mapping_to_an_unknown_field_is_refused(tmp_path, buurten):
    path = write(tmp_path, "r.csv", "naam;soort;buurtcode\nKerk;kerk;BU03440611\n")
    problem = only_problem(read_register(path, buurten, columns={"naam": "telefoon"}))
    assert str(problem).startswith('r.csv: kolomkoppeling naar onbekend veld "telefoon"; kies uit: naam, soort,')


# --- .xls and .ods, read with calamine like .xlsx ------------------------------------------
# Written here by real writers (xlwt for .xls, pandas' odf engine for .ods, both dev tools),
# so each test shows what its file holds and no binary fixture goes stale.

SHEET_ROWS = [
    ["Naam", "Soort", "Geopend", "Gesloten", "Latitude", "Longitude", "Buurtcode", "ID"],
    ["Repair Café Dom", "repair_cafe", dt.date(2019, 3, 1), None, DOM[0], DOM[1], None, 1001],
    ["Naaiatelier Lombok", "naaiatelier", 2019, dt.datetime(2023, 1, 31), None, None, "03440123", "0042"],
]


def write_xls(path: Path, rows: list[list], first_row: int = 0) -> Path:
    import xlwt

    workbook = xlwt.Workbook()
    sheet = workbook.add_sheet("register")
    date_style = xlwt.easyxf(num_format_str="YYYY-MM-DD")
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if isinstance(value, dt.date):
                sheet.write(first_row + r, c, value, date_style)
            elif value is not None:
                sheet.write(first_row + r, c, value)
    workbook.save(str(path))
    return path


def write_ods(path: Path, rows: list[list]) -> Path:
    import pandas as pd

    pd.DataFrame(rows[1:], columns=rows[0]).to_excel(path, engine="odf", index=False)
    return path


@pytest.mark.parametrize("writer", [write_xls, write_ods], ids=["xls", "ods"])
def test_xls_and_ods_are_read_with_dates_numbers_and_leading_zeros(tmp_path, buurten, writer):
    suffix = ".xls" if writer is write_xls else ".ods"
    result = read_register(writer(tmp_path / f"register{suffix}", SHEET_ROWS), buurten)
    assert result.ok, [str(p) for p in result.problems]
    first, second = result.records.iloc[0], result.records.iloc[1]
    assert first["geopend"] == "2019-03-01" and first["id"] == "1001" and first["buurtcode"] == DOM_BUURT
    assert second["geopend"] == "2019" and second["gesloten"] == "2023-01-31"
    assert second["id"] == "0042" and second["buurtcode"] == "BU03440123"
    assert result.headers == SHEET_ROWS[0]


def test_rows_are_numbered_as_the_spreadsheet_shows_them_when_the_table_starts_lower(tmp_path, buurten):
    rows = [["naam", "soort", "buurtcode"], ["Kerk", "kerk", DOM_BUURT], ["Kapel", "kapel", DOM_BUURT]]
    problem = only_problem(read_register(write_xls(tmp_path / "r.xls", rows, first_row=2), buurten))
    assert (problem.row, problem.value) == (5, "kapel")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "kapot.xls",
            b"\xd0\xcf\x11\xe0 kapot",
            "kapot.xls: kan het Excel-bestand niet openen; het is beschadigd of geen .xls",
        ),
        (
            "kapot.ods",
            b"PK\x03\x04 kapot",
            "kapot.ods: kan het OpenDocument-bestand niet openen; het is beschadigd of geen .ods",
        ),
    ],
)
def test_a_broken_xls_or_ods_is_a_dutch_error(tmp_path, buurten, name, content, message):
    (tmp_path / name).write_bytes(content)
    assert str(only_problem(read_register(tmp_path / name, buurten))) == message


def test_an_xls_that_is_a_renamed_xlsx_or_a_web_page_says_so(tmp_path, buurten):
    register_xlsx(tmp_path).rename(tmp_path / "r.xls")
    assert str(only_problem(read_register(tmp_path / "r.xls", buurten))) == (
        "r.xls: dit is geen oud .xls-bestand maar een nieuwer werkboek (.xlsx of .ods); geef het die extensie"
    )
    page = write(tmp_path, "export.xls", "\ufeff<html><table><tr><td>naam</td></tr></table></html>")
    assert str(only_problem(read_register(page, buurten))).startswith(
        "export.xls: dit is geen Excel-bestand maar een webpagina (HTML) met de extensie .xls;"
    )


def test_an_xlsx_with_one_cell_far_away_is_refused_before_calamine_reserves_the_block(tmp_path, buurten):
    # Four cells, 5 kB: calamine would ask for 550 GB for the block from A1 to XFD1048576 and abort.
    workbook = openpyxl.Workbook()
    workbook.active.append(["naam", "soort", "buurtcode"])
    workbook.active["XFD1048576"] = "x"
    workbook.save(tmp_path / "ver.xlsx")
    assert str(only_problem(read_register(tmp_path / "ver.xlsx", buurten))).startswith(
        "ver.xlsx: de gegevens in het werkblad xl/worksheets/sheet1.xml lopen tot cel XFD1048576: een blok van "
        "1.048.576 rijen bij 16.384 kolommen, meer dan 2.000.000 cellen."
    )


def test_an_xlsx_cell_with_only_a_format_far_away_is_no_block(tmp_path, buurten):
    path = register_xlsx(tmp_path)
    rewrite_member(
        path,
        "xl/worksheets/sheet1.xml",
        lambda xml: xml.replace(b"</sheetData>", b'<row r="900000"><c r="XFD900000" s="0"/></row></sheetData>'),
    )
    assert read_register(path, buurten).ok


def test_an_xls_with_a_cell_far_away_on_any_sheet_is_refused(tmp_path, buurten):
    import xlwt

    workbook = xlwt.Workbook()
    workbook.add_sheet("register").write(0, 0, "naam")
    notes = workbook.add_sheet("notities")  # calamine reads every sheet: this one took 9 s and 1 GB
    notes.write(0, 0, "x")
    notes.write(65535, 255, "x")
    workbook.save(str(tmp_path / "ver.xls"))
    started = time.perf_counter()
    problem = only_problem(read_register(tmp_path / "ver.xls", buurten))
    assert time.perf_counter() - started < 2
    assert str(problem).startswith("ver.xls: de gegevens in het Excel-bestand lopen tot cel IV65536: een blok van")


def rewrite_ods_table(path: Path, extra: bytes) -> None:
    rewrite_member(path, "content.xml", lambda xml: xml.replace(b"</table:table>", extra + b"</table:table>"))


def test_an_ods_of_repeated_filled_cells_is_refused_before_it_is_read(tmp_path, buurten):
    path = write_ods(tmp_path / "r.ods", [["naam", "soort", "buurtcode"], ["Kerk", "kerk", DOM_BUURT]])
    # 250 bytes that stand for a million filled cells.
    rewrite_ods_table(
        path,
        b'<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="1000"'
        b' office:value-type="string"><text:p>x</text:p></table:table-cell></table:table-row>' * 3,
    )
    started = time.perf_counter()
    problem = only_problem(read_register(path, buurten))
    assert time.perf_counter() - started < 2
    assert str(problem).startswith("r.ods: de gegevens in tabel 1 lopen tot cel ALL")


def test_an_ods_with_the_rest_of_the_sheet_as_repeated_empty_cells_is_read(tmp_path, buurten):
    path = write_ods(tmp_path / "r.ods", [["naam", "soort", "buurtcode"], ["Kerk", "kerk", DOM_BUURT]])
    rewrite_ods_table(  # what LibreOffice writes below a table whose columns have a format
        path,
        b'<table:table-row table:number-rows-repeated="1048574"><table:table-cell table:number-columns-repeated="1024"/>'
        b"</table:table-row>",
    )
    result = read_register(path, buurten)
    assert result.ok and list(result.records["naam"]) == ["Kerk"]


def test_an_ods_zip_bomb_is_refused(tmp_path, buurten):
    path = write_ods(tmp_path / "bom.ods", [["naam", "soort", "buurtcode"], ["Kerk", "kerk", DOM_BUURT]])
    rewrite_member(path, "content.xml", lambda xml: xml + b" " * 5_000_000)  # packed 1000 times
    assert str(only_problem(read_register(path, buurten))).startswith(
        "bom.ods: het OpenDocument-bestand pakt uit tot 5 MB; dat is meer dan een register kan zijn (maximum 300 MB,"
        " en hooguit 200 keer de ingepakte grootte)"
    )


def test_a_far_cell_is_found_also_when_its_reference_is_not_its_first_attribute(tmp_path, buurten):
    path = register_xlsx(tmp_path)
    far = b'<row r="900000"><c t="inlineStr" r="ZZ900000"><is><t>x</t></is></c></row>'
    rewrite_member(path, "xl/worksheets/sheet1.xml", lambda xml: xml.replace(b"</sheetData>", far + b"</sheetData>"))
    assert "lopen tot cel ZZ900000" in str(only_problem(read_register(path, buurten)))
