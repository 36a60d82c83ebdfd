"""The command line as a civil servant uses it: serve, build-data, import, export, and
its help, version and log lines.

A few tests run the real `python -m wijkmap` in a subprocess; the rest call
`wijkmap.cli.main` in-process (same code, faster). All work on a private copy of the
small store of the `store` fixture (tests/conftest.py).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import time
import tomllib
from contextlib import closing
from pathlib import Path

import openpyxl
import pandas as pd
import pyogrio
import pytest

from wijkmap import cli as wcli
from wijkmap.cli import main
from wijkmap.core import vocabulary as vocab
from wijkmap.data import store as wstore
from wijkmap.data.backend import is_postgres
from wijkmap.data.export import SAMPLE_YES

REPO = Path(__file__).resolve().parents[1]
DOM = (52.0907, 5.1214)  # Domplein, Utrecht (lat, lon)
DOM_BUURT = "BU03440611"
SAMPLE = "voorbeeld"
REPAIR_CAFES = "Repair Cafés in Amsterdam"
SMALL_GEMEENTEN = ["GM0344", "GM0599", "GM0363"]  # as in conftest.small_store_path

REGISTER = (
    "Naam;Soort;Strategie;Actortype;Doelgroep;Geopend;Lat;Lon\n"
    "Huiskamer Dom;huis_van_de_wijk;bridging;bewoners;ouderen;2018;52,0907;5,1214\n"
    "Voedselbank Zuid;voedselbank;;vrijwilligersorganisatie;armoede;2012;51,8890;4,4970\n"
    "Wijkteam Centrum;wijkteam;;welzijnsorganisatie;iedereen;2015;52,3731;4,8922\n"
)


def run(store_path: Path, *args: str, cwd: Path = REPO) -> subprocess.CompletedProcess:
    """`python -m wijkmap ARGS` with WIJKMAP_STORE set, as a user runs it from a shell."""
    env = {
        **os.environ,
        "WIJKMAP_STORE": str(store_path),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
        "PYTHONIOENCODING": "utf-8",
    }
    return subprocess.run(
        [sys.executable, "-m", "wijkmap", *args],
        env=env,
        cwd=cwd,
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
    )


def cli(capsys, *args: str) -> tuple[int, str, str]:
    """wijkmap.cli.main in-process: (exit status, stdout, stderr)."""
    capsys.readouterr()
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def digest(path) -> str:
    """What the store holds: the file's bytes, or a PostgreSQL store's row counts and content hashes."""
    if is_postgres(path):
        from wijkmap.data.copy import summary

        return repr(sorted(summary(path).tables.items()))
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def imported(store_path: Path, bron: str) -> pd.DataFrame:
    return wstore.read_records(store_path, bron=bron).set_index("naam")


def build_args() -> list[str]:
    return ["build-data", *[arg for code in SMALL_GEMEENTEN for arg in ("--gemeente", code)]]


def assert_same_store(first: Path, second: Path) -> None:
    """Same records, statistics, catalogue and areas (content, not bytes: the GeoPackage
    file holds timestamps)."""
    pd.testing.assert_frame_equal(wstore.read_records(first), wstore.read_records(second))
    pd.testing.assert_frame_equal(wstore.read_statistics(first), wstore.read_statistics(second))
    pd.testing.assert_frame_equal(wstore.read_catalogue(first), wstore.read_catalogue(second))
    assert wstore.area_layers(first) == wstore.area_layers(second)
    for layer in wstore.area_layers(first):
        pd.testing.assert_frame_equal(wstore.read_areas(layer, path=first), wstore.read_areas(layer, path=second))


# --- build-data ------------------------------------------------------------------------


def test_build_data_writes_a_store_and_is_deterministic(small_store_path, tmp_path):
    path = tmp_path / "nieuw" / "wijkmap.gpkg"
    done = run(path, *build_args())

    assert done.returncode == 0, done.stderr
    assert path.is_file()
    assert "Gegevensbestand gebouwd in" in done.stdout and str(path) in done.stdout
    assert "buurt_2015: 300 gebieden" in done.stdout
    assert f"voorzieningen, bron {SAMPLE}:" in done.stdout
    assert sorted(p.name for p in path.parent.iterdir()) == ["wijkmap.gpkg"]  # no temp files left
    # The session store was built by another process into another path: same content.
    assert_same_store(small_store_path, path)
    assert set(wstore.read_records(path)["gemeentecode"]) == set(SMALL_GEMEENTEN)


def test_build_data_if_missing_leaves_an_existing_store_alone(store, capsys):
    before = digest(store)
    code, out, _ = cli(capsys, "build-data", "--if-missing")
    assert code == 0
    assert out.strip() == f"Gegevensbestand bestaat al: {store}"
    assert digest(store) == before


def test_build_data_if_missing_builds_when_there_is_none(tmp_path, monkeypatch, capsys, small_store_path):
    path = tmp_path / "wijkmap.gpkg"
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    code, out, _ = cli(capsys, *build_args(), "--if-missing")
    assert code == 0 and "Gegevensbestand gebouwd" in out
    assert_same_store(small_store_path, path)


def test_imported_records_survive_a_rebuild(store_url, tmp_path, capsys):
    store = store_url  # both backends
    register = write(tmp_path, "register.csv", REGISTER)
    assert cli(capsys, "import", str(register), "--bron", "Register test")[0] == 0
    before = wstore.read_records(store)

    code, out, _ = cli(capsys, *build_args())

    assert code == 0
    assert "(waarvan 3 overgenomen uit eerdere imports en bijdragen)" in out
    after = wstore.read_records(store)
    pd.testing.assert_frame_equal(after, before)  # nothing lost, nothing doubled


def test_a_rebuild_that_cannot_swap_says_so_and_keeps_the_store(store, capsys, monkeypatch):
    with wstore.transaction(store):  # the store is in WAL mode from the first write on
        pass
    before = digest(store)
    monkeypatch.setattr(wstore, "BUSY_TIMEOUT_S", 1)
    with sqlite3.connect(store) as reader:  # someone keeps the store open, e.g. a stuck app
        reader.execute("SELECT COUNT(*) FROM voorzieningen").fetchone()
        code, out, err = cli(capsys, *build_args())
    assert code == 1 and out == ""
    assert err == (
        f"Fout: {store} is niet vervangen: het gegevensbestand is in gebruik; stop de app en probeer het"
        " opnieuw. Het gegevensbestand is ongewijzigd.\n"
    )
    assert digest(store) == before
    assert [p.name for p in store.parent.iterdir() if ".tmp-" in p.name] == []


KILLED_BUILD = """
import pathlib, sys, time, pyogrio
from wijkmap import cli as wcli
from wijkmap.cli import main
real = pyogrio.write_dataframe
def stuck(*args, **kwargs):  # the temporary file exists: hang there until killed
    real(*args, **kwargs)
    pathlib.Path(sys.argv[1]).touch()
    time.sleep(300)
