"""Official boundaries imported from files: every format users download, water, repairs,
every error path, the merge per gemeente and the build reading the imported layers.

The files are made here from the bundled 2015 boundaries of Deventer (GM0150) and
Zwolle (GM0193), renamed and reprojected the way CBS publishes later editions.
"""

from __future__ import annotations

import functools
import json
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
import shapely
from shapely.geometry import Polygon

from wijkmap.config import RD_NEW, REPO_ROOT
from wijkmap.data.sources import cbs, gebieden

BUNDLED = REPO_ROOT / "data" / "sources" / cbs.CBS_DIR / "wijkbuurtkaart-2015-tno"
DEVENTER, ZWOLLE = "GM0150", "GM0193"
NEW_NAMES = {
    "buurt": {"BU_CODE": "buurtcode", "BU_NAAM": "buurtnaam", "WK_CODE": "wijkcode", "GM_CODE": "gemeentecode",
              "GM_NAAM": "gemeentenaam"},
    "wijk": {"WK_CODE": "wijkcode", "WK_NAAM": "wijknaam", "GM_CODE": "gemeentecode", "GM_NAAM": "gemeentenaam"},
    "gemeente": {"GM_CODE": "gemeentecode", "GM_NAAM": "gemeentenaam"},
}  # fmt: skip


def bundled(niveau: str, gemeenten: tuple[str, ...] = (DEVENTER,)) -> gpd.GeoDataFrame:
    """The 2015 areas of `gemeenten` with the fields of the 2015 edition (BU_CODE, ...):
    a fresh copy each call, so a test may change it."""
    return _read_bundled(niveau, tuple(gemeenten)).copy()


@functools.cache
def _read_bundled(niveau: str, gemeenten: tuple[str, ...]) -> gpd.GeoDataFrame:
    """Read once per module run: GDAL parses the whole national GeoJSON (18 MB for the
    buurten) for every read, however few areas the filter keeps, and most tests here
    start from the same file."""
    columns = list(NEW_NAMES[niveau])
    listed = ", ".join(f"'{code}'" for code in gemeenten)
    frame = pyogrio.read_dataframe(BUNDLED / f"{niveau}_2015.geojson", columns=columns, where=f"GM_CODE IN ({listed})")
    return frame.sort_values(columns[0], ignore_index=True)


def new_style(niveau: str, gemeenten: tuple[str, ...] = (DEVENTER,)) -> gpd.GeoDataFrame:
    """As in a recent wijk- en buurtkaart: new field names, RD New, a water field."""
    frame = bundled(niveau, gemeenten).rename(columns=NEW_NAMES[niveau]).to_crs(RD_NEW)
    frame["water"] = "NEE"
    return frame


@pytest.fixture(scope="module")
def deventer() -> dict[str, gpd.GeoDataFrame]:
    return {niveau: bundled(niveau) for niveau in gebieden.NIVEAUS}


def write(frame: gpd.GeoDataFrame, path: Path, layer: str | None = None, **kwargs) -> Path:
    pyogrio.write_dataframe(frame, path, layer=layer, **kwargs)
    return path


def rd_area(frame: gpd.GeoDataFrame) -> pd.Series:
    return frame.to_crs(RD_NEW).set_index("code").geometry.area


# --- formats ---------------------------------------------------------------------------------


def test_geopackage_with_new_names_and_three_layers(tmp_path, deventer):
    path = tmp_path / "wijkenbuurten_2024.gpkg"
    for niveau, layer in (("buurt", "buurten"), ("wijk", "wijken"), ("gemeente", "gemeenten")):
        write(new_style(niveau), path, layer=layer)
    levels = gebieden.read_files([path], 2024)
    assert set(levels) == {"buurt", "wijk", "gemeente"}
    buurten = levels["buurt"].areas
    assert list(buurten.columns) == cbs.AREA_COLUMNS
    assert buurten.crs.to_epsg() == 4326
    assert list(buurten["code"]) == list(deventer["buurt"]["BU_CODE"])
    assert list(buurten["naam"]) == list(deventer["buurt"]["BU_NAAM"])
    assert set(buurten["niveau"]) == {"buurt"} and set(buurten["jaar"]) == {2024}
    assert set(buurten["gemeentecode"]) == {DEVENTER}
    assert list(buurten["wijkcode"]) == list(deventer["buurt"]["WK_CODE"])
    original = rd_area(deventer["buurt"].rename(columns={"BU_CODE": "code"}))
    pd.testing.assert_series_equal(rd_area(buurten), original, rtol=1e-6, check_names=False)
    gemeente = levels["gemeente"].areas
    assert list(gemeente["code"]) == [DEVENTER] and gemeente["wijkcode"].isna().all()
    assert list(levels["wijk"].areas["code"]) == list(deventer["wijk"]["WK_CODE"])


