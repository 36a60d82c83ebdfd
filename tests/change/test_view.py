"""What the change page draws: symbols, lines, popups (escaped), area colours, the chart."""

import json

import pandas as pd
import pytest

from wijkmap.change import layers as changemap, model as change, view as change_view
from wijkmap.core.records import FIELDS
from wijkmap.data import store
from wijkmap.map import assets, layers as mapview

HOSTILE = "<img src=x onerror=alert(1)>"


def record(id, naam, soort="buurthuis", geopend="", gesloten="", opvolger_van="", lat=52.09, lon=5.12, buurt="BU1"):
    row = {field: "" for field in FIELDS}
    return row | dict(
        id=id,
        naam=naam,
        soort=soort,
        geopend=geopend,
        gesloten=gesloten,
        opvolger_van=opvolger_van,
        lat=lat,
        lon=lon,
        buurtcode=buurt,
        wijkcode="WK1",
        gemeentecode="GM1",
        bron="voorbeeld",
        strategie="onbekend",
    )


@pytest.fixture
def chain():
    records = pd.DataFrame(
        [
            record("bh", HOSTILE, geopend="1970", gesloten="2008"),
            record(
                "hk",
                "Huiskamer </script><script>alert(2)</script>",
                soort="huis_van_de_wijk",
                geopend="2008-03",
                gesloten="2014",
                opvolger_van="bh",
                lat=52.095,
            ),
            record(
                "br",
                "Buurtrestaurant Zon",
                soort="buurtrestaurant",
                geopend="2016",
                opvolger_van="hk",
                lat=52.095,
                buurt="BU2",
            ),
            record("rc", "Repair Café", soort="repair_cafe", geopend="2010"),
        ]
    )
    joined = change.with_records(change.status(records, 2005, 2020), records)
    pairs = change.successions(records, 2005, 2020, joined)
    return records, joined, pairs


def rendered(*layers) -> str:
    m = mapview.base_map([[52.0, 5.0], [52.2, 5.2]], None, "Bron: CBS")
    changemap.ChangeStyles().add_to(m)
    overlay = assets.OfflineFeatureGroup(name="overlay").add_to(m)
    for layer in layers:
        layer.add_to(overlay)
    return m.get_root().render()


def test_popups_name_successor_and_predecessor_with_years(chain):
    records, joined, pairs = chain
    markers = {m["naam"]: m for m in change_view.markers(joined, pairs, records.set_index("id"), "nl")}
    restaurant = markers["Buurtrestaurant Zon"]
    assert restaurant["status"] == "nieuw"
    assert ("opvolger_van", "Huiskamer </script><script>alert(2)</script>", "2014") in restaurant["relaties"]
    first = markers[HOSTILE]
    assert first["status"] == "teruggekeerd"
    assert first["relaties"][0] == ("opgevolgd_door", "Huiskamer </script><script>alert(2)</script>", "mrt 2008")
    assert first["relaties"][1] == ("nu", "Buurtrestaurant Zon", "2016")


def test_only_a_provision_opened_in_the_period_says_it_opened_and_closed_in_it():
    records = pd.DataFrame(
        [
            record("oud", "Buurthuis Oud", geopend="1970", gesloten="2008"),  # closed, no successor
            record("opgevolgd", "Buurthuis West", geopend="1990", gesloten="2010"),
            record(
                "kort",
                "Huiskamer Kort",
                soort="huis_van_de_wijk",
                geopend="2011",
                gesloten="2014",
                opvolger_van="opgevolgd",
                lat=52.095,
            ),
            record("nieuw", "Repair Café", soort="repair_cafe", geopend="2012"),
        ]
    )
    joined = change.with_records(change.status(records, 2005, 2020), records)
    pairs = change.successions(records, 2005, 2020, joined)
    notes = {m["naam"]: m["notities"] for m in change_view.markers(joined, pairs, records.set_index("id"), "nl")}
    said = "Geopend én gesloten binnen deze periode."
    assert said in notes["Huiskamer Kort"]
    assert said not in notes["Buurthuis Oud"] and said not in notes["Buurthuis West"]  # opened before 2005
    assert said not in notes["Repair Café"]  # still open
    # Drawn in its popup, and only there.
    page = rendered(
        changemap.StatusLayer(
            change_view.markers(joined, pairs, records.set_index("id"), "nl"),
            change_view.relation_labels(2005, 2020, "nl"),
        )
    )
    assert page.count(said) == 1


