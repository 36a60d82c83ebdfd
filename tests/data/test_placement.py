"""A newer buurt indeling for one gemeente: which layer a map uses, where records are
placed, and how Verandering tells a moved boundary.

The store is the small store plus a made-up `buurt_2024` for Utrecht only: its 2015
buurten with one boundary moved (half of the buurt with the most records goes to a
neighbour) and one code renamed, and 2024 figures for the renamed code instead of the
old one. Rotterdam and Amsterdam have no newer buurten.
"""

from __future__ import annotations

import shutil

import geopandas as gpd
import pandas as pd
import pytest
import shapely

from wijkmap.change import model as change
from wijkmap.core import analysis, indeling
from wijkmap.data import placement, store as wstore

UTRECHT, ROTTERDAM = "GM0344", "GM0599"
RENAMED = "BU03449999"


@pytest.fixture(scope="module")
def indeling_2024(small_store_path, tmp_path_factory):
    """The store with a buurt_2024 for Utrecht, and what was changed in it."""
    path = tmp_path_factory.mktemp("indeling-2024") / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    records = wstore.read_records(path)
    buurten = wstore.read_areas("buurt_2015", UTRECHT, path).set_index("code", drop=False)
    utrecht = records[records["gemeentecode"] == UTRECHT]
    counts = utrecht["buurtcode"].value_counts()
    shrunk = counts.index[0]
    grown = next(
        code
        for code in buurten.index
        if code != shrunk and buurten.geometry[code].touches(buurten.geometry[shrunk]) and code in counts
    )
    renamed = next(code for code in counts.index if code not in (shrunk, grown))
    # The western part of `shrunk`, with half its records, moves to `grown`; the split
    # runs between two records, so none lies on the new boundary.
    inside = utrecht[utrecht["buurtcode"] == shrunk]
    lons = sorted(inside["lon"])
    split = (lons[len(lons) // 2 - 1] + lons[len(lons) // 2]) / 2
    west, south, _, north = buurten.geometry[shrunk].bounds
    moved = buurten.geometry[shrunk].intersection(shapely.box(west, south, split, north))
    layer = buurten.copy()
    layer.loc[shrunk, "geometry"] = buurten.geometry[shrunk].difference(moved)
    layer.loc[grown, "geometry"] = buurten.geometry[grown].union(moved)
    layer.loc[renamed, "code"] = RENAMED
    layer["jaar"] = 2024
    layer = layer.reset_index(drop=True)

    statistics = wstore.read_statistics(path)
    of_2024 = (statistics["code"] == renamed) & (statistics["jaar"] == 2024)
    statistics = pd.concat([statistics[~of_2024], statistics[of_2024].assign(code=RENAMED)], ignore_index=True)
    areas = {name: wstore.read_areas(name, path=path) for name in wstore.area_layers(path)}
    areas["buurt_2024"] = gpd.GeoDataFrame(layer, geometry="geometry", crs=buurten.crs)
    wstore.write_store(path, areas, statistics, wstore.read_catalogue(path), records)
    return {
        "path": path,
        "shrunk": shrunk,
        "grown": grown,
        "renamed": renamed,
        "moved": inside[inside["lon"] < split]["id"].tolist(),
        "records": records,
    }


@pytest.fixture
def store_2024(indeling_2024, tmp_path, monkeypatch):
    """A private copy of that store, set as $WIJKMAP_STORE."""
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(indeling_2024["path"], path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


def test_the_2024_map_of_that_gemeente_uses_its_own_buurten_and_other_gemeenten_keep_2015(store_2024):
    from wijkmap.shell import cache

    assert cache.layers("buurt") == {"buurt_2015": 2015, "buurt_2024": 2024}
    assert cache.area_layer("buurt", 2024, "pct_65plus", UTRECHT) == "buurt_2024"
    assert cache.area_layer("buurt", 2015, "pct_65plus", UTRECHT) == "buurt_2015"
    assert cache.area_layer("buurt", 2017, "pct_65plus", ROTTERDAM) == "buurt_2015"
    assert cache.area_layer("buurt", 2024, "pct_65plus", ROTTERDAM) == "buurt_2015"
    assert cache.placement_year(UTRECHT) == 2024 and cache.placement_year(ROTTERDAM) == 2015
    assert cache.placed_in("buurt_2024", UTRECHT) and not cache.placed_in("buurt_2015", UTRECHT)
    assert cache.located("buurt_2024", UTRECHT) is None
    assert set(cache.located("buurt_2015", UTRECHT).dropna()) <= set(cache.layer_codes("buurt_2015", UTRECHT))
    assert not cache.placed_in("buurt_2015", None)  # the country has records on two indelingen
    names = cache.buurt_names()
    assert RENAMED in set(names["code"]) and set(names.loc[names["code"].str.startswith("BU0599"), "code"])


def test_records_are_placed_in_the_newest_buurten_of_their_gemeente_only(indeling_2024, store_2024):
    buurten = placement.buurten(store_2024)
    assert set(buurten.loc[buurten["gemeentecode"] == UTRECHT, "jaar"]) == {2024}
    assert set(buurten.loc[buurten["gemeentecode"] == ROTTERDAM, "jaar"]) == {2015}
    assert placement.years_by_name(
        {name: wstore.read_area_names(name, store_2024) for name in ("buurt_2015", "buurt_2024")}
    ) == {UTRECHT: 2024, ROTTERDAM: 2015, "GM0363": 2015}

    before = indeling_2024["records"].set_index("id")
    placed = placement.place(before.reset_index(), buurten).set_index("id")
    moved = indeling_2024["moved"]
    assert moved and set(placed.loc[moved, "buurtcode"]) == {indeling_2024["grown"]}
    was_renamed = before.index[before["buurtcode"] == indeling_2024["renamed"]]
    assert len(was_renamed) and set(placed.loc[was_renamed, "buurtcode"]) == {RENAMED}
    elsewhere = before["gemeentecode"] != UTRECHT
    assert list(placed.loc[elsewhere, "buurtcode"]) == list(before.loc[elsewhere, "buurtcode"])

    # The store's records carried 2015 codes: placed again, Utrecht's get 2024's, once.
    assert placement.place_again(buurten, store_2024) == len(moved) + len(was_renamed)
    assert placement.place_again(buurten, store_2024) == 0
    stored = wstore.read_records(store_2024).set_index("id")
    assert set(stored.loc[was_renamed, "buurtcode"]) == {RENAMED}
    assert list(stored.loc[before.index[elsewhere], "buurtcode"]) == list(before.loc[elsewhere, "buurtcode"])

    # The 2015 map of Utrecht (the year chosen) counts them by where they lie, as before.
    utrecht = stored[stored["gemeentecode"] == UTRECHT].reset_index()
    buurten_2015 = wstore.read_areas("buurt_2015", UTRECHT, store_2024)
    by_position = analysis.counts_per_area(utrecht, "buurt", analysis.area_codes_at(utrecht, buurten_2015))
    assert by_position[indeling_2024["renamed"]] == len(was_renamed)
    assert (
        by_position[indeling_2024["shrunk"]]
        == (before.loc[utrecht["id"], "buurtcode"] == indeling_2024["shrunk"]).sum()
    )
    assert indeling_2024["renamed"] not in analysis.counts_per_area(utrecht, "buurt")


def test_a_contribution_in_that_gemeente_is_placed_in_its_new_buurten(indeling_2024, store_2024):
    from wijkmap.contributions.checks import StorePlaces

    places = StorePlaces(store_2024)
    assert places.buurt(RENAMED).buurtcode == RENAMED
    assert places.buurt(indeling_2024["renamed"]) is None  # gone from Utrecht's indeling
    record = indeling_2024["records"].set_index("id").loc[indeling_2024["moved"][0]]
    assert places.point(record["lon"], record["lat"]).buurtcode == indeling_2024["grown"]
    rotterdam = indeling_2024["records"].query("gemeentecode == @ROTTERDAM").iloc[0]
    assert places.point(rotterdam["lon"], rotterdam["lat"]).buurtcode == rotterdam["buurtcode"]


def test_verandering_flags_the_moved_boundary_by_geometry_not_by_population(indeling_2024, store_2024):
    older = wstore.read_areas("buurt_2015", UTRECHT, store_2024)
    newer = wstore.read_areas("buurt_2024", UTRECHT, store_2024)
    outlines = indeling.boundary_change(older, newer)
    assert RENAMED not in outlines.index and indeling_2024["renamed"] not in outlines.index
    assert set(outlines.index[outlines["veranderd"]]) == {indeling_2024["shrunk"], indeling_2024["grown"]}

    statistics = wstore.read_statistics(store_2024)
    codes = list(newer["code"]) + [c for c in older["code"] if c not in set(newer["code"])]
    by_population = change.compare_statistics(statistics, "pct_65plus", 2015, 2024, codes)
    by_outline = change.compare_statistics(statistics, "pct_65plus", 2015, 2024, codes, geometry_change=outlines)
    assert by_outline.loc[indeling_2024["shrunk"], "vlag"] == "grens_geometrie"
    assert by_outline.loc[indeling_2024["grown"], "vlag"] == "grens_geometrie"
    assert by_outline.loc[RENAMED, "vlag"] == "code_a"
    # A buurt whose population jumped but whose outline stayed is compared now.
    same_outline = set(outlines.index[~outlines["veranderd"]])
    jumped = [code for code in by_population.index[by_population["vlag"] == "grens"] if code in same_outline]
    assert jumped
    assert (by_outline.loc[jumped, "vlag"] != "grens").all() and by_outline.loc[jumped, "verschil"].notna().any()

    from wijkmap.change import view as change_view

    text = change_view.flag_text(by_outline.loc[indeling_2024["shrunk"]], 2015, 2024, "nl")
    assert text.startswith("volgens de grenzen van beide jaren een ander gebied: ")
    english = change_view.flag_text(by_outline.loc[indeling_2024["grown"]], 2015, 2024, "en")
    assert english.startswith("by the boundaries of both years another area: ")


def test_the_verandering_page_explains_the_flag_by_the_boundaries_of_both_years(indeling_2024, store_2024):
    from streamlit.testing.v1 import AppTest

    from tests.test_app import APP

    app = AppTest.from_file(str(APP), default_timeout=90)
    query = {
        "gemeente": UTRECHT,
        "niveau": "buurt",
        "kleuring": "statistiek",
        "indicator": "pct_65plus",
        "vergelijk_van": "2015",
        "vergelijk_tot": "2024",
        "gebied": indeling_2024["shrunk"],
    }
    for key, value in query.items():
        app.query_params[key] = value
    app.run()
    app.switch_page("app_pages/verandering.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert any(w.value.startswith("volgens de grenzen van beide jaren een ander gebied") for w in app.warning)
    captions = [c.value for c in app.caption]
    assert any(c.startswith("Waar de grenzen van beide jaren bekend zijn, beslist de grens") for c in captions)
    # Rotterdam has no newer buurten: its comparison keeps the population rule alone.
    app.query_params["gemeente"], app.query_params["gebied"] = ROTTERDAM, ""
    app.switch_page("app_pages/verandering.py").run()
    assert not app.exception, [e.value for e in app.exception]


def test_a_merged_gemeente_is_placed_only_in_its_new_buurten():
    """GM0001 and GM0002 of 2015 merged into GM0003 (2024 buurten imported for it alone):
    their old buurten lie within the new ones and are left out; GM0004 keeps 2015's."""

    def buurten(rows):
        return gpd.GeoDataFrame(
            {"code": [r[0] for r in rows], "naam": "b", "wijkcode": "WK", "gemeentecode": [r[1] for r in rows]},
            geometry=[shapely.box(x, 0, x + 1000, 1000) for _, _, x in rows],
            crs="EPSG:28992",
        ).to_crs("EPSG:4326")

    old = buurten([("BU00010001", "GM0001", 0), ("BU00020001", "GM0002", 1000), ("BU00040001", "GM0004", 2000)])
    new = buurten([("BU00030001", "GM0003", 0), ("BU00030002", "GM0003", 1000)])
    combined = placement.combine({"buurt_2015": old, "buurt_2024": new})
    assert sorted(zip(combined["code"], combined["jaar"])) == [
        ("BU00030001", 2024),
        ("BU00030002", 2024),
        ("BU00040001", 2015),
    ]
    assert list(placement.combine({"buurt_2015": old})["code"]) == list(old["code"])
    with pytest.raises(wstore.StoreMissing):
        placement.combine({})


def test_a_rebuild_after_new_files_keeps_a_small_store_small_and_a_national_one_whole(tmp_path):
    """import-gebieden and fetch cbs rebuild the store: one of some gemeenten keeps just those (and the ones
    named), one of the whole country stays whole."""
    from wijkmap.data import build

    small = tmp_path / "small.gpkg"
    build.build_store(small, gemeenten=["GM0150"])
    build.rebuild(small, also=["GM0193"])
    assert build.store_gemeenten(small) == ["GM0150", "GM0193"]
    assert build.rebuild(tmp_path / "new.gpkg").areas["buurt_2015"] == 12229  # no store yet: the country