def test_geopackage_with_old_names_buurten_only(tmp_path, deventer):
    path = write(deventer["buurt"].to_crs(RD_NEW), tmp_path / "buurt_2015.gpkg", layer="cbs_buurten_2015")
    levels = gebieden.read_files([path], 2015)
    assert set(levels) == {"buurt"}
    assert list(levels["buurt"].areas["code"]) == list(deventer["buurt"]["BU_CODE"])
    assert levels["buurt"].water.empty


def test_separate_files_for_each_level(tmp_path):
    buurten = write(new_style("buurt"), tmp_path / "buurten.gpkg")
    wijken = write(new_style("wijk"), tmp_path / "wijken.gpkg")
    assert set(gebieden.read_files([buurten, wijken], 2024)) == {"buurt", "wijk"}


def test_geojson_with_statcode_takes_its_level_from_the_codes(tmp_path, deventer):
    wijken = deventer["wijk"].rename(columns={"WK_CODE": "statcode", "WK_NAAM": "statnaam"})[
        ["statcode", "statnaam", "geometry"]
    ]
    path = write(wijken, tmp_path / "wijk_2023.geojson", driver="GeoJSON")
    levels = gebieden.read_files([path], 2023)
    assert set(levels) == {"wijk"}
    assert list(levels["wijk"].areas["code"]) == list(deventer["wijk"]["WK_CODE"])
    assert set(levels["wijk"].areas["gemeentecode"]) == {DEVENTER}


def test_geojson_with_statcode_and_name_as_the_cartomap_files_have(tmp_path, deventer):
    frame = deventer["gemeente"].rename(columns={"GM_CODE": "statcode", "GM_NAAM": "name"})
    path = write(frame[["statcode", "name", "geometry"]], tmp_path / "gemeente_2023.geojson", driver="GeoJSON")
    assert list(gebieden.read_files([path], 2023)["gemeente"].areas["naam"]) == ["Deventer"]


def test_a_real_gebiedsindeling_reads_as_the_bundled_layer():
    """The cartomap wijken 2024 (statcode, name; rounded coordinates with self-intersections)."""
    path = BUNDLED.parent / "cartomap-generalized" / "wijk_2024.geojson"
    result = gebieden.read_files([path], 2024)["wijk"]
    assert (len(result.areas), result.repaired) == (3393, 21)
    bundled_layer = cbs.read_area_file(path, cbs.AREA_FILES["wijk_2024"])
    assert list(result.areas["code"]) == list(bundled_layer["code"])
    assert list(result.areas["gemeentecode"]) == list(bundled_layer["gemeentecode"])


TOPOLOGY = {
    # Two squares in RD New sharing one edge (arc 0), without a CRS, as the generalised
    # gebiedsindelingen are published in their rd/ folder.
    "type": "Topology",
    "objects": {
        "gemeente_2024": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"statcode": "GM0150", "statnaam": "Deventer"}},
                {"type": "Polygon", "arcs": [[-1, 2]], "properties": {"statcode": "GM0193", "statnaam": "Zwolle"}},
            ],
        }
    },
    "arcs": [
        [[200000, 470000], [200000, 480000]],
        [[200000, 480000], [190000, 480000], [190000, 470000], [200000, 470000]],
        [[200000, 470000], [210000, 470000], [210000, 480000], [200000, 480000]],
    ],
}


