"""What the explorer shows for a view, on the real (small) store."""

import json
import re

import pytest

from wijkmap.core import indeling
from wijkmap.core.records import sources_credit
from wijkmap.core.view import ViewState
from wijkmap.data import store
from wijkmap.explorer import map as explorer_map, model as explorer
from wijkmap.map import context as map_context, served


@pytest.fixture(scope="module")
def data(small_store_path):
    catalogue = store.read_catalogue(small_store_path).set_index("indicator")
    return {
        "statistics": store.read_statistics(small_store_path),
        "catalogue": catalogue,
        "records": store.read_records(small_store_path),
        "buurten": store.read_areas("buurt_2015", "GM0344", small_store_path),
    }


def indicator(data, code):
    return data["catalogue"].loc[code].to_dict() | {"indicator": code}


def test_figures_of_a_year_go_on_the_layer_whose_codes_match_them_best():
    years = {"buurt_2015": 2015, "buurt_2024": 2024}
    assert indeling.pick_layer({"buurt_2015": 111, "buurt_2024": 0}, years, 2024) == "buurt_2015"
    assert indeling.pick_layer({"buurt_2015": 60, "buurt_2024": 70}, years, 2024) == "buurt_2024"
    # Among equals the layer of the figures' own year, then the newest.
    assert indeling.pick_layer({"buurt_2015": 70, "buurt_2024": 70}, years, 2015) == "buurt_2015"
    assert indeling.pick_layer({"buurt_2015": 70, "buurt_2024": 70}, years, 2017) == "buurt_2024"
    gemeenten = {"gemeente_2015": 2015, "gemeente_2023": 2023, "gemeente_2025": 2025}
    assert indeling.pick_layer({"gemeente_2015": 300, "gemeente_2023": 342, "gemeente_2025": 342}, gemeenten, 2024) == (
        "gemeente_2025"
    )
    assert indeling.pick_layer({}, {}, 2024) is None


def test_layers_of_a_level_are_found_by_name_with_their_year():
    names = ["buurt_2015", "wijk_2015", "buurt_2024", "gemeente_2023", "records", "buurt_oud"]
    assert indeling.layers_of(names, "buurt") == {"buurt_2015": 2015, "buurt_2024": 2024}
    assert indeling.layers_of(names, "wijk") == {"wijk_2015": 2015}
    assert indeling.layer_name("wijk", 2024) == "wijk_2024"


def test_default_year_is_the_best_covered_newest_among_equals():
    assert indeling.default_year({2015: 393, 2024: 1}) == 2015
    assert indeling.default_year({2015: 111, 2023: 111, 2024: 111}) == 2024
    assert indeling.default_year({}) is None


def test_utrecht_buurten_coloured_by_single_households(data):
    areas = indeling.lean_areas(data["buurten"], "buurt")
    result = explorer.choropleth(
        areas,
        "buurt",
        data["statistics"],
        indicator(data, "pct_eenpersoonshuishoudens"),
        2024,
        "quantiles",
        5,
        "blauw",
        "nl",
    )
    features = json.loads(result.geojson)["features"]
    assert len(features) == 111
    classes = [f["properties"]["k"] for f in features]
    assert set(classes) <= {-1, 0, 1, 2, 3, 4} and classes.count(-1) == result.values.isna().sum()
    assert len(result.legend_classes) == 5
    assert result.legend_title == "Eenpersoonshuishoudens (%)"
    assert "2024" in result.legend_subtitle and "%" in result.legend_subtitle
    assert "CBS KWB 2024" in result.source and "Kadaster" in result.source
    # The tooltip text is the value as a Dutch reader writes it.
    welgelegen = next(f for f in features if f["properties"]["c"] == "BU03440111")
    assert welgelegen["properties"]["t"] == "62,3%"  # 685 of 1,100 households in 2024


@pytest.mark.parametrize("scheme", ["quantiles", "equal_interval", "natural_breaks"])
def test_each_legend_class_reads_from_its_lowest_to_its_highest_value(data, scheme):
    """As a person reads the legend: the first class starts at the lowest value on the map,
    each class starts where the one before it ends, and every area's value (its tooltip)
    lies within the bounds of the class it is coloured by."""
    areas = indeling.lean_areas(data["buurten"], "buurt")
    result = explorer.choropleth(
        areas,
        "buurt",
        data["statistics"],
        indicator(data, "pct_eenpersoonshuishoudens"),
        2024,
        scheme,
        4,
        "blauw",
        "nl",
    )

    def number(text: str) -> float:  # "1.234,5%" as written in the legend and the tooltips
        return float(text.rstrip("%").replace(".", "").replace(",", "."))

    bounds = [tuple(number(part) for part in c.label.split(" – ")) for c in result.legend_classes]
    present = result.values.dropna()
    assert len(bounds) == 4
    assert bounds[0][0] == round(present.min(), 1) and bounds[-1][1] == round(present.max(), 1)
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1))
    for feature in json.loads(result.geojson)["features"]:
        k, text = feature["properties"]["k"], feature["properties"]["t"]
        if k >= 0:
            low, high = bounds[k]
            assert low <= number(text) <= high, (feature["properties"]["c"], text, bounds[k])