pyogrio.write_dataframe = stuck
main(["build-data", "--gemeente", "GM0344"])
"""


def test_the_next_build_removes_what_a_killed_build_left(store, tmp_path, capsys):
    before = wstore.read_records(store)
    started = tmp_path / "begonnen"
    env = {**os.environ, "WIJKMAP_STORE": str(store), "PYTHONPATH": str(REPO / "src")}
    build = subprocess.Popen([sys.executable, "-c", KILLED_BUILD, str(started)], env=env, cwd=REPO)
    try:
        deadline = time.monotonic() + 120
        while not started.exists() and build.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        build.kill()  # SIGKILL: no finally, no cleanup in the build
        build.wait()
    left = sorted(p.name for p in store.parent.iterdir() if ".tmp-" in p.name)
    assert any(name.endswith(".gpkg") for name in left), left  # what kill -9 leaves today
    pd.testing.assert_frame_equal(wstore.read_records(store), before)  # the store itself is untouched

    assert cli(capsys, *build_args())[0] == 0

    assert [p.name for p in store.parent.iterdir() if ".tmp-" in p.name] == []
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


# --- import ----------------------------------------------------------------------------


def test_import_prints_a_summary_and_stores_placed_records(store_url, tmp_path):
    store = store_url  # both backends
    register = write(tmp_path, "register.csv", REGISTER)
    before = len(wstore.read_records(store))

    done = run(store, "import", str(register), "--bron", "Register test")

    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Geïmporteerd uit register.csv: 3 nieuw, 0 bijgewerkt, 0 ongewijzigd."
    assert lines[lines.index("Per soort:") + 1 : lines.index("Per gemeente:")] == [
        f"  {vocab.label('soort', code)}: 1" for code in ("huis_van_de_wijk", "voedselbank", "wijkteam")
    ]
    assert lines[lines.index("Per gemeente:") + 1 :] == ["  GM0344: 1", "  GM0363: 1", "  GM0599: 1"]
    assert done.stderr == ""

    records = wstore.read_records(store)
    assert len(records) == before + 3
    ours = imported(store, "Register test")
    assert ours.loc["Huiskamer Dom", "buurtcode"] == DOM_BUURT
    assert ours.loc["Huiskamer Dom", "wijkcode"] == "WK034406"
    assert ours["gemeentecode"].to_dict() == {
        "Huiskamer Dom": "GM0344",
        "Voedselbank Zuid": "GM0599",
        "Wijkteam Centrum": "GM0363",
    }
    assert ours.loc["Huiskamer Dom", "strategie"] == "bridging"
    assert all(code.startswith("BU") for code in ours["buurtcode"])


def test_import_without_bron_names_the_file_as_provenance(store_url, tmp_path, capsys):
    store = store_url  # both backends
    code, _, _ = cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)))
    assert code == 0
    assert len(imported(store, "register r.csv")) == 3


def test_importing_twice_updates_instead_of_duplicating(store_url, tmp_path, capsys):
    store = store_url  # both backends
    register = write(tmp_path, "register.csv", REGISTER)
    assert cli(capsys, "import", str(register))[0] == 0
    first = wstore.read_records(store)

    code, out, _ = cli(capsys, "import", str(register))

    assert code == 0
    assert out.splitlines()[0] == "Geïmporteerd uit register.csv: 0 nieuw, 0 bijgewerkt, 3 ongewijzigd."
    second = wstore.read_records(store)
    assert len(second) == len(first) and second["id"].is_unique
    pd.testing.assert_frame_equal(second, first)


def test_dry_run_checks_but_writes_nothing(store_url, tmp_path, capsys):
    store = store_url  # both backends
    before = digest(store)
    code, out, err = cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)), "--dry-run")
    assert code == 0, err
    assert (
        out.splitlines()[0]
        == "Proefimport: 3 records zijn in orde (3 nieuw, 0 bijgewerkt, 0 ongewijzigd); er is niets opgeslagen."
    )
    assert "Per gemeente:" in out
    assert digest(store) == before


def test_a_file_with_errors_is_refused_whole_with_one_dutch_line_per_problem(store_url, tmp_path):
    store = store_url  # both backends
    text = (
        "naam;soort;geopend;lat;lon\n"
        "Huiskamer Dom;huis_van_de_wijk;2018;52,0907;5,1214\n"  # good: must not be imported either
        "Kasteel;kasteel;;48,85;2,35\n"  # two problems: soort and location
        "Kerk;kerk;2019-02-30;52,0907;5,1214\n"
        ";moskee;;52,0907;5,1214\n"
    )
    register = write(tmp_path, "fouten.csv", text)
    before = digest(store)

    done = run(store, "import", str(register))

    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.splitlines()
    assert lines[0].startswith('fouten.csv, rij 3, kolom "soort": onbekende waarde "kasteel"; kies uit: ')
    assert lines[1].startswith('fouten.csv, rij 3, kolommen "lat" en "lon": "48,85 / 2,35" ligt buiten Nederland')
    assert lines[2] == (
        'fouten.csv, rij 4, kolom "geopend": geen geldige datum "2019-02-30"; gebruik een jaar (2019) of 2019-03-01'
    )
    assert lines[3] == 'fouten.csv, rij 5, kolom "naam": naam ontbreekt'
    assert lines[4:] == ["4 fout(en) in fouten.csv; er is niets geïmporteerd."]
    assert digest(store) == before
    if not is_postgres(store):
        assert sorted(p.name for p in Path(store).parent.iterdir()) == sorted(["wijkmap.gpkg", "fouten.csv"])


def test_escape_codes_in_a_file_reach_neither_the_terminal_nor_the_store(store_url, tmp_path):
    store = store_url  # both backends
    text = (
        "naam;soort;buurtcode;omschrijving\n"
        "Kerk;kerk;BU0344\x1b[31mRED;\n"
        'A\x1b[2Jx;buurthuis;BU03440611;"\x1b]0;gekaapt\x07"\n'  # sets the terminal's title
        "Huiskamer;buurthuis;BU03440611;Bidi \u202etxet\n"
    )
    register = write(tmp_path, "codes.csv", text)
    before = digest(store)

    done = run(store, "import", str(register), "--bron", "Register test")

    assert done.returncode == 1
    assert "\x1b" not in done.stderr and "\x07" not in done.stderr and "\u202e" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines[0].startswith('codes.csv, rij 2, kolom "buurtcode": onbekende buurtcode "BU0344\\x1b[31mRED"')
    assert lines[1] == (
        'codes.csv, rij 3, kolom "naam": tekst met een onzichtbaar stuurteken "A\\x1b[2Jx"; '
        "verwijder het teken U+001B (zulke tekens horen niet in een register)"
    )
    assert lines[2].startswith(
        'codes.csv, rij 3, kolom "omschrijving": tekst met een onzichtbaar stuurteken "\\x1b]0;gekaapt\\x07"'
    )
    assert lines[3].startswith(
        'codes.csv, rij 4, kolom "omschrijving": tekst met een teken dat de leesrichting omdraait "Bidi \\u202etxet"'
    )
    assert lines[4:] == ["4 fout(en) in codes.csv; er is niets geïmporteerd."]
    assert digest(store) == before


def test_a_look_alike_of_a_reserved_bron_is_refused_on_import(store_url, tmp_path, capsys):
    store = store_url  # both backends
    register = write(tmp_path, "r.csv", REGISTER)
    before = digest(store)
    for look_alike in ("Repair Cafe\u0301s in Amsterdam", "bijdrage\u200b"):
        code, out, err = cli(capsys, "import", str(register), "--bron", look_alike)
        assert code == 1 and out == ""
        assert " is voorbehouden aan " in err and "\u200b" not in err
    assert digest(store) == before


def test_an_unreadable_file_is_one_error_naming_the_file(store_url, tmp_path, capsys):
    store = store_url  # both backends
    before = digest(store)
    code, out, err = cli(capsys, "import", str(write(tmp_path, "kapot.xlsx", "geen excel")))
    assert code == 1 and out == ""
    assert err.splitlines() == [
        "kapot.xlsx: kan het Excel-bestand niet openen; het is beschadigd of geen .xlsx",
        "1 fout(en) in kapot.xlsx; er is niets geïmporteerd.",
    ]
    assert digest(store) == before


def test_import_without_a_store_says_how_to_make_one(tmp_path, monkeypatch, capsys):
    missing = tmp_path / "nergens.gpkg"
    monkeypatch.setenv("WIJKMAP_STORE", str(missing))
    code, out, err = cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)))
    assert code == 1 and out == ""
    assert err.strip() == f"Fout: Geen gegevensbestand op {missing}. Maak het met: python -m wijkmap build-data"
    assert not missing.exists()


def test_excel_import(store_url, tmp_path, capsys):
    store = store_url  # both backends
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Name", "Kind", "Open since", "Closed", "Latitude", "Longitude", "ID"])
    sheet.append(["Repair Café Dom", "repair café", dt.date(2019, 3, 1), None, DOM[0], DOM[1], 1001])
    sheet.append(["Bibliotheek Oost", "bibliotheek", 1975, dt.datetime(2014, 12, 31), 52.0870, 5.1400, 1002])
    path = tmp_path / "register.xlsx"
    workbook.save(path)

    code, out, err = cli(capsys, "import", str(path), "--bron", "Excel-register")

    assert code == 0, err
    assert out.splitlines()[0] == "Geïmporteerd uit register.xlsx: 2 nieuw, 0 bijgewerkt, 0 ongewijzigd."
    records = wstore.read_records(store, bron="Excel-register").set_index("id")
    assert records.loc["1001", "soort"] == "repair_cafe"
    assert records.loc["1001", "geopend"] == "2019-03-01"
    assert records.loc["1001", "buurtcode"] == DOM_BUURT
    assert records.loc["1002", "geopend"] == "1975" and records.loc["1002", "gesloten"] == "2014-12-31"
    assert set(records["gemeentecode"]) == {"GM0344"}


def test_rd_coordinates_import(store_url, tmp_path, capsys):
    store = store_url  # both backends
    text = "naam;soort;x;y\nWijkagent Centrum;wijkagent;136950;455900\nWijkteam Feijenoord;wijkteam;93600;435600\n"
    code, out, err = cli(capsys, "import", str(write(tmp_path, "rd.csv", text)), "--bron", "RD-register")

    assert code == 0, err
    records = imported(store, "RD-register")
    agent = records.loc["Wijkagent Centrum"]
    assert agent["lat"] == pytest.approx(52.0909, abs=0.002)
    assert agent["lon"] == pytest.approx(5.1216, abs=0.003)
    assert agent["gemeentecode"] == "GM0344"
    assert records.loc["Wijkteam Feijenoord", "gemeentecode"] == "GM0599"
    # Stored as WGS84 points: the geometry is lon/lat, not RD metres.
    if is_postgres(store):  # what QGIS reads from the PostGIS layer
        with closing(wstore.connect(store)) as connection:
            points = connection.execute(
                f"SELECT ST_SRID(geom), ST_X(geom), ST_Y(geom) FROM {wstore.RECORDS} WHERE bron = 'RD-register'"
            ).fetchall()
        assert {srid for srid, _, _ in points} == {4326}
        assert all(3 < x < 8 and 50 < y < 54 for _, x, y in points) and len(points) == len(records)
        return
    stored = pyogrio.read_dataframe(store, layer=wstore.RECORDS, where="bron = 'RD-register'")
    assert stored.crs.to_epsg() == 4326
    assert stored.geometry.x.between(3, 8).all() and stored.geometry.y.between(50, 54).all()


def test_opvolger_van_is_checked_against_the_store(store_url, tmp_path, capsys):
    store = store_url  # both backends
    predecessor = wstore.read_records(store, bron=SAMPLE).iloc[0]["id"]
    text = (
        "naam;soort;opvolger_van;buurtcode\n"
        f"Huis van de Wijk;huis_van_de_wijk;{predecessor};BU03440611\n"
        "Huiskamer;huis_van_de_wijk;bestaat-niet;BU03440611\n"
    )
    code, out, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)))
    assert code == 0
    assert err.splitlines() == [
        'Let op: r.csv, rij 3, kolom "opvolger_van": opvolger_van "bestaat-niet" staat niet in dit bestand '
        "en niet in het gegevensbestand; controleer het id van de voorganger (de rij wordt wel geïmporteerd)"
    ]
    assert len(imported(store, "register r.csv")) == 2


# --- export ----------------------------------------------------------------------------


def read_csv_export(path: Path) -> pd.DataFrame:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM, for Excel
    return pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")


def test_export_csv_of_one_gemeente(store_url, tmp_path, capsys):
    store = store_url  # both backends
    out_path = tmp_path / "utrecht.csv"
    code, out, _ = cli(capsys, "export", "--format", "csv", "--gemeente", "GM0344", "--out", str(out_path))

    assert code == 0
    expected = wstore.read_records(store, gemeentecode="GM0344")
    table = read_csv_export(out_path)
    assert out.strip() == f"{len(expected)} records geschreven naar {out_path} (csv)."
    assert len(table) == len(expected) > 0
    assert set(table["gemeentecode"]) == {"GM0344"}
    assert sorted(table["id"]) == sorted(expected["id"])
    assert list(table.columns)[-2:] == ["voorbeeld", "bronvermelding"]


def test_export_csv_accepts_a_gemeentecode_without_prefix(store_url, tmp_path, capsys):
    out_path = tmp_path / "r.csv"
    assert cli(capsys, "export", "--format", "csv", "--gemeente", "599", "--out", str(out_path))[0] == 0
    assert set(read_csv_export(out_path)["gemeentecode"]) == {"GM0599"}


def test_export_geojson_of_some_soorten(store_url, tmp_path):
    store = store_url  # both backends
    out_path = tmp_path / "r.geojson"
    done = run(store, "export", "--format", "geojson", "--soort", "repair_cafe", "buurthuis", "--out", str(out_path))

    assert done.returncode == 0, done.stderr
    collection = json.loads(out_path.read_text(encoding="utf-8"))
    records = wstore.read_records(store)
    expected = records[records["soort"].isin(["repair_cafe", "buurthuis"])]
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    assert len(collection["features"]) == len(expected) > 0
    assert {f["properties"]["soort"] for f in collection["features"]} == {"repair_cafe", "buurthuis"}
    first = collection["features"][0]
    assert first["geometry"]["type"] == "Point"
    assert first["geometry"]["coordinates"] == [
        round(first["properties"]["lon"], 6),
        round(first["properties"]["lat"], 6),
    ]


def test_export_gpkg_of_one_bron_opens_as_a_point_layer(store_url, tmp_path, capsys):
    store = store_url  # both backends
    out_path = tmp_path / "r.gpkg"
    code, _, _ = cli(capsys, "export", "--format", "gpkg", "--bron", REPAIR_CAFES, "--out", str(out_path))

    assert code == 0
    info = pyogrio.read_info(out_path, layer="voorzieningen")
    expected = wstore.read_records(store, bron=REPAIR_CAFES)
    assert info["geometry_type"] == "Point" and info["crs"] == "EPSG:4326"
    assert info["features"] == len(expected) > 0
    frame = pyogrio.read_dataframe(out_path)
    assert set(frame["bron"]) == {REPAIR_CAFES}
    assert set(frame["voorbeeld"]) == {"nee"}  # real data is never labelled as sample


def test_export_filters_combine(store_url, tmp_path, capsys):
    store = store_url  # both backends
    out_path = tmp_path / "r.csv"
    code, out, _ = cli(
        capsys,
        "export",
        "--format",
        "csv",
        "--gemeente",
        "GM0599",
        "--soort",
        "kerk",
        "moskee",
        "--bron",
        SAMPLE,
        "--out",
        str(out_path),
    )
    assert code == 0
    table = read_csv_export(out_path)
    records = wstore.read_records(store, gemeentecode="GM0599", bron=SAMPLE)
    assert len(table) == int(records["soort"].isin(["kerk", "moskee"]).sum()) > 0
    assert set(table["soort"]) <= {"kerk", "moskee"}


def test_export_of_an_unknown_soort_is_refused(store_url, tmp_path, capsys):
    out_path = tmp_path / "r.csv"
    code, _, err = cli(capsys, "export", "--format", "csv", "--soort", "kasteel", "--out", str(out_path))
    assert code == 2 and err.strip() == "Fout: onbekende soort kasteel"
    assert not out_path.exists()


def test_exported_sample_records_carry_the_voorbeeld_label(store_url, tmp_path, capsys):
    register = write(tmp_path, "r.csv", REGISTER)
    assert cli(capsys, "import", str(register), "--bron", "Register test")[0] == 0
    for fmt in ("csv", "geojson", "gpkg"):
        out_path = tmp_path / f"alles.{fmt}"
        assert cli(capsys, "export", "--format", fmt, "--out", str(out_path))[0] == 0
        if fmt == "csv":
            table = read_csv_export(out_path)
        elif fmt == "geojson":
            features = json.loads(out_path.read_text(encoding="utf-8"))["features"]
            table = pd.DataFrame([f["properties"] for f in features])
        else:
            table = pyogrio.read_dataframe(out_path)
        labels = table.groupby("bron")["voorbeeld"].unique().map(list).to_dict()
        assert labels == {SAMPLE: [SAMPLE_YES], REPAIR_CAFES: ["nee"], "Register test": ["nee"]}, fmt


def test_csv_export_neutralises_formulas_from_an_import(store_url, tmp_path, capsys):
    store = store_url  # both backends
    text = 'naam;soort;omschrijving;lat;lon\n"=HYPERLINK(""http://x"")";kerk;@SUM(A1);52,0907;5,1214\n'
    code, _, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", "Formule")
    assert code == 0, err
    # The store keeps exactly what the user wrote; only the export protects spreadsheets.
    stored = wstore.read_records(store, bron="Formule").iloc[0]
    assert stored["naam"] == '=HYPERLINK("http://x")'

    out_path = tmp_path / "export.csv"
    assert cli(capsys, "export", "--format", "csv", "--bron", "Formule", "--out", str(out_path))[0] == 0
    rows = list(csv.DictReader(io.StringIO(out_path.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert len(rows) == 1
    assert rows[0]["naam"] == '\'=HYPERLINK("http://x")'
    assert rows[0]["omschrijving"] == "'@SUM(A1)"
    assert float(rows[0]["lat"]) == pytest.approx(DOM[0])


def test_a_csv_export_imports_back_to_the_same_records_with_the_same_text(store_url, tmp_path, capsys):
    store = store_url  # both backends
    text = (
        "id;naam;soort;strategie;actortype;doelgroep;tarief;tijdelijk;geopend;gesloten;opvolger_van;"
        "omschrijving;url;werkgebied;lat;lon\n"
        '=1+1;"=HYPERLINK(""http://x"")";kerk;bridging;bewoners;ouderen;gratis;ja;2019-03-01;;;@SUM(A1);'
        "https://example.org/a;BU03440611,BU03440612;52,0907;5,1214\n"
        ";''=2 met een quote ervoor;moskee;;;;;;2019;2023;=1+1;'t Hofje - zie site;;;52,0894;5,1032\n"
        "+31 6;- zie site;buurthuis;;;;;;;;;-5;;;51,9180;4,4650\n"
    )
    bron = "=Register Zeist"
    code, _, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", bron)
    assert code == 0, err
    before = wstore.read_records(store)
    ours = before[before["bron"] == bron].set_index("id")
    assert ours.loc["=1+1", "naam"] == '=HYPERLINK("http://x")'
    assert "'=2 met een quote ervoor" in set(ours["naam"])  # the file's '' protected one quote

    exported = tmp_path / "export.csv"
    assert cli(capsys, "export", "--format", "csv", "--bron", bron, "--out", str(exported))[0] == 0
    assert "'=1+1;" in exported.read_text(encoding="utf-8-sig")  # still safe to open in Excel
    code, out, err = cli(capsys, "import", str(exported))

    assert code == 0, err
    assert out.splitlines()[0] == "Geïmporteerd uit export.csv: 0 nieuw, 0 bijgewerkt, 3 ongewijzigd."
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


@pytest.mark.parametrize("bron", [SAMPLE, vocab.CONTRIBUTION_BRON, REPAIR_CAFES])
def test_import_under_a_reserved_bron_is_refused_and_writes_nothing(store_url, tmp_path, capsys, bron):
    store = store_url  # both backends
    before = digest(store)
    code, out, err = cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)), "--bron", bron)
    assert code == 1 and out == ""
    assert err.splitlines()[0].startswith(f'r.csv: bron "{bron}" is voorbehouden aan ')
    assert digest(store) == before


def test_import_of_an_id_of_a_bundled_record_is_refused_and_writes_nothing(store_url, tmp_path, capsys):
    store = store_url  # both backends
    records = wstore.read_records(store)
    sample_id = records.loc[records["bron"] == SAMPLE, "id"].iloc[0]
    cafe_id = records.loc[records["bron"] == REPAIR_CAFES, "id"].iloc[0]
    text = (
        f"id;naam;soort;lat;lon\n{sample_id};Echt;kerk;52,0907;5,1214\n"
        f"{cafe_id};Ander café;repair_cafe;52,0907;5,1214\n"
    )
    before = digest(store)

    code, _, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", "Register test")

    assert code == 1 and digest(store) == before
    lines = err.splitlines()
    other = "hoort bij een record met een andere bron"
    assert lines[0].startswith(f'r.csv, rij 2, kolom "id": id "{sample_id}" {other} ("voorbeeld")')
    assert lines[1].startswith(f'r.csv, rij 3, kolom "id": id "{cafe_id}" {other} ("{REPAIR_CAFES}")')
    assert lines[-1] == "2 fout(en) in r.csv; er is niets geïmporteerd."


def test_reimporting_a_register_with_ids_under_its_own_bron_updates_it(store_url, tmp_path, capsys):
    store = store_url  # both backends
    text = "id;naam;soort;lat;lon\nk-1;Kerk;kerk;52,0907;5,1214\n"
    assert cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", "Register test")[0] == 0
    text = text.replace("Kerk;kerk", "Domkerk;kerk")
    code, out, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", "Register test")
    assert code == 0, err
    assert out.splitlines()[0] == "Geïmporteerd uit r.csv: 0 nieuw, 1 bijgewerkt, 0 ongewijzigd."
    assert list(imported(store, "Register test").index) == ["Domkerk"]
    # Under another bron the same id is refused: it is that register's record.
    code, _, err = cli(capsys, "import", str(write(tmp_path, "r.csv", text)), "--bron", "Register ander")
    assert code == 1 and 'id "k-1" hoort bij een record met een andere bron ("Register test")' in err


HSDS_FILES = [
    "organizations.csv",
    "services.csv",
    "locations.csv",
    "service_at_location.csv",
    "taxonomies.csv",
    "taxonomy_terms.csv",
    "attributes.csv",
    "metadata.csv",
]


def read_hsds(folder: Path, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO((folder / name).read_text(encoding="utf-8"))))


def test_export_hsds_writes_the_tables_and_leaves_the_sample_out(store_url, tmp_path, capsys):
    store = store_url  # both backends
    folder = tmp_path / "hsds"
    code, out, err = cli(capsys, "export", "--format", "hsds", "--gemeente", "GM0344", "--out", str(folder))

    assert code == 0, err
    records = wstore.read_records(store, gemeentecode="GM0344")
    real = records[records["bron"] != SAMPLE]
    assert out.strip() == f"{len(real)} records geschreven naar {folder} (hsds: 8 tabellen, {', '.join(HSDS_FILES)})."
    sample_count = len(records) - len(real)
    assert sample_count > 0
    assert err.strip() == (
        f"Let op: {sample_count} fictieve voorbeeldrecords weggelaten (--met-voorbeeld neemt ze gemarkeerd mee)."
    )
    assert sorted(path.name for path in folder.iterdir()) == sorted(HSDS_FILES)
    services = read_hsds(folder, "services.csv")
    assert sorted(row["name"] for row in services) == sorted(real["naam"])


def test_export_hsds_with_the_sample_and_filters(store_url, tmp_path, capsys):
    store = store_url  # both backends
    folder = tmp_path / "hsds"
    args = ["export", "--format", "hsds", "--gemeente", "GM0599", "--soort", "kerk", "moskee", "--bron", SAMPLE]
    code, out, err = cli(capsys, *args, "--met-voorbeeld", "--out", str(folder))

    assert code == 0 and err == ""
    records = wstore.read_records(store, gemeentecode="GM0599", bron=SAMPLE)
    expected = records[records["soort"].isin(["kerk", "moskee"])]
    services = read_hsds(folder, "services.csv")
    assert len(services) == len(expected) > 0
    assert all(row["description"].startswith("FICTIEF VOORBEELD") for row in services)
    # A second export into the same folder gives the same files, ids and all.
    first = {name: (folder / name).read_bytes() for name in HSDS_FILES}
    assert cli(capsys, *args, "--met-voorbeeld", "--out", str(folder))[0] == 0
    assert first == {name: (folder / name).read_bytes() for name in HSDS_FILES}


def test_export_hsds_refuses_a_file_as_its_folder(store_url, tmp_path, capsys):
    target = write(tmp_path, "bestaat.csv", "x")
    code, _, err = cli(capsys, "export", "--format", "hsds", "--out", str(target))
    assert code == 1
    assert err.strip() == f"Fout: {target} is een bestand; HSDS schrijft een map met CSV-bestanden"
    assert target.read_text() == "x"


# --- the command itself: version, help, serve, log lines ----------------------------------


def test_version_is_the_one_in_pyproject(capsys):
    version = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    with pytest.raises(SystemExit) as exit_:
        main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"wijkmap {version}\n"


def test_python_m_wijkmap_still_works(tmp_path):
    done = run(tmp_path / "geen.gpkg", "--version")
    assert done.returncode == 0 and done.stdout.startswith("wijkmap ")


def _parsers(parser) -> list:
    """The parser and those of its subcommands."""
    found = [parser]
    for action in parser._actions:
        if action.choices and isinstance(action.choices, dict):
            for sub in action.choices.values():
                found.extend(_parsers(sub))
    return found


def test_every_command_and_option_has_dutch_help_and_an_example():
    parsers = _parsers(wcli.parser())
    assert [p.prog for p in parsers] == [
        "wijkmap",
        "wijkmap serve",
        "wijkmap build-data",
        "wijkmap import",
        "wijkmap imports",
        "wijkmap import-osm",
        "wijkmap sjabloon",
        "wijkmap export",
        "wijkmap export-gebieden",
        "wijkmap rapport",
        "wijkmap import-gebieden",
        "wijkmap fetch",
        "wijkmap fetch cbs",
        "wijkmap fetch gebieden",
        "wijkmap store",
        "wijkmap store copy",
        "wijkmap gebruiker",
        "wijkmap gebruiker toevoegen",
        "wijkmap gebruiker verwijderen",
        "wijkmap gebruiker lijst",
    ]
    for parser in parsers:
        assert parser.description, parser.prog
        assert "voorbeelden:" in parser.epilog and f"{parser.prog}" in parser.epilog, parser.prog
        for action in parser._actions:
            assert action.help and action.help != "==SUPPRESS==", (parser.prog, action.dest)
            assert "show" not in action.help and "message" not in action.help, (parser.prog, action.help)
        text = parser.format_help()
        assert "options:" not in text and "positional arguments" not in text, parser.prog


def test_usage_errors_are_dutch_and_exit_2(capsys):
    for args, message in [
        ([], "deze argumenten ontbreken: OPDRACHT"),
        (["opruimen"], "argument OPDRACHT: ongeldige keuze 'opruimen'"),
        (["export", "--out", "x.csv"], "deze argumenten ontbreken: --format"),
        (["export", "--format", "xls", "--out", "x"], "argument --format: ongeldige keuze 'xls' (kies uit"),
        (["import", "a.csv", "b.csv"], "onbekende argumenten: b.csv"),
    ]:
        with pytest.raises(SystemExit) as exit_:
            main(args)
        assert exit_.value.code == 2
        err = capsys.readouterr().err
        assert err.startswith("usage: wijkmap") and message in err, (args, err)


def test_serve_runs_streamlit_on_the_app_from_the_repository(tmp_path):
    launch = wcli.serve_launch(["--server.port", "8599"], environ={"WIJKMAP_TILES": "none"})
    assert launch.command == [sys.executable, "-m", "wijkmap.server", str(REPO / "app.py"), "--server.port", "8599"]
    # From the repository, so Streamlit finds .streamlit/config.toml and secrets.toml.
    assert launch.cwd == REPO and (launch.cwd / ".streamlit" / "config.toml").is_file()
    assert launch.env == {"WIJKMAP_TILES": "none"}


def test_serve_makes_a_relative_store_absolute(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    launch = wcli.serve_launch([], environ={"WIJKMAP_STORE": "mijn.gpkg"})
    assert launch.env["WIJKMAP_STORE"] == str(tmp_path / "mijn.gpkg")


def test_serve_passes_everything_after_it_to_streamlit(store, monkeypatch, capsys):
    started = []
    monkeypatch.setattr(wcli, "_start", lambda launch: started.append(launch) or 0)
    assert main(["serve", "--server.port", "8599", "--server.headless=true"]) == 0
    assert main(["-v", "serve", "--", "--server.port", "8600"]) == 0
    assert [launch.command[4:] for launch in started] == [
        ["--server.port", "8599", "--server.headless=true"],
        ["--server.port", "8600"],
    ]
    assert started[0].env["WIJKMAP_STORE"] == str(store)
    err = capsys.readouterr().err
    assert "INFO wijkmap.cli: streamlit starten in" in err and err.count("streamlit starten") == 1  # -v only


def test_serve_without_the_app_says_where_it_looked(tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(wcli, "REPO_ROOT", tmp_path)  # as in site-packages: no app.py beside it
    code, out, err = cli(capsys, "serve")
    assert code == 1 and out == ""
    assert err.startswith(f"Fout: De app ({tmp_path / 'app.py'}) is niet gevonden.")
    assert "pip install -r requirements.txt" in err


def test_serve_warns_when_there_is_no_store_yet(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("WIJKMAP_STORE", str(tmp_path / "nog-niet.gpkg"))
    monkeypatch.setattr(wcli, "_start", lambda launch: 0)
    code, _, err = cli(capsys, "serve")
    assert code == 0
    assert (
        err
        == f"Let op: er is nog geen gegevensbestand op {tmp_path / 'nog-niet.gpkg'}. Maak het met: wijkmap build-data\n"
    )


def test_commands_are_quiet_by_default_and_tell_their_steps_with_verbose(store, tmp_path, capsys):
    register = write(tmp_path, "register.csv", REGISTER)
    code, _, err = cli(capsys, "import", str(register), "--dry-run")
    assert code == 0 and err == ""
    code, _, err = cli(capsys, "import", str(register), "-v")
    assert code == 0
    lines = err.splitlines()
    assert "INFO wijkmap.data.sources.register: register register.csv gelezen: 3 rij(en), 8 kolommen" in lines
    assert "INFO wijkmap.data.store: records geschreven: 3 nieuw, 0 bijgewerkt" in lines
    assert all(line.startswith("INFO wijkmap") for line in lines), lines
    assert "Huiskamer Dom" not in err  # counts, never the rows' values