def test_topojson_in_rd_new_without_a_crs(tmp_path):
    path = tmp_path / "gemeente_2024.topojson"
    path.write_text(json.dumps(TOPOLOGY), encoding="utf-8")
    areas = gebieden.read_files([path], 2024)["gemeente"].areas
    assert list(areas["code"]) == [DEVENTER, ZWOLLE]
    assert list(areas["naam"]) == ["Deventer", "Zwolle"]
    west, south, east, north = areas.total_bounds
    assert 5.8 < west < east < 6.3 and 52.1 < south < north < 52.4  # RD New read as such, not as degrees
    assert rd_area(areas).round(-3).tolist() == [100_000_000, 100_000_000]


def test_zipped_shapefile_in_a_folder(tmp_path, deventer):
    folder = tmp_path / "shape"
    folder.mkdir()
    write(deventer["buurt"].to_crs(RD_NEW), folder / "buurt_2019_v3.shp")
    archive = tmp_path / "WijkBuurtkaart_2019_v3.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for part in folder.iterdir():
            packed.write(part, f"WijkBuurtkaart_2019_v3/{part.name}")
    levels = gebieden.read_files([archive], 2019)
    assert list(levels["buurt"].areas["code"]) == list(deventer["buurt"]["BU_CODE"])
    assert levels["buurt"].origins == ["WijkBuurtkaart_2019_v3.zip/WijkBuurtkaart_2019_v3/buurt_2019_v3.shp"]


def test_a_zip_with_the_kaart_in_several_formats_reads_one(tmp_path, deventer):
    folder = tmp_path / "kaart"
    (folder / "SHP").mkdir(parents=True)
    write(deventer["buurt"].to_crs(RD_NEW), folder / "SHP" / "buurt_2021_v1.shp")
    write(new_style("buurt"), folder / "wijkenbuurten_2021_v1.gpkg", layer="buurten")
    archive = tmp_path / "WijkBuurtkaart_2021_v1.zip"
    with zipfile.ZipFile(archive, "w") as packed:
        for part in folder.rglob("*"):
            if part.is_file():
                packed.write(part, part.relative_to(folder).as_posix())
        packed.writestr("kwb-2021.csv", "gwb_code;a_inw\n")
    levels = gebieden.read_files([archive], 2021)
    assert levels["buurt"].origins == ["WijkBuurtkaart_2021_v1.zip/wijkenbuurten_2021_v1.gpkg"]
    assert len(levels["buurt"].areas) == len(deventer["buurt"])


def test_water_areas_are_kept_apart(tmp_path):
    frame = new_style("buurt")
    frame.loc[3, "water"] = "JA"
    frame.loc[5, "water"] = "B"  # Belgian territory around Baarle-Nassau
    levels = gebieden.read_files([write(frame, tmp_path / "b.gpkg")], 2024)
    assert list(levels["buurt"].water["code"]) == list(frame.loc[[3, 5], "buurtcode"])
    assert not set(levels["buurt"].water["code"]) & set(levels["buurt"].areas["code"])
    assert len(levels["buurt"].areas) == len(frame) - 2


def test_invalid_geometry_is_repaired_and_counted(tmp_path):
    frame = new_style("buurt")
    x, y = frame.geometry.iloc[0].representative_point().coords[0]
    frame.loc[0, "geometry"] = Polygon([(x, y), (x + 100, y + 100), (x + 100, y), (x, y + 100), (x, y)])  # a bow tie
    result = gebieden.read_files([write(frame, tmp_path / "b.gpkg")], 2024)["buurt"]
    assert result.repaired == 1
    assert shapely.is_valid(result.areas.geometry.to_numpy()).all()
    assert result.areas.geometry.iloc[0].geom_type == "MultiPolygon"


def test_only_the_gemeenten_asked_for(tmp_path):
    path = write(new_style("buurt", (DEVENTER, ZWOLLE)), tmp_path / "b.gpkg")
    levels = gebieden.read_files([path], 2024, gemeenten=[ZWOLLE])
    assert set(levels["buurt"].areas["gemeentecode"]) == {ZWOLLE}


# --- errors -------------------------------------------------------------------------------------


