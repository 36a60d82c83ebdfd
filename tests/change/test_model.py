"""Change over time: statuses, successions, moves, balances, the cycle, the summary and
statistics between years. Each hard case of issue 4 has its own test."""

import math

import pandas as pd
import pytest

from wijkmap.change import model as change
from wijkmap.core.records import FIELDS
from wijkmap.data import store

# Two points in Utrecht about 1 km apart, and one 300 m from the first.
HERE = (52.0900, 5.1200)
NEAR = (52.0927, 5.1200)
THERE = (52.0990, 5.1200)


def record(id, soort="buurthuis", geopend="", gesloten="", opvolger_van="", at=HERE, buurt="BU1", **extra):
    row = {field: "" for field in FIELDS}
    row.update(
        id=id,
        naam=f"Naam {id}",
        soort=soort,
        geopend=geopend,
        gesloten=gesloten,
        opvolger_van=opvolger_van,
        lat=at[0],
        lon=at[1],
        buurtcode=buurt,
        wijkcode="WK1",
        gemeentecode="GM1",
        strategie="onbekend",
        bron="test",
    )
    return row | extra


def frame(*rows):
    return pd.DataFrame(list(rows))


def statuses(records, a, b):
    return change.status(records, a, b)["status"].to_dict()


# --- dates ----------------------------------------------------------------------------


def test_dates_keep_their_precision_and_junk_is_missing():
    assert change.when("2019") == change.When(2019)
    assert change.when("2019-03") == change.When(2019, 3)
    assert change.when("2019-03-01") == change.When(2019, 3, 1)
    assert change.when("1-3-2019") == change.When(2019, 3, 1)  # as records.parse_date reads it
    for junk in ("", None, float("nan"), "ooit", "2019-13-01"):
        assert change.when(junk) is None


def test_months_between_falls_back_to_whole_years():
    assert change.months_between(change.When(2025, 8), change.When(2025, 9)) == 1
    assert change.months_between(change.When(2024), change.When(2025, 2)) == 12


# --- status: the basic four -----------------------------------------------------------


def test_the_four_statuses_of_the_design():
    records = frame(
        record("gone", geopend="1970", gesloten="2010"),
        record("back", geopend="1970", gesloten="2008"),
        record("successor", soort="huis_van_de_wijk", geopend="2009", opvolger_van="back", at=THERE, buurt="BU2"),
        record("new", soort="repair_cafe", geopend="2012"),
        record("lasting", geopend="1980"),
    )
    assert statuses(records, 2005, 2020) == {
        "gone": "verdwenen",
        "back": "teruggekeerd",
        "successor": "nieuw",
        "new": "nieuw",
        "lasting": "blijvend",
    }
    rows = change.status(records, 2005, 2020)
    assert rows.at["back", "opvolgers"] == ("successor",) and rows.at["back", "keten_eind"] == "successor"
    assert rows.at["successor", "voorgangers"] == ("back",)


def test_the_period_includes_both_end_years():
    records = frame(record("closed_in_a", geopend="1970", gesloten="2005"), record("opened_in_b", geopend="2020"))
    assert statuses(records, 2005, 2020) == {"closed_in_a": "verdwenen", "opened_in_b": "nieuw"}


# --- the hard cases --------------------------------------------------------------------


def test_closed_and_reopened_at_the_same_place():
    # Linked, same soort, after more than a year: it came back (in the same form) in the same building.
    records = frame(
        record("old", geopend="1970", gesloten="2010"),
        record("reopened", geopend="2014", opvolger_van="old"),
    )
    rows = change.status(records, 2005, 2020)
    assert rows["status"].to_dict() == {"old": "teruggekeerd", "reopened": "nieuw"}
    link = change.succession_links(records).iloc[0]
    assert link["zelfde_plek"] and link["zelfde_soort"] and not link["verhuizing"]
    # Before the reopening the place stood empty at the end of the period.
    before = change.status(records, 2005, 2012)
    assert before.at["old", "status"] == "verdwenen" and before.at["old", "later_opvolgers"] == ("reopened",)
    assert "reopened" not in before.index


def test_continued_in_the_same_building_within_a_year_is_a_move_not_a_closure():
    records = frame(
        record("no11", soort="repair_cafe", gesloten="2026-04-10"),
        record("no19", soort="repair_cafe", geopend="2026-04-11", opvolger_van="no11"),
    )
    rows = change.status(records, 2024, 2026)
    assert rows.at["no11", "status"] == "verhuisd" and rows.at["no11", "verhuisd_naar"] == "no19"
    assert rows.at["no19", "status"] == "blijvend" and rows.at["no19", "verhuisd_van"] == "no11"