def test_missing_values_are_counted_in_the_legend(data):
    areas = indeling.lean_areas(data["buurten"], "buurt")
    result = explorer.choropleth(
        areas,
        "buurt",
        data["statistics"],
        indicator(data, "bijstand_per_1000"),
        2015,
        "natural_breaks",
        4,
        "oranje",
        "en",
    )
    missing = int(result.values.isna().sum())
    assert missing > 0  # CBS keeps small counts secret
    assert result.missing.label == f"no data or confidential (CBS) ({missing})"


def test_figures_of_another_year_colour_only_comparable_areas_and_the_legend_counts_the_grey(data):
    """Utrecht's 2024 buurt figures on the 2015 buurten: a buurt whose population jumped
    since 2015 is grey, counted in the legend with its reason; every buurt is drawn."""
    areas = indeling.lean_areas(data["buurten"], "buurt")
    args = (areas, "buurt", data["statistics"], indicator(data, "pct_65plus"), 2024, "quantiles", 5, "blauw")
    result = explorer.choropleth(*args, "nl", layer_jaar=2015)
    reasons = indeling.comparable(data["statistics"], "pct_65plus", 2024, areas["code"], 2015, areas["gemeentecode"])
    changed = int((reasons == indeling.CHANGED).sum())
    no_figure = int((reasons == indeling.NO_FIGURE).sum())
    assert changed > 0  # Utrecht grew: Leidsche Rijn's buurten jumped
    assert result.grey == {k: v for k, v in {indeling.CHANGED: changed, indeling.NO_FIGURE: no_figure}.items() if v}
    features = json.loads(result.geojson)["features"]
    assert len(features) == len(areas) == 111
    grey = [f for f in features if f["properties"]["k"] == -1]
    assert len(grey) == changed + no_figure == int(result.values.isna().sum())
    assert result.missing.label.startswith(f"geen vergelijkbaar cijfer ({changed + no_figure}): ")
    assert f"{changed} met een code of grens die veranderde sinds 2015" in result.missing.label
    assert any(f["properties"]["t"] == "geen vergelijkbaar cijfer: code of grens veranderd sinds 2015" for f in grey)
    english = explorer.choropleth(*args, "en", layer_jaar=2015)
    assert f"{changed} whose code or boundary changed since 2015" in english.missing.label
    # On their own indeling the same figures colour every buurt that has one.
    own = explorer.choropleth(*args, "nl")
    assert own.grey.get(indeling.CHANGED) is None
    assert int(own.values.notna().sum()) == int(result.values.notna().sum()) + changed


def test_profile_compares_area_gemeente_and_country(data):
    profile = explorer.area_profile("BU03440111", "GM0344", data["statistics"], data["catalogue"].reset_index(), "nl")
    row = profile[profile["Indicator"] == "Eenpersoonshuishoudens (%)"].iloc[0]
    assert row["Jaar"] == 2024 and row["Dit gebied"] == "62,3%"
    assert row["Gemeente"] != "–"
    inwoners = profile[profile["Indicator"] == "Inwoners"].iloc[0]
    assert inwoners["Dit gebied"] == "1.800"


def test_profile_of_a_buurt_whose_population_jumped_keeps_to_its_own_layer_year(data):
    codes = data["buurten"]["code"]
    reasons = indeling.comparable(data["statistics"], "inwoners", 2024, codes, 2015, data["buurten"]["gemeentecode"])
    jumped = reasons.index[reasons == indeling.CHANGED][0]
    args = (jumped, "GM0344", data["statistics"], data["catalogue"].reset_index(), "nl")
    assert set(explorer.area_profile(*args)["Jaar"]) - {2015}  # its newest figures are of another area
    assert set(explorer.area_profile(*args, layer_jaar=2015)["Jaar"]) == {2015}
    kept = reasons.index[reasons == ""][0]  # a buurt that held: its 2024 figures stay
    assert 2024 in set(explorer.area_profile(kept, *args[1:], layer_jaar=2015)["Jaar"])