def test_a_source_reaches_the_change_map_escaped():
    records = pd.DataFrame([record("oud", "Buurthuis", geopend="1970", gesloten="2008") | {"bron": HOSTILE}])
    joined = change.with_records(change.status(records, 2005, 2020), records)
    pairs = change.successions(records, 2005, 2020, joined)
    page = rendered(
        changemap.StatusLayer(
            change_view.markers(joined, pairs, records.set_index("id"), "nl"),
            change_view.relation_labels(2005, 2020, "nl"),
        )
    )
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "\\u003cimg src=x" not in page


def test_user_text_reaches_the_change_map_escaped(chain):
    records, joined, pairs = chain
    by_id = records.set_index("id")
    page = rendered(
        changemap.StatusLayer(
            change_view.markers(joined, pairs, by_id, "nl"), change_view.relation_labels(2005, 2020, "nl")
        ),
        changemap.SuccessionLayer(change_view.lines(pairs, joined, by_id, "nl")),
        changemap.ChangeLegend(
            "Netto <b>", "2005–2020", [], None, [("verdwenen", 1)], [("opgevolgd door", False)], "Bron: <script>", "nl"
        ),
    )
    assert HOSTILE not in page and "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "</script><script>alert(2)" not in page
    assert "Bron: <script>" not in page and "Netto <b>" not in page
    assert assets.remote_urls(page) == [] or all("w3.org/2000/svg" in url for url in assets.remote_urls(page))


def test_succession_lines_point_from_the_closed_provision_to_its_successor(chain):
    records, joined, pairs = chain
    lines = change_view.lines(pairs, joined, records.set_index("id"), "nl")
    assert [(line["van"], line["naar"]) for line in lines] == [
        ((52.09, 5.12), (52.095, 5.12)),
        ((52.095, 5.12), (52.095, 5.12)),
    ]
    assert lines[1]["zelfde_plek"] and not lines[0]["zelfde_plek"]
    layer = changemap.SuccessionLayer(lines)
    rows = [dict(zip(layer.lines["fields"], row)) for row in layer.lines["rows"]]
    assert rows[0]["hoek"] == pytest.approx(-90.0, abs=0.5)  # due north: straight up on the screen
    assert rows[1]["zelfde_plek"] == 1  # same building: an arrow between two symbols, no line


def test_only_the_shown_predecessors_get_lines(chain):
    records, joined, pairs = chain
    shown = joined[joined["status"] != "teruggekeerd"]
    assert change_view.lines(pairs, shown, records.set_index("id"), "nl") == []


def test_two_symbols_in_one_building_stand_side_by_side(chain):
    records, joined, pairs = chain
    markers = {m["naam"]: m for m in change_view.markers(joined, pairs, records.set_index("id"), "nl")}
    assert markers["Huiskamer </script><script>alert(2)</script>"]["verschuiving"] == -1
    assert markers["Buurtrestaurant Zon"]["verschuiving"] == 1


def test_each_status_has_its_own_symbol_and_colour():
    shapes = {style[1] for style in changemap.STATUS_STYLE.values()}
    colours = {style[0] for style in changemap.STATUS_STYLE.values()}
    assert len(shapes) == len(colours) == len(change.STATUSES) == len(changemap.STATUS_STYLE)
    assert set(changemap.STATUS_STYLE) == set(change.STATUSES)
    assert "stroke-dasharray" in changemap.status_svg("verdwenen", sample=True)