def test_a_reopening_without_a_link_is_not_guessed():
    records = frame(record("old", geopend="1970", gesloten="2010"), record("new", geopend="2014"))
    assert statuses(records, 2005, 2020) == {"old": "verdwenen", "new": "nieuw"}


def test_successor_in_another_buurt():
    records = frame(
        record("bh", geopend="1970", gesloten="2012", buurt="BU1"),
        record("hvdw", soort="huis_van_de_wijk", geopend="2013", opvolger_van="bh", at=THERE, buurt="BU2"),
    )
    rows = change.with_records(change.status(records, 2005, 2020), records)
    balance = change.balance(rows, "buurt")
    assert balance.loc["BU1", ["teruggekeerd", "netto"]].to_list() == [1, -1]
    assert balance.loc["BU2", ["geopend", "netto"]].to_list() == [1, 1]
    assert change.balance(rows, "gemeente").loc["GM1", "netto"] == 0
    pairs = change.successions(records, 2005, 2020)
    assert pairs[["van", "naar"]].values.tolist() == [["bh", "hvdw"]] and not pairs["zelfde_plek"].iloc[0]
    assert pairs["van_gesloten"].iloc[0] == "2012" and pairs["naar_geopend"].iloc[0] == "2013"


def test_a_chain_of_successors():
    records = frame(
        record("buurthuis", geopend="1970", gesloten="2008"),
        record(
            "huiskamer", soort="huis_van_de_wijk", geopend="2008", gesloten="2014", opvolger_van="buurthuis", at=NEAR
        ),
        record("restaurant", soort="buurtrestaurant", geopend="2016", opvolger_van="huiskamer", at=THERE),
    )
    rows = change.status(records, 2005, 2020)
    assert rows["status"].to_dict() == {"buurthuis": "teruggekeerd", "huiskamer": "teruggekeerd", "restaurant": "nieuw"}
    assert rows.at["buurthuis", "keten_eind"] == "restaurant"  # what stands there at the end of the line
    assert rows.at["huiskamer", "ook_nieuw"]  # opened and closed within the period
    pairs = change.successions(records, 2005, 2020)
    assert pairs[["van", "naar", "keten", "stap"]].values.tolist() == [
        ["buurthuis", "huiskamer", "buurthuis", 1],
        ["huiskamer", "restaurant", "buurthuis", 2],
    ]
    # Ending the period before the restaurant opened: the line stopped at the huiskamer.
    short = change.status(records, 2005, 2015)
    assert short["status"].to_dict() == {"buurthuis": "teruggekeerd", "huiskamer": "verdwenen"}
    assert short.at["buurthuis", "keten_eind"] == "huiskamer"
    assert short.at["huiskamer", "later_opvolgers"] == ("restaurant",)


def test_a_closure_before_a_is_out_of_the_period_but_named_by_its_successor():
    records = frame(
        record("closed_early", geopend="1970", gesloten="2003"),
        record("successor", soort="huis_van_de_wijk", geopend="2006", opvolger_van="closed_early"),
    )
    rows = change.status(records, 2005, 2020)
    assert "closed_early" not in rows.index
    assert rows.at["successor", "status"] == "nieuw" and rows.at["successor", "voorgangers"] == ("closed_early",)
    assert change.successions(records, 2005, 2020).empty  # one end is not drawn: no line


def test_an_opening_after_b_is_out_of_the_period_and_does_not_replace_anything_yet():
    records = frame(
        record("closing", geopend="1970", gesloten="2019"),
        record("late", soort="buurtrestaurant", geopend="2022", opvolger_van="closing"),
    )
    rows = change.status(records, 2005, 2020)
    assert "late" not in rows.index
    assert rows.at["closing", "status"] == "verdwenen" and rows.at["closing", "later_opvolgers"] == ("late",)
    assert statuses(records, 2005, 2022) == {"closing": "teruggekeerd", "late": "nieuw"}