def test_visible_records_follow_layers_and_the_sample_switch(data):
    utrecht = data["records"][data["records"]["gemeentecode"] == "GM0344"]
    everything = explorer.visible_records(utrecht, ViewState(gemeente="GM0344"))
    only_classic = explorer.visible_records(utrecht, ViewState(gemeente="GM0344", lagen=["klassiek"]))
    none = explorer.visible_records(utrecht, ViewState(gemeente="GM0344", lagen=[]))
    real = explorer.visible_records(utrecht, ViewState(gemeente="GM0344", voorbeeld=False))
    assert len(everything) > len(only_classic) > 0 and none.empty
    assert set(only_classic["soort"]) <= {"buurthuis", "bibliotheek", "bejaardenhuis"}
    assert (real["bron"] != "voorbeeld").all()
    # By default the map shows what exists now: nothing closed in the past.
    assert (everything["gesloten"].str[:4].replace("", "9999").astype(int) >= 2026).all()


def test_credit_names_every_source_and_the_sample(data):
    amsterdam = data["records"][data["records"]["gemeentecode"] == "GM0363"]
    assert sources_credit(amsterdam, "nl") == "Repair Cafés in Amsterdam"
    utrecht = data["records"][data["records"]["gemeentecode"] == "GM0344"]
    assert sources_credit(utrecht, "nl").endswith("fictieve voorbeelddata")


def test_wijkteam_service_areas_are_whole_buurten(data):
    teams = data["records"][(data["records"]["soort"] == "wijkteam") & (data["records"]["gemeentecode"] == "GM0344")]
    features = json.loads(map_context.service_area_geojson(teams, data["buurten"]))["features"]
    assert len(features) == teams["naam"].nunique()


def test_the_map_draws_the_view_and_puts_what_filters_change_in_the_overlay(data):
    """explorer_map.build: what the Kaart page draws, the hand-out saves and the benchmark measures."""
    state = ViewState(gemeente="GM0344", gebied="BU03440111", lagen=["klassiek", "professioneel"])
    areas = indeling.lean_areas(data["buurten"], "buurt")
    result = explorer.choropleth(
        areas, "buurt", data["statistics"], indicator(data, "pct_65plus"), 2024, "quantiles", 5, "blauw", "nl"
    )
    utrecht = data["records"][data["records"]["gemeentecode"] == "GM0344"]
    shown = explorer.visible_records(utrecht, state)
    teams = shown[shown["soort"] == "wijkteam"]
    context = explorer_map.Context(
        outline=explorer_map.selected_outline(areas, state.gebied),
        service_areas=map_context.service_area_geojson(teams, data["buurten"]),
    )
    m, _ = explorer_map.build(state, result, shown, context, "nl")
    base = m.get_root().render()
    m, overlay = explorer_map.build(state, result, shown, context, "nl")
    overlay.add_to(m)
    whole = m.get_root().render()

    # The base map names a served file of the areas' outlines instead of holding them.
    assert "BU03440111" not in base and "Inwoners van 65 jaar of ouder" not in base
    served_url = re.search(r'wijkmap\.areas\([^,]+, \{"url":"([^"]+)"\}', base).group(1)
    served_file = served.SERVED_DIR / served_url.rsplit("/", 1)[1]
    assert served_url.startswith("/app/static/geometry/") and "BU03440111" in served_file.read_text()
    # Classes and value texts, the legend, the selected buurt (its outline drawn heavy),
    # the service areas and the records' own credit: the overlay, which every change swaps.
    classes = json.loads(re.search(r"wijkmap\.areaValues\([^,]+, (\{.*?\})\);", whole).group(1))
    assert dict(zip(classes["c"], classes["k"])) == result.classes.to_dict()
    for drawn in ("Inwoners van 65 jaar of ouder", '"weight":4.0', '"dashArray":"6 4"', "fictieve voorbeelddata"):
        assert drawn in whole and drawn not in base, drawn
    # A hand-out opens without the app: its outlines are inside it.
    standalone, _ = explorer_map.build(state, result, shown, context, "nl", standalone=True)
    assert (
        "BU03440111" in standalone.get_root().render() and "/app/static/geometry/" not in standalone.get_root().render()
    )
    assert len(json.loads(context.outline)["features"]) == 1
    assert explorer_map.selected_outline(areas, "BU03630000") is None  # not an area of this map
    large, overlay = explorer_map.build(state, result, shown, context, "nl", explorer_map.PRESENTATION)
    overlay.add_to(large)
    assert '"--wm-legend-font":"25px"' in large.get_root().render()