def refused(paths, jaar=2024, **kwargs) -> str:
    with pytest.raises(gebieden.GebiedenError) as caught:
        gebieden.read_files(paths, jaar, **kwargs)
    return str(caught.value)


def test_a_malformed_code_names_file_layer_feature_and_field(tmp_path):
    frame = new_style("buurt")
    frame.loc[4, "buurtcode"] = "BU015001"
    message = refused([write(frame, tmp_path / "b.gpkg", layer="buurten")])
    assert message.startswith("b.gpkg, laag buurten, gebied 5 (code 'BU015001'), veld buurtcode:")
    assert "BU + 8 tekens" in message


def test_a_code_of_another_level(tmp_path):
    frame = new_style("buurt")
    frame.loc[0, "buurtcode"] = "WK015001"
    assert "gebied 1 (code 'WK015001'), veld buurtcode: 'WK015001' is geen buurtcode" in refused(
        [write(frame, tmp_path / "b.gpkg")]
    )


def test_a_buurt_whose_gemeente_field_says_another_gemeente(tmp_path):
    frame = new_style("buurt")
    frame.loc[2, "gemeentecode"] = ZWOLLE
    message = refused([write(frame, tmp_path / "b.gpkg")])
    assert (
        f"gebied 3 (code '{frame.loc[2, 'buurtcode']}'), veld gemeentecode: '{ZWOLLE}' past niet bij de code" in message
    )


def test_a_buurt_whose_wijk_field_says_another_wijk(tmp_path):
    frame = new_style("buurt")
    frame.loc[0, "wijkcode"] = "WK015099"
    assert "veld wijkcode: 'WK015099' past niet bij de code" in refused([write(frame, tmp_path / "b.gpkg")])


def test_a_duplicate_code(tmp_path):
    frame = new_style("buurt")
    frame.loc[6, "buurtcode"] = frame.loc[1, "buurtcode"]
    frame.loc[6, "wijkcode"] = frame.loc[1, "wijkcode"]
    assert (
        "gebied 7" in (message := refused([write(frame, tmp_path / "b.gpkg")]))
        and "dezelfde code als gebied 2" in message
    )


def test_the_same_code_in_two_files(tmp_path):
    first = write(new_style("buurt"), tmp_path / "a.gpkg")
    second = write(new_style("buurt"), tmp_path / "b.gpkg")
    assert "staat ook in a.gpkg" in refused([first, second])


def test_a_statcode_layer_mixing_levels(tmp_path, deventer):
    frame = deventer["wijk"].rename(columns={"WK_CODE": "statcode", "WK_NAAM": "statnaam"})
    frame.loc[1, "statcode"] = DEVENTER
    path = write(frame[["statcode", "statnaam", "geometry"]], tmp_path / "w.geojson", driver="GeoJSON")
    assert "gebied 2 (code 'GM0150'), veld statcode: geen WK-code zoals de eerste" in refused([path])


def test_a_layer_without_code_fields(tmp_path):
    frame = new_style("buurt").rename(columns={"buurtcode": "code", "buurtnaam": "naam"})
    message = refused([write(frame, tmp_path / "b.gpkg", layer="buurten")])
    # not read as the gemeente its gemeentecode names
    assert message.startswith("b.gpkg, laag buurten: veld wijkcode zonder veld wijknaam; gezocht: buurtcode/buurtnaam")
    other = new_style("buurt")[["geometry"]].assign(soort="buurt")
    message = refused([write(other, tmp_path / "c.gpkg", layer="vlakken")])
    assert message.startswith("c.gpkg, laag vlakken: geen velden voor code en naam gevonden; gezocht:")


def test_a_geometry_with_no_area_left(tmp_path):
    frame = new_style("buurt")
    x, y = frame.geometry.iloc[0].representative_point().coords[0]
    frame.loc[0, "geometry"] = Polygon([(x, y), (x, y), (x, y), (x, y)])  # a ring collapsed to a point
    message = refused([write(frame, tmp_path / "b.gpkg")])
    assert "gebied 1" in message and "veld geometrie: geen vlak over na herstel" in message