def test_missing_and_partial_dates():
    records = frame(
        record("unknown_opening", gesloten=""),  # already there, still open
        record("unknown_opening_closed", gesloten="2012-06"),  # already there, closed in June 2012
        record("year_only", geopend="2010"),
        record("month_only", geopend="2010-11"),
        record("garbage", geopend="ooit", gesloten="nooit"),  # unreadable: as if empty
    )
    assert statuses(records, 2005, 2020) == {
        "unknown_opening": "blijvend",
        "unknown_opening_closed": "verdwenen",
        "year_only": "nieuw",
        "month_only": "nieuw",
        "garbage": "blijvend",
    }
    assert statuses(records, 2011, 2020)["year_only"] == "blijvend"


# --- moves -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "closed, opened, soort, move",
    [
        ("2025-08-01", "2025-08-07", "repair_cafe", True),  # Oud Noord: a week later, 300 m on
        ("2025-04-04", "2025-05-18", "repair_cafe", True),  # Tolhuistuin: six weeks
        ("2024-01-10", "2025-01-10", "repair_cafe", True),  # exactly twelve months
        ("2024-01-10", "2025-02-10", "repair_cafe", False),  # thirteen: it stood empty too long
        ("2025-08-01", "2025-07-01", "repair_cafe", True),  # opened a month before the old one closed
        ("2010", "2011", "repair_cafe", True),  # years only: at most one calendar year apart
        ("2010", "2012", "repair_cafe", False),
        ("2025-08-01", "2025-08-07", "huis_van_de_wijk", False),  # another soort: another form, not a move
        ("2025-08-01", "", "repair_cafe", False),  # an opening that cannot be timed
        ("", "2025-08-07", "repair_cafe", False),  # the old one never closed
    ],
)
def test_the_move_rule(closed, opened, soort, move):
    before = record("a", soort="repair_cafe", gesloten=closed)
    after = record("b", soort=soort, geopend=opened, opvolger_van="a", at=NEAR)
    assert change.is_move(before, after) is move


def test_a_move_is_neither_a_closing_nor_an_opening():
    records = frame(
        record("old", soort="repair_cafe", geopend="2019", gesloten="2025-08-01", buurt="BU1"),
        record("new", soort="repair_cafe", geopend="2025-08-07", opvolger_van="old", at=NEAR, buurt="BU2"),
    )
    rows = change.with_records(change.status(records, 2024, 2026), records)
    assert rows["status"].to_dict() == {"old": "verhuisd", "new": "blijvend"}
    balance = change.balance(rows, "buurt")
    assert balance.loc["BU1", ["verhuisd_weg", "verdwenen", "netto"]].to_list() == [1, 0, -1]
    assert balance.loc["BU2", ["verhuisd_hier", "geopend", "netto"]].to_list() == [1, 0, 1]
    yearly = change.yearly_counts(records, 2024, 2026)
    assert yearly["open"].to_list() == [1, 1, 1]
    assert yearly["geopend"].sum() == 0 and yearly["gesloten"].sum() == 0
    # A provision that opened within the period and then moved is new, wherever it is now.
    assert statuses(records, 2019, 2026)["new"] == "nieuw"


def test_cycles_in_bad_data_end():
    records = frame(
        record("a", geopend="1990", gesloten="2010", opvolger_van="b"),
        record("b", soort="huis_van_de_wijk", geopend="2011", gesloten="2015", opvolger_van="a", at=THERE),
        record("self", opvolger_van="self"),
    )
    links = change.succession_links(records)
    assert len(links) == 2 and set(links["stap"]) <= {1, 2}
    assert set(change.status(records, 2005, 2020)["status"]) <= set(change.STATUSES)


def test_unknown_predecessor_ids_are_ignored():
    records = frame(record("orphan", geopend="2010", opvolger_van="does-not-exist"))
    assert change.succession_links(records).empty
    assert statuses(records, 2005, 2020) == {"orphan": "nieuw"}


# --- balance, cycle and summary -----------------------------------------------------------


def test_the_net_change_adds_up_on_the_bundled_data(small_store_path):
    records = store.read_records(small_store_path)
    for a, b in ((2005, 2020), (2001, 2025), (2024, 2026), (2015, 2015)):
        rows = change.with_records(change.status(records, a, b), records)
        for level in ("buurt", "wijk", "gemeente"):
            balance = change.balance(rows, level)
            parts = (
                balance["geopend"]
                + balance["verhuisd_hier"]
                - balance["verdwenen"]
                - balance["teruggekeerd"]
                - balance["verhuisd_weg"]
            )
            assert (parts == balance["netto"]).all(), (a, b, level)