def test_areas_coloured_by_net_change(chain):
    records, joined, _ = chain
    balance = change.balance(joined, "buurt")
    colouring = change_view.balance_colouring(balance, ["BU1", "BU2", "BU3"], "buurt", 2005, 2020, "nl")
    # BU1: the buurthuis closed (-1), the huiskamer opened and closed (0), the repair café opened (+1).
    assert balance.loc["BU1", "netto"] == 0 and balance.loc["BU2", "netto"] == 1
    assert colouring.info["BU1"][0] == 3
    assert colouring.info["BU2"][0] == 4 and colouring.info["BU3"][0] == -1
    assert [c.label for c in colouring.classes] == ["−3 of minder", "−2", "−1", "0", "+1", "+2", "+3 of meer"]
    wijk = change_view._net_labels(change_view._NET_BREAKS["wijk"], "nl")
    assert wijk == ["−10 of minder", "−9 tot −5", "−4 tot −1", "0", "+1 tot +4", "+5 tot +9", "+10 of meer"]


def test_flagged_areas_are_grey_and_say_why(small_store_path):
    statistics = store.read_statistics(small_store_path)
    catalogue = store.read_catalogue(small_store_path).set_index("indicator")
    item = catalogue.loc["pct_65plus"].to_dict() | {"indicator": "pct_65plus"}
    codes = list(store.read_areas("buurt_2015", "GM0344", small_store_path)["code"])
    frame = change.compare_statistics(statistics, "pct_65plus", 2015, 2023, codes)
    colouring = change_view.comparison_colouring(frame, item, 2015, 2023, "nl")
    k, text = colouring.info["BU03440933"]
    assert k == -1 and text.startswith("niet vergeleken: inwoners +1317% (270 → 3.825)")
    compared = [k for k, _ in colouring.info.values() if k >= 0]
    assert len(compared) == (frame["vlag"] == "").sum() and set(compared) <= set(range(6))
    assert colouring.subtitle == "2015 → 2023 · procentpunt" and colouring.classes[0].label.startswith("< −")
    table = change_view.comparison_table(frame, {}, item, 2015, 2023, "nl")
    assert table.iloc[0]["Niet vergeleken omdat"]  # flagged rows first


def test_the_cycle_chart_is_local_data_only(small_store_path):
    records = store.read_records(small_store_path)
    utrecht = records[records["gemeentecode"] == "GM0344"]
    yearly = change.yearly_counts(utrecht, 1990, 2025)
    (top_data, top), (events, bottom) = change_view.cycle_chart(yearly, 2005, 2020, "nl")
    for spec in (top, bottom):
        assert assets.remote_urls(json.dumps(spec)) == []  # no schema, font or data by URL
        assert spec["layer"][0]["data"]["values"] == [{"a": 2004.5, "b": 2020.5}]  # the period, shaded
    assert set(top_data["label"]) == {
        "Klassieke voorziening",
        "Pop-up / nieuw",
        "Professioneel",
        "Religieus",
        "Initiatief",
    }
    assert (events["aantal"] != 0).all() and (events.loc[events["gebeurtenis"] == "gesloten", "aantal"] < 0).all()


def test_the_amsterdam_caveat_appears_with_its_records(small_store_path):
    records = store.read_records(small_store_path)
    notes = change_view.caveats(records[records["gemeentecode"] == "GM0363"], "nl")
    assert len(notes) == 1 and "eerste maanden" in notes[0]
    assert change_view.caveats(records[records["gemeentecode"] == "GM0344"], "nl") == []


def test_dates_read_like_dates():
    assert change_view.date_text("2008") == "2008"
    assert change_view.date_text("2025-08") == "aug 2025"
    assert change_view.date_text("2025-08-07", "en") == "7 Aug 2025"
    assert change_view.years_text("", "2014") == "tot 2014"
