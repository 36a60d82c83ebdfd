"""Reading municipal register files: formats, encodings, locations and clear errors.

Input files are written into tmp_path by each test (no binary fixtures in the repo). The
buurt layer is the real CBS 2015 map of Utrecht (GM0344) and Rotterdam (GM0599).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import geopandas as gpd
import openpyxl
import pyogrio
import pytest

from wijkmap import analysis
from wijkmap.records import FIELDS
from wijkmap.sources.register import RegisterResult, RowProblem, read_register

REPO = Path(__file__).resolve().parents[1]
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
    sheet.append(["Naaiatelier Lombok", "naaiatelier", 2019.0, dt.datetime(2023, 1, 31), None, None, "BU03440123", 1002.0])
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
        'register.csv, rij 3, kolom "Geopend": geen geldige datum "2019-02-30"; '
        "gebruik een jaar (2019) of 2019-03-01"
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
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [DOM[1], DOM[0]]},
         "properties": {"naam": "Goed", "soort": "kerk"}},
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [2.3522, 48.8566]},
         "properties": {"naam": "Parijs", "soort": "kerk"}},
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