def test_balance_per_category():
    records = frame(
        record("bh", geopend="1970", gesloten="2010"),
        record("hvdw", soort="huis_van_de_wijk", geopend="2011", opvolger_van="bh"),
    )
    rows = change.with_records(change.status(records, 2005, 2020), records)
    assert change.balance(rows, "buurt", ["klassiek"]).loc["BU1", "netto"] == -1
    assert change.balance(rows, "buurt", ["popup"]).loc["BU1", "netto"] == 1
    assert change.balance(rows, "buurt").loc["BU1", "netto"] == 0


def test_yearly_counts_open_on_31_december():
    records = frame(
        record("a", geopend="2000", gesloten="2002"),
        record("b", geopend="", gesloten=""),
        record("c", soort="repair_cafe", geopend="2001-05"),
    )
    yearly = change.yearly_counts(records, 2000, 2003).set_index(["categorie", "jaar"])
    assert yearly.loc["klassiek", "open"].to_list() == [2, 2, 1, 1]  # a closed in 2002: gone by its end
    assert yearly.loc["klassiek", "gesloten"].to_list() == [0, 0, 1, 0]
    assert yearly.loc["popup", ["open", "geopend"]].values.tolist() == [[0, 0], [1, 1], [1, 0], [1, 0]]


def buurthuizen_example():
    """9 buurthuizen closed 2005-2020, 6 with a successor (4 huizen van de wijk, 2 buurtrestaurants)."""
    rows = []
    for index in range(9):
        rows.append(record(f"bh{index}", geopend="1970", gesloten=str(2006 + index)))
    for index, soort in enumerate(["huis_van_de_wijk"] * 4 + ["buurtrestaurant"] * 2):
        rows.append(record(f"s{index}", soort=soort, geopend=str(2008 + index), opvolger_van=f"bh{index}", at=THERE))
    return frame(*rows)


def test_the_summary_says_it_in_plain_dutch():
    records = buurthuizen_example()
    rows = change.with_records(change.status(records, 2005, 2020), records)
    text = change.summary(rows, 2005, 2020)
    assert text.startswith(
        "Tussen 2005 en 2020 sloten 9 buurthuizen; 6 kregen een opvolger, meestal een huis van de wijk."
    )
    assert (
        "Er openden 6 nieuwe voorzieningen, vooral 4 huizen van de wijk en 2 buurtrestaurants; "
        "daarvan kwamen er 6 als opvolger." in text
    )
    assert "Per saldo waren er eind 2020 6 voorzieningen, 3 minder dan begin 2005 (9)." in text
    english = change.summary(rows, 2005, 2020, "en")
    assert english.startswith(
        "Between 2005 and 2020, 9 community centres closed; 6 got a successor, mostly a neighbourhood living room."
    )


def test_the_summary_speaks_of_one_and_of_none():
    records = frame(
        record("bh", geopend="1970", gesloten="2010"),
        record("hvdw", soort="huis_van_de_wijk", geopend="2011", opvolger_van="bh"),
    )
    rows = change.with_records(change.status(records, 2005, 2020), records)
    assert change.summary(rows, 2005, 2020).startswith(
        "Tussen 2005 en 2020 sloot 1 buurthuis; het kreeg een opvolger: een huis van de wijk. "
        "Er opende 1 nieuwe voorziening: een huis van de wijk; daarvan kwam er 1 als opvolger."
    )
    # Counting only the classic provisions, the successor is still named by its own soort.
    assert "een huis van de wijk" in change.summary(rows, 2005, 2020, categories=["klassiek"])
    nothing = frame(record("lasting", geopend="1970"))
    rows = change.with_records(change.status(nothing, 2005, 2020), nothing)
    assert change.summary(rows, 2005, 2020).startswith("Tussen 2005 en 2020 sloot er niets.")


def test_the_summary_names_the_area_that_lost_most():
    records = buurthuizen_example()
    rows = change.with_records(change.status(records, 2005, 2020), records)
    balance = change.balance(rows, "buurt")
    text = change.summary(rows, 2005, 2020, area_names={"BU1": "Lombok"}, area_balance=balance)
    assert text.endswith("Het grootste verlies: Lombok (−3).")


# --- the default period --------------------------------------------------------------------


def test_default_period_follows_the_data(small_store_path):
    records = store.read_records(small_store_path)
    amsterdam = records[records["gemeentecode"] == "GM0363"]
    assert change.default_period(amsterdam, 2026) == (2024, 2026)
    assert change.year_span(amsterdam, 2026) == (2024, 2026)
    utrecht = records[records["gemeentecode"] == "GM0344"]
    a, b = change.default_period(utrecht, 2026)
    assert b == 2025 and 2000 <= a <= 2005  # from the first closing to the last event
    assert change.default_period(records.iloc[0:0], 2026) == (2016, 2026)


