"""The store as a gemeente's GIS team opens it: PDOK's GeoPackage rules, and their edits honoured.

QGIS edits a GeoPackage through GDAL, so the edits here are made with GDAL's own Python
bindings (Debian's python3-gdal, the GDAL of QGIS 3.22) in a separate process, and the
files are checked with PDOK's validator (`pdok-geopackage-validator`); both live in
.venv-gdal, which scripts/test installs. Run through scripts/test, a missing .venv-gdal
fails these tests instead of skipping them.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import textwrap
from contextlib import closing
from pathlib import Path

import pytest
import shapely

from tests.contributions.test_model import T0, submitted
from wijkmap import cli
from wijkmap.config import REPO_ROOT
from wijkmap.contributions import checks, inbox
from wijkmap.data import export, placement, store as wstore


def _gdal_tool(name: str) -> Path:
    required = os.environ.get("WIJKMAP_GDAL_VENV")
    tool = Path(required or REPO_ROOT / ".venv-gdal") / "bin" / name
    if not tool.exists():
        message = f"{tool} ontbreekt: `bash scripts/test` installeert GDAL en PDOK's validator"
        if required:
            pytest.fail(message)
        pytest.skip(message)
    return tool


def validation(path: Path) -> dict:
    """PDOK's validator's report on `path` (its JSON)."""
    run = subprocess.run(
        [_gdal_tool("geopackage-validator"), "validate", "--gpkg-path", str(path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    return json.loads(run.stdout[run.stdout.index("{") :])


def assert_passes_pdok(path: Path) -> None:
    report = validation(path)
    assert report["success"], report["results"]
    assert report["results"] == []  # no recommendation (RC20 ring order) and no GDAL warning either


def edit_with_gdal(path: Path, script: str) -> None:
    """Run `script` with `layer` = the records layer of `path`, opened for update by GDAL."""
    program = (
        "from osgeo import gdal, ogr\ngdal.UseExceptions()\n"
        f"ds = ogr.Open({str(path)!r}, update=1)\nlayer = ds.GetLayerByName('voorzieningen')\n"
        + textwrap.dedent(script)
        + "\nds = None\n"
    )
    subprocess.run([_gdal_tool("python"), "-c", program], check=True, timeout=60)


@pytest.fixture
def places(store):
    return checks.StorePlaces(store)


def rtree_and_extent(path: Path) -> tuple[int, tuple, tuple]:
    with closing(sqlite3.connect(path)) as connection:
        indexed = connection.execute(f"SELECT COUNT(*) FROM rtree_{wstore.RECORDS}_geom").fetchone()[0]
        extent = connection.execute(
            "SELECT min_x, min_y, max_x, max_y FROM gpkg_contents WHERE table_name = ?", (wstore.RECORDS,)
        ).fetchone()
        truth = connection.execute(f"SELECT MIN(lon), MIN(lat), MAX(lon), MAX(lat) FROM {wstore.RECORDS}").fetchone()
    return indexed, extent, truth


def assert_index_and_extent_true(path: Path) -> None:
    indexed, extent, truth = rtree_and_extent(path)
    assert indexed == len(wstore.read_records(path))
    # the R-tree holds 32-bit floats, rounded outwards: within a metre of the records' own box
    assert extent == pytest.approx(truth, abs=1e-5)
    assert extent[0] <= truth[0] and extent[1] <= truth[1] and extent[2] >= truth[2] and extent[3] >= truth[3]


def test_a_fresh_store_passes_pdoks_rules(store):
    assert_passes_pdok(store)


def test_the_store_and_its_export_pass_after_an_import_and_a_contribution(store, places, tmp_path, capsys):
    register = tmp_path / "register.csv"
    register.write_text(
        "naam;soort;lat;lon\nBuurthuis Oost;buurthuis;52.0907;5.1300\nBieb Noord;bibliotheek;52.1100;5.1100\n",
        encoding="utf-8",
    )
    assert cli.main(["import", str(register), "--bron", "Register Utrecht"]) == 0
    inbox.approve(submitted(places, store), "Anna", store, now=T0)
    assert_passes_pdok(store)
    exported = tmp_path / "voorzieningen.gpkg"
    assert cli.main(["export", "--format", "gpkg", "--out", str(exported)]) == 0
    assert_passes_pdok(exported)


def test_the_statistics_export_as_geopackage_passes(store, tmp_path):
    exported = tmp_path / "buurten.gpkg"
    arguments = ["--niveau", "buurt", "--jaar", "2015", "--gemeente", "GM0344", "--format", "gpkg", "--out"]
    assert cli.main(["export-gebieden", *arguments, str(exported)]) == 0
    assert_passes_pdok(exported)


def test_every_write_keeps_the_spatial_index_and_the_extent_true(store):
    assert_index_and_extent_true(store)
    far = wstore.read_records(store).iloc[:1].assign(id="ver-weg", lon=7.2, lat=53.5)
    wstore.upsert_records(far, store)  # the box grows to the north-east
    assert_index_and_extent_true(store)
    assert rtree_and_extent(store)[1][2] == pytest.approx(7.2, abs=1e-5)
    with wstore.transaction(store) as connection:
        wstore.delete_records(["ver-weg"], connection)  # and shrinks back
    assert_index_and_extent_true(store)
    assert rtree_and_extent(store)[1][2] < 7.0


def test_area_rings_run_counter_clockwise_and_the_file_is_geopackage_1_3(store):
    for layer in wstore.area_layers(store):
        areas = wstore.read_areas(layer, path=store)
        polygons = shapely.get_parts(areas.geometry.to_numpy())
        assert all(shapely.is_ccw(shapely.get_exterior_ring(polygons))), layer
    with closing(sqlite3.connect(store)) as connection:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 10300


def test_a_point_moved_and_renamed_in_gdal_shows_moved_in_the_app_and_the_export(store):
    before = wstore.read_records(store).set_index("id").loc["vb-0001"]
    assert before["gemeentecode"] == "GM0344"
    edit_with_gdal(
        store,
        """
        layer.SetAttributeFilter("id = 'vb-0001'")
        feature = layer.GetNextFeature()
        feature.SetGeometry(ogr.CreateGeometryFromWkt('POINT (4.4777 51.9244)'))  # Rotterdam centre
        feature.SetField('naam', 'Hernoemd in QGIS')
        layer.SetFeature(feature)
        """,
    )
    moved = placement.complete(wstore.read_records(store), store).set_index("id").loc["vb-0001"]
    assert (moved["lon"], moved["lat"]) == (4.4777, 51.9244)
    assert moved["naam"] == "Hernoemd in QGIS"
    assert moved["gemeentecode"] == "GM0599" and moved["buurtcode"].startswith("BU0599")
    exported = export.export_table(placement.complete(wstore.read_records(store), store)).set_index("id")
    assert exported.loc["vb-0001", ["lon", "lat", "gemeentecode"]].tolist() == [4.4777, 51.9244, "GM0599"]
    assert_index_and_extent_true(store)


def test_the_kaart_page_lists_a_record_moved_into_another_gemeente_under_its_new_name(store):
    from streamlit.testing.v1 import AppTest

    edit_with_gdal(
        store,
        """
        layer.SetAttributeFilter("id = 'vb-0001'")
        feature = layer.GetNextFeature()
        feature.SetGeometry(ogr.CreateGeometryFromWkt('POINT (4.4777 51.9244)'))
        feature.SetField('naam', 'Hernoemd in QGIS')
        layer.SetFeature(feature)
        """,
    )
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    app.query_params["gemeente"] = "GM0599"
    app.run()
    assert not app.exception, [e.value for e in app.exception]
    names = set().union(*(set(frame.value.get("Naam", [])) for frame in app.dataframe))
    assert "Hernoemd in QGIS" in names


def test_a_feature_added_in_gdal_without_id_source_or_buurt_is_completed(store, tmp_path):
    edit_with_gdal(
        store,
        """
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField('naam', 'Nieuw in QGIS')
        feature.SetField('soort', 'buurthuis')
        feature.SetGeometry(ogr.CreateGeometryFromWkt('POINT (5.1100 52.0800)'))
        layer.CreateFeature(feature)
        """,
    )
    records = placement.complete(wstore.read_records(store), store)
    added = records[records["naam"] == "Nieuw in QGIS"].iloc[0]
    assert added["id"].startswith(wstore.GIS_ID_PREFIX) and added["bron"] == wstore.GIS_BRON
    assert added["gemeentecode"] == "GM0344" and added["buurtcode"].startswith("BU0344")
    out = tmp_path / "utrecht.csv"
    assert cli.main(["export", "--gemeente", "GM0344", "--format", "csv", "--out", str(out)]) == 0
    assert "Nieuw in QGIS" in out.read_text(encoding="utf-8-sig")
    assert_passes_pdok(store)


def test_a_feature_without_geometry_is_left_out_not_half_shown(store, caplog):
    edit_with_gdal(
        store,
        """
        feature = ogr.Feature(layer.GetLayerDefn())
        feature.SetField('naam', 'Zonder plek')
        layer.CreateFeature(feature)
        """,
    )
    records = wstore.read_records(store)
    assert "Zonder plek" not in set(records["naam"])
    assert "zonder geometrie" in caplog.text