def test_a_missing_geometry(tmp_path):
    frame = new_style("buurt")
    frame.loc[1, "geometry"] = None
    assert "gebied 2" in (message := refused([write(frame, tmp_path / "b.gpkg")])) and "geen geometrie" in message


def test_a_file_without_a_crs_in_unknown_coordinates(tmp_path):
    path = write(bundled("buurt").to_crs("EPSG:3857"), tmp_path / "b.shp")
    path.with_suffix(".prj").unlink()
    assert "noemt geen coördinatenstelsel" in refused([path])


def test_not_found_unreadable_and_without_layers(tmp_path):
    assert "bestand niet gevonden" in refused([tmp_path / "absent.gpkg"])
    broken = tmp_path / "broken.gpkg"
    broken.write_bytes(b"no GeoPackage at all")
    assert refused([broken]).startswith("broken.gpkg: kan het bestand niet lezen")
    empty_zip = tmp_path / "empty.zip"
    with zipfile.ZipFile(empty_zip, "w") as packed:
        packed.writestr("LEESMIJ.txt", "geen kaart")
    assert "geen shapefile" in refused([empty_zip])
    not_zip = tmp_path / "kapot.zip"
    not_zip.write_bytes(b"PK no zip")
    assert "geen geldig zip-bestand" in refused([not_zip])


def test_limits(tmp_path, monkeypatch):
    path = write(new_style("buurt"), tmp_path / "b.gpkg")
    monkeypatch.setattr(gebieden, "GEBIEDEN_MAX_FEATURES", 10)
    assert "68 gebieden, meer dan de grens van 10" in refused([path])
    monkeypatch.setattr(gebieden, "GEBIEDEN_MAX_FILE_BYTES", 1000)
    assert "meer dan de grens van 1,000 bytes" in refused([path])


def test_a_gemeente_not_in_the_file_and_a_year_out_of_range(tmp_path):
    path = write(new_style("buurt"), tmp_path / "b.gpkg")
    assert "geen gebieden van gemeente GM0193" in refused([path], gemeenten=[ZWOLLE])
    assert "--jaar 1850" in refused([path], jaar=1850)


# --- the files under data/sources/gebieden, and the build -----------------------------------------


def test_merge_per_gemeente(tmp_path):
    sources = tmp_path / "sources"
    deventer_file = write(new_style("buurt"), tmp_path / "deventer.gpkg")
    zwolle = new_style("buurt", (ZWOLLE,))
    zwolle.loc[0, "water"] = "JA"
    zwolle_file = write(zwolle, tmp_path / "zwolle.gpkg")
    gebieden.import_gebieden([zwolle_file], 2024, sources, None)
    summary = gebieden.import_gebieden([deventer_file], 2024, sources, None)
    (level,) = summary.levels
    assert (level.name, level.areas, level.gemeenten, level.total_gemeenten) == ("buurt_2024", 68, 1, 2)
    target = sources / "gebieden" / "buurt_2024.gpkg"
    stored = gebieden.read_imported(target)
    assert set(stored["gemeentecode"]) == {DEVENTER, ZWOLLE}
    assert list(gebieden.read_imported(target, "water")["code"]) == [zwolle.loc[0, "buurtcode"]]

    fewer = write(new_style("buurt").iloc[:10], tmp_path / "deventer_klein.gpkg")
    gebieden.import_gebieden([fewer], 2024, sources, None)
    stored = gebieden.read_imported(target)
    assert (stored["gemeentecode"] == DEVENTER).sum() == 10
    assert (stored["gemeentecode"] == ZWOLLE).sum() == len(zwolle) - 1
    assert list(stored["code"]) == sorted(stored["code"])
    provenance = json.loads((sources / "gebieden" / "buurt_2024.json").read_text(encoding="utf-8"))
    assert provenance["laag"] == "buurt_2024" and provenance["jaar"] == 2024
    assert provenance["gemeenten"][DEVENTER]["bron"] == "deventer_klein.gpkg"
    assert provenance["gemeenten"][DEVENTER]["gebieden"] == 10
    assert provenance["gemeenten"][ZWOLLE] | {"geimporteerd": None} == {
        "bron": "zwolle.gpkg", "geimporteerd": None, "gebieden": len(zwolle) - 1, "water": 1,
    }  # fmt: skip
    assert sorted(path.name for path in (sources / "gebieden").glob("[!.]*")) == ["buurt_2024.gpkg", "buurt_2024.json"]
    assert sorted(path.name for path in (sources / "gebieden").glob(".*")) == [".lock"]  # no temporaries left


