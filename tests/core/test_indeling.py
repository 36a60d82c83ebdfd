"""Which figures a layer of another year can show, and how outlines are compared."""

import math

import geopandas as gpd
import pandas as pd
import shapely

from wijkmap.core import analysis, indeling


def rows(*items):
    return pd.DataFrame(items, columns=["code", "jaar", "indicator", "waarde"]).assign(bron="CBS")


def test_population_rule_needs_a_large_share_and_enough_people():
    before = pd.Series([1000, 1000, 100, 0, 0, None], index=list("abcdef"), dtype=float)
    after = pd.Series([1400, 1200, 160, 80, 0, 500], index=list("abcdef"), dtype=float)
    change, jumped = indeling.population_jumped(before, after)
    assert list(jumped) == [True, False, True, True, False, False]
    assert change["a"] == 0.4 and change["d"] == math.inf and change["e"] == 0.0 and pd.isna(change["f"])
    assert not indeling.population_jumped(before, after, min_people=100)[1]["c"]


def test_figures_of_another_year_are_drawn_only_where_code_and_population_held():
    statistics = rows(
        # BU1: same population, a figure in both years: comparable.
        ("BU1", 2015, "inwoners", 1000), ("BU1", 2024, "inwoners", 1100), ("BU1", 2024, "pct_65plus", 20),
        # BU2: its population doubled: probably another area with the same code.
        ("BU2", 2015, "inwoners", 500), ("BU2", 2024, "inwoners", 1000), ("BU2", 2024, "pct_65plus", 15),
        # BU3: in 2024's figures, but this one is secret.
        ("BU3", 2015, "inwoners", 800), ("BU3", 2024, "inwoners", 800),
        # BU4: no 2024 figures at all while its gemeente has some: the code is gone.
        ("BU4", 2015, "inwoners", 700),
        # BU9 is of another gemeente without any 2024 figures: simply none.
        ("BU9", 2015, "inwoners", 700),
    )  # fmt: skip
    codes = ["BU1", "BU2", "BU3", "BU4", "BU9"]
    gemeenten = ["GM1", "GM1", "GM1", "GM1", "GM2"]
    reasons = indeling.comparable(statistics, "pct_65plus", 2024, codes, 2015, gemeenten)
    assert list(reasons) == ["", indeling.CHANGED, indeling.NO_FIGURE, indeling.CHANGED, indeling.NO_FIGURE]
    # On a layer of the figures' own year, only a missing figure greys an area.
    own = indeling.comparable(statistics, "pct_65plus", 2024, codes, 2024, gemeenten)
    assert list(own) == ["", "", indeling.NO_FIGURE, indeling.NO_FIGURE, indeling.NO_FIGURE]


def square(x, y, size=1000.0):
    return shapely.box(x, y, x + size, y + size)


def layer(shapes: dict) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": list(shapes), "wijkcode": "WK", "gemeentecode": "GM1"},
        geometry=list(shapes.values()),
        crs="EPSG:28992",
    )


def test_a_moved_boundary_differs_and_a_redrawn_edge_does_not():
    older = layer({"BU1": square(0, 0), "BU2": square(1000, 0), "BU3": square(3000, 0), "BU4": square(5000, 0)})
    newer = layer(
        {
            "BU1": shapely.box(0, 0, 1400, 1000),  # took 400 m of BU2
            "BU2": shapely.box(1400, 0, 2000, 1000),
            "BU3": shapely.box(3000, 0, 4030, 1000),  # an edge redrawn 30 m further
            "BU5": square(5000, 0),  # BU4 renamed: not compared by outline
        }
    )
    outlines = indeling.boundary_change(older, newer)
    assert list(outlines.index) == ["BU1", "BU2", "BU3"]
    assert list(outlines["veranderd"]) == [True, True, False]
    assert outlines.loc["BU3", "verschil"] == 0.0
    assert outlines.loc["BU2", "verschil"] > outlines.loc["BU1", "verschil"] > indeling.GEOMETRY_CHANGE
    assert indeling.boundary_change(older, newer.iloc[3:]).empty


def test_records_are_counted_by_position_on_a_layer_whose_codes_they_do_not_carry():
    areas = layer({"WK_NEW1": square(0, 0), "WK_NEW2": square(1000, 0)}).to_crs("EPSG:4326")
    points = gpd.GeoSeries(
        [shapely.Point(500, 500), shapely.Point(1500, 500), shapely.Point(1600, 600)], crs="EPSG:28992"
    ).to_crs("EPSG:4326")
    records = pd.DataFrame({"id": ["a", "b", "c"], "lon": points.x, "lat": points.y, "wijkcode": "WK_OLD"})
    located = analysis.area_codes_at(records, areas)
    assert located.to_dict() == {"a": "WK_NEW1", "b": "WK_NEW2", "c": "WK_NEW2"}
    assert analysis.counts_per_area(records, "wijk").to_dict() == {"WK_OLD": 3}
    assert analysis.counts_per_area(records, "wijk", located).to_dict() == {"WK_NEW1": 1, "WK_NEW2": 2}
    shown = records.iloc[1:]  # a filter leaves two
    assert analysis.counts_per_area(shown, "wijk", located).to_dict() == {"WK_NEW2": 2}
    assert list(analysis.records_in_area(records, "WK_NEW2", located)["id"]) == ["b", "c"]
    # Verandering's rows are indexed by record id.
    assert list(analysis.records_in_area(records.set_index("id"), "WK_NEW2", located).index) == ["b", "c"]
    assert analysis.records_in_area(records, "WK_NEW2").empty


def test_a_typed_gemeentecode_and_the_gemeente_of_area_codes():
    from wijkmap.core import indeling as idl

    assert [idl.typed_gemeentecode(text) for text in ("GM0150", " gm0150 ", "0150", "150", "GM15X", "Deventer")] == [
        "GM0150", "GM0150", "GM0150", None, None, None,
    ]  # fmt: skip
    assert idl.typed_gemeentecode("150", zeros_lost=True) == "GM0150"  # as a spreadsheet leaves it
    codes = pd.Series(["BU01500101", "WK015001", "GM0344", "BU0363AA01", "NL00"])
    assert idl.gemeente_of(codes).tolist() == ["GM0150", "GM0150", "GM0344", "GM0363", ""]
