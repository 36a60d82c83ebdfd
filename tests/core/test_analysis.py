"""Filters and counts as a policymaker or analyst relies on them."""

import pandas as pd
import pytest

from wijkmap.core import analysis
from wijkmap.core.records import FIELDS


def _records(*rows):
    frame = pd.DataFrame([{field: "" for field in FIELDS} | row for row in rows])
    return frame


@pytest.fixture
def records():
    return _records(
        {
            "id": "a",
            "soort": "bewonersinitiatief",
            "strategie": "bridging",
            "actortype": "bewoners",
            "doelgroep": "nieuwkomers",
            "geopend": "2012",
            "bron": "voorbeeld",
            "buurtcode": "BU1",
            "wijkcode": "WK1",
        },
        {
            "id": "b",
            "soort": "huis_van_de_wijk",
            "strategie": "beide",
            "actortype": "welzijnsorganisatie;bewoners",
            "tarief": "gratis",
            "tijdelijk": "ja",
            "geopend": "2018-05-01",
            "bron": "register",
            "buurtcode": "BU1",
            "wijkcode": "WK1",
        },
        {
            "id": "c",
            "soort": "buurthuis",
            "strategie": "bonding",
            "actortype": "gemeente",
            "geopend": "1970",
            "gesloten": "2011",
            "bron": "register",
            "buurtcode": "BU2",
            "wijkcode": "WK1",
        },
        {
            "id": "d",
            "soort": "repair_cafe",
            "strategie": "onbekend",
            "actortype": "vrijwilligersorganisatie",
            "bron": "Repair Cafés in Amsterdam",
            "buurtcode": "BU3",
            "wijkcode": "WK2",
        },
    )


def ids(frame):
    return sorted(frame["id"])


def test_no_filter_keeps_everything(records):
    assert ids(analysis.filter_records(records)) == ["a", "b", "c", "d"]


def test_bridging_includes_records_that_do_both(records):
    assert ids(analysis.filter_records(records, strategie=["bridging"])) == ["a", "b"]
    assert ids(analysis.filter_records(records, strategie=["beide"])) == ["b"]


def test_informal_actors_match_when_any_actor_is_informal(records):
    assert ids(analysis.filter_records(records, formaliteit=["informeel"])) == ["a", "b", "d"]
    assert ids(analysis.filter_records(records, formaliteit=["formeel"])) == ["b", "c"]


def test_filters_combine_with_and(records):
    kept = analysis.filter_records(records, strategie=["bridging"], formaliteit=["informeel"], categorie=["initiatief"])
    assert ids(kept) == ["a"]


def test_year_shows_what_existed_then(records):
    assert ids(analysis.filter_records(records, peiljaar=2011)) == ["c", "d"]
    assert ids(analysis.filter_records(records, peiljaar=2015)) == ["a", "d"]
    assert ids(analysis.filter_records(records, peiljaar=2020)) == ["a", "b", "d"]


def test_sample_switch_hides_only_the_sample(records):
    assert ids(analysis.filter_records(records, voorbeeld=False)) == ["b", "c", "d"]


def test_doelgroep_tarief_tijdelijk_and_bron(records):
    assert ids(analysis.filter_records(records, doelgroep=["nieuwkomers"])) == ["a"]
    assert ids(analysis.filter_records(records, tarief=["gratis"], tijdelijk="ja")) == ["b"]
    assert ids(analysis.filter_records(records, bron=["register"])) == ["b", "c"]


def test_strategy_counts_count_both_for_beide(records):
    assert analysis.strategy_counts(records) == {"bonding": 2, "bridging": 2, "onbekend": 1}


def test_records_in_area_by_code_level(records):
    assert ids(analysis.records_in_area(records, "BU1")) == ["a", "b"]
    assert ids(analysis.records_in_area(records, "WK1")) == ["a", "b", "c"]