def test_two_imports_at_once_keep_both_gemeenten(tmp_path):
    sources = tmp_path / "sources"
    files = [write(new_style("buurt", (code,)), tmp_path / f"{code}.gpkg") for code in (DEVENTER, ZWOLLE)]

    def slow_rebuild():
        time.sleep(0.5)  # the window in which the other import would read the old layer

    with ThreadPoolExecutor(2) as pool:
        list(pool.map(lambda path: gebieden.import_gebieden([path], 2024, sources, slow_rebuild), files))
    stored = gebieden.read_imported(sources / "gebieden" / "buurt_2024.gpkg")
    assert set(stored["gemeentecode"]) == {DEVENTER, ZWOLLE}


def folder_state(folder: Path) -> dict[str, bytes]:
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir())} if folder.exists() else {}


def test_an_error_in_a_second_file_writes_nothing(tmp_path):
    sources = tmp_path / "sources"
    gebieden.import_gebieden([write(new_style("buurt"), tmp_path / "a.gpkg")], 2024, sources, None)
    before = folder_state(sources / "gebieden")
    bad = new_style("wijk", (ZWOLLE,))
    bad.loc[0, "wijkcode"] = "WK01"
    with pytest.raises(gebieden.GebiedenError):
        gebieden.import_gebieden(
            [write(new_style("buurt", (ZWOLLE,)), tmp_path / "b.gpkg"), write(bad, tmp_path / "c.gpkg")],
            2024,
            sources,
            None,
        )
    assert folder_state(sources / "gebieden") == before


def test_a_failed_rebuild_puts_the_files_back(tmp_path):
    sources = tmp_path / "sources"
    gebieden.import_gebieden([write(new_style("buurt"), tmp_path / "a.gpkg")], 2024, sources, None)
    before = folder_state(sources / "gebieden")

    def failing_rebuild():
        raise OSError("schijf vol")

    both = write(new_style("buurt", (DEVENTER, ZWOLLE)), tmp_path / "b.gpkg")
    write(new_style("wijk", (DEVENTER, ZWOLLE)), both, layer="wijken")
    with pytest.raises(OSError, match="schijf vol"):
        gebieden.import_gebieden([both], 2024, sources, failing_rebuild)
    assert folder_state(sources / "gebieden") == before


def test_add_imported_replaces_bundled_areas_of_the_gemeenten_it_covers(tmp_path):
    sources = tmp_path / "sources"
    gebieden.import_gebieden([write(new_style("buurt").iloc[:5], tmp_path / "a.gpkg")], 2015, sources, None)
    gebieden.import_gebieden([write(new_style("wijk"), tmp_path / "w.gpkg")], 2024, sources, None)
    (sources / "gebieden" / ".buurt_2015.tmp-1-ab.gpkg").write_bytes(b"left by a killed import")
    bundled_areas = {"buurt_2015": cbs.read_area_file(BUNDLED / "buurt_2015.geojson", cbs.AREA_FILES["buurt_2015"])}
    combined = gebieden.add_imported(bundled_areas, sources)
    assert set(combined) == {"buurt_2015", "wijk_2024"}
    buurten = combined["buurt_2015"]
    assert (buurten["gemeentecode"] == DEVENTER).sum() == 5
    others = bundled_areas["buurt_2015"][bundled_areas["buurt_2015"]["gemeentecode"] != DEVENTER]
    assert len(buurten) == len(others) + 5
    assert list(buurten.columns) == cbs.AREA_COLUMNS and list(buurten["code"]) == sorted(buurten["code"])
    assert set(combined["wijk_2024"]["niveau"]) == {"wijk"} and combined["wijk_2024"]["wijkcode"].notna().all()