def test_the_amsterdam_repair_cafes_move_and_close_honestly(small_store_path):
    records = store.read_records(small_store_path)
    amsterdam = records[records["gemeentecode"] == "GM0363"]
    rows = change.with_records(change.status(amsterdam, 2024, 2026), amsterdam)
    moved = set(rows.loc[rows["status"] == "verhuisd", "naam"])
    assert moved == {"Oud Noord", "Repair Events Tolhuistuin", "Zonneplein"}
    # Cafés on the list from its first snapshot have no opening date: already there, not new.
    assert (
        rows.loc[amsterdam.set_index("id")["geopend"].eq("").reindex(rows.index), "status"].isin(
            ["blijvend", "verdwenen", "verhuisd"]
        )
    ).all()
    assert not rows["status"].eq("teruggekeerd").any()  # a move is not a closure plus a successor


# --- statistics between years ---------------------------------------------------------------


def stats(rows):
    return pd.DataFrame(rows, columns=["code", "jaar", "indicator", "waarde"]).assign(bron="test")


def test_compare_statistics_flags_instead_of_comparing():
    statistics = stats(
        [
            ("BU1", 2015, "inwoners", 1000),
            ("BU1", 2023, "inwoners", 1100),
            ("BU1", 2015, "pct_65plus", 10.0),
            ("BU1", 2023, "pct_65plus", 12.5),
            ("BU2", 2015, "inwoners", 1000),
            ("BU2", 2023, "inwoners", 1400),  # +40%: another area?
            ("BU2", 2015, "pct_65plus", 20.0),
            ("BU2", 2023, "pct_65plus", 15.0),
            ("BU3", 2023, "inwoners", 500),
            ("BU3", 2023, "pct_65plus", 30.0),  # no 2015 figures at all
            ("BU4", 2015, "inwoners", 100),
            ("BU4", 2023, "inwoners", 140),  # +40%, but only 40 people
            ("BU4", 2015, "pct_65plus", 5.0),
            ("BU4", 2023, "pct_65plus", 6.0),
            ("BU5", 2015, "inwoners", 800),
            ("BU5", 2023, "inwoners", 800),
            ("BU5", 2015, "pct_65plus", 9.0),
            ("BU6", 2015, "inwoners", 0),
            ("BU6", 2023, "inwoners", 2000),  # new housing on empty land
        ]
    )
    frame = change.compare_statistics(statistics, "pct_65plus", 2015, 2023, ["BU1", "BU2", "BU3", "BU4", "BU5", "BU6"])
    assert frame["vlag"].to_dict() == {
        "BU1": "",
        "BU2": "grens",
        "BU3": "code_a",
        "BU4": "",
        "BU5": "geen_waarde",
        "BU6": "grens",
    }
    assert frame.at["BU1", "verschil"] == pytest.approx(2.5)
    assert math.isnan(frame.at["BU2", "verschil"]) and frame.at["BU2", "waarde_b"] == 15.0  # values kept, no difference
    assert frame.at["BU4", "verschil"] == pytest.approx(1.0)
    assert frame.at["BU6", "inwoners_verandering"] == math.inf


def test_utrecht_buurten_2015_to_2023_flag_the_new_build_areas(small_store_path):
    statistics = store.read_statistics(small_store_path)
    codes = list(store.read_areas("buurt_2015", "GM0344", small_store_path)["code"])
    frame = change.compare_statistics(statistics, "inwoners", 2015, 2023, codes, min_people=0)
    assert (frame["vlag"] == "grens").sum() == 18  # as data/README.md counts them
    assert frame.loc["BU03440933", "vlag"] == "grens"  # Leidsche Rijn: 270 -> 3,825


def test_amsterdam_wijken_2015_and_2024_share_no_code(small_store_path):
    statistics = store.read_statistics(small_store_path)
    codes = [
        *store.read_areas("wijk_2015", "GM0363", small_store_path)["code"],
        *store.read_areas("wijk_2024", "GM0363", small_store_path)["code"],
    ]
    frame = change.compare_statistics(statistics, "inwoners", 2015, 2024, codes)
    assert set(frame["vlag"]) == {"code_a", "code_b"} and frame["verschil"].isna().all()