def test_national_value_sums_counts_and_weights_shares():
    statistics = pd.DataFrame(
        [
            ("GM0001", 2015, "inwoners", 100.0),
            ("GM0002", 2015, "inwoners", 300.0),
            ("GM0001", 2015, "pct_65plus", 10.0),
            ("GM0002", 2015, "pct_65plus", 30.0),
            ("BU00010001", 2015, "inwoners", 50.0),
        ],
        columns=["code", "jaar", "indicator", "waarde"],
    )
    assert analysis.national_value(statistics, "inwoners", 2015, "aantal") == 400
    assert analysis.national_value(statistics, "pct_65plus", 2015, "%") == pytest.approx(25.0)
    assert analysis.national_value(statistics, "pct_65plus", 2024, "%") is None


def test_national_value_is_none_when_few_gemeenten_have_the_figure_and_areas_add_up():
    """A figure only one gemeente has (Utrecht's 2023 extras) is no national figure; land
    area is a sum, not an average."""
    rows = [(f"GM{i:04d}", 2024, "inwoners", 1000.0) for i in range(10)]
    rows += [(f"GM{i:04d}", 2024, "oppervlakte_land", 500.0) for i in range(10)]
    rows += [("GM0000", 2023, "inwoners", 1000.0), ("GM0000", 2023, "bijstand", 70.0)]
    rows += [(f"GM{i:04d}", 2024, "pct_65plus", 20.0) for i in range(7)]  # 7 of 10: too few
    statistics = pd.DataFrame(rows, columns=["code", "jaar", "indicator", "waarde"])
    assert analysis.national_value(statistics, "oppervlakte_land", 2024, "ha") == 5000
    assert analysis.national_value(statistics, "bijstand", 2023, "aantal") is None
    assert analysis.national_value(statistics, "inwoners", 2023, "aantal") is None
    assert analysis.national_value(statistics, "pct_65plus", 2024, "%") is None
    assert analysis.national_value(statistics, "inwoners", 2024, "aantal") == 10_000


# --- bonding/bridging x formal/informal ----------------------------------------------


def test_strategy_formality_counts_beide_in_both_and_each_formality(records):
    matrix = analysis.strategy_formality(records, "buurt")
    assert list(matrix.columns) == [
        "bonding_formeel",
        "bonding_informeel",
        "bonding_tussenvorm",
        "bridging_formeel",
        "bridging_informeel",
        "bridging_tussenvorm",
    ]
    # BU1: a (bridging, bewoners) and b (beide, welzijnsorganisatie + bewoners)
    assert matrix.loc["BU1"].to_dict() == {
        "bonding_formeel": 1,
        "bonding_informeel": 1,
        "bonding_tussenvorm": 0,
        "bridging_formeel": 1,
        "bridging_informeel": 2,
        "bridging_tussenvorm": 0,
    }
    assert matrix.loc["BU2"].to_dict()["bonding_formeel"] == 1
    assert matrix.loc["BU2"].sum() == 1
    # d has strategy 'onbekend': its buurt is listed, with nothing counted
    assert matrix.loc["BU3"].sum() == 0
    assert matrix.dtypes.map(lambda d: d.kind).eq("i").all()


def test_strategy_formality_per_wijk_and_by_location(records):
    assert analysis.strategy_formality(records, "wijk").loc["WK1", "bonding_formeel"] == 2
    located = pd.Series({"a": "GMX", "b": "GMX", "c": None, "d": "GMY"})
    by_place = analysis.strategy_formality(records, "gemeente", located=located)
    assert sorted(by_place.index) == ["GMX", "GMY"]
    assert by_place.loc["GMX", "bridging_informeel"] == 2


def test_strategy_formality_of_no_records_is_empty(records):
    matrix = analysis.strategy_formality(records.iloc[0:0], "buurt")
    assert matrix.empty and len(matrix.columns) == 6


def test_area_at_finds_the_area_holding_a_point_or_none():
    import geopandas as gpd
    import shapely

    from wijkmap.core.analysis import area_at

    areas = gpd.GeoDataFrame(
        {"code": ["BU00000002", "BU00000001"]},
        geometry=[shapely.box(5.0, 52.0, 5.1, 52.1), shapely.box(5.1, 52.0, 5.2, 52.1)],
        crs=4326,
    )
    assert area_at(areas, 52.05, 5.05) == "BU00000002"
    assert area_at(areas, 52.05, 5.15) == "BU00000001"
    assert area_at(areas, 52.05, 5.1) == "BU00000001", "on a shared border the first code wins"
    assert area_at(areas, 53.0, 5.05) is None
