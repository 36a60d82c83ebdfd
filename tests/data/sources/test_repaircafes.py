"""The Amsterdam repair cafés: the real source, with honest dates and resolved moves."""

from __future__ import annotations

import pandas as pd
import pytest

from wijkmap.config import REPO_ROOT
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import FIELDS, parse_fields
from wijkmap.data.sources import repaircafes

SOURCES = REPO_ROOT / "data" / "sources"
CSV = SOURCES / repaircafes.FOLDER / repaircafes.FILENAME


@pytest.fixture(scope="module")
def records() -> pd.DataFrame:
    return repaircafes.load_records(SOURCES)


@pytest.fixture(scope="module")
def source() -> pd.DataFrame:
    return pd.read_csv(CSV, dtype=str, keep_default_na=False)


def one(records: pd.DataFrame, naam: str, address: str) -> pd.Series:
    """The record of the café `naam` at `address` (the id is made from both)."""
    rows = records[records["id"] == repaircafes.record_id(naam, address)]
    assert len(rows) == 1, (naam, address, len(rows))
    assert rows.iloc[0]["naam"] == naam and f"Adres: {address} (" in rows.iloc[0]["omschrijving"]
    return rows.iloc[0]


def test_columns_and_count(records, source):
    assert list(records.columns) == FIELDS
    assert len(source) == 56
    # one record per address, plus the second Afvalpaleis café at Dapperstraat 76
    assert len(records) == 57
    assert records["id"].is_unique
    assert records["lon"].dtype == float and records["lat"].dtype == float
    assert records["lat"].between(52.25, 52.45).all() and records["lon"].between(4.7, 5.1).all()
    text = [c for c in FIELDS if c not in ("lon", "lat")]
    assert not records[text].isna().any().any()
    assert (records[["buurtcode", "wijkcode", "gemeentecode", "werkgebied", "tijdelijk"]] == "").all().all()


def test_fixed_fields(records):
    assert (records["bron"] == "Repair Cafés in Amsterdam").all()
    assert (records["soort"] == "repair_cafe").all()
    assert (records["strategie"] == "onbekend").all()
    assert (records["actortype"] == "vrijwilligersorganisatie").all()
    assert set(records["doelgroep"]) <= {"iedereen", "jongeren"}
    # a tariff only where the source says so (De steek's page is "gratis-kleding-repaircafe")
    assert records.loc[records["tarief"] != "", "naam"].tolist() == ["De steek"]


def test_every_record_parses_cleanly(records):
    for row in records.to_dict("records"):
        parsed, problems = parse_fields(row)
        assert problems == [], (row["id"], problems)
        for field in ("soort", "strategie", "actortype", "doelgroep", "tarief", "geopend", "gesloten"):
            assert parsed[field] == row[field], (row["id"], field)
        assert row["soort"] in vocab.SOORTEN


def test_ids_are_stable():
    assert repaircafes.record_id("Oud Noord", "Hulstweg 11") == repaircafes.record_id("Oud Noord", " hulstweg 11 ")
    assert repaircafes.record_id("Oud Noord", "Hulstweg 11") != repaircafes.record_id(
        "Oud Noord", "Kamperfoelieweg 207"
    )
    assert repaircafes.slugify("Sloten – Oud Osdorp") == "sloten-oud-osdorp"


def test_no_opening_date_from_the_build_up_of_the_list(records, source):
    opened = records.loc[records["geopend"] != "", "geopend"]
    assert (opened >= "2024-07-01").all()
    proxies = source.loc[source["first_seen_is_opening_proxy"] == "True", "first_seen"]
    assert sorted(opened) == sorted(proxies)
    early = records[records["geopend"] == ""]
    assert early["omschrijving"].str.contains("openingsdatum onbekend").all()


def test_closed_ones_have_gesloten(records, source):
    closed = source[source["active_in_latest"] == "False"]
    assert len(closed) == 14
    assert (records["gesloten"] != "").sum() == 14
    for row in closed.itertuples():
        record = one(records, row.name, row.address)
        assert record["gesloten"] == row.last_seen
    for row in source[source["active_in_latest"] == "True"].itertuples():
        assert one(records, row.name, row.address)["gesloten"] == ""


@pytest.mark.parametrize(
    ("naam", "old", "new"),
    [("Oud Noord", "Kamperfoelieweg 207", "Hulstweg 11"), ("Zonneplein", "Zonneplein 11", "Zonneplein 19")],
)
def test_a_move_links_the_new_address_to_the_old(records, naam, old, new):
    before, after = one(records, naam, old), one(records, naam, new)
    assert after["opvolger_van"] == before["id"]
    assert before["gesloten"] != "" and after["geopend"] >= before["gesloten"]
    assert before["opvolger_van"] == ""
    assert "Verhuisd naar" in before["omschrijving"] and "gestopt" not in before["omschrijving"]


def test_tolhuistuin_address_change_and_overlaps(records):
    ij, three, five = (
        one(records, "Repair Events Tolhuistuin", address)
        for address in ("IJpromenade 2", "Tolhuisweg 3", "Tolhuisweg 5")
    )
    assert five["opvolger_van"] == three["id"]
    assert three["opvolger_van"] == "" and ij["opvolger_van"] == ""
    assert all(r["gesloten"] != "" for r in (ij, three, five))


@pytest.mark.parametrize(
    ("naam", "main", "other"),
    [
        ("De Pijp", "Lutmastraat 61a", "Tweede van der Helststraat 66"),
        ("De Boeg", "Hoofdweg 495 a", "Karel Doormanstraat 125"),
    ],
)
def test_an_overlapping_second_address_is_not_a_move(records, naam, main, other):
    first, second = one(records, naam, main), one(records, naam, other)
    assert first["opvolger_van"] == "" and second["opvolger_van"] == ""
    assert first["gesloten"] == ""  # still on the agenda
    assert second["gesloten"] != ""
    assert "geen verhuizing" in second["omschrijving"]
    assert "gestopt" not in second["omschrijving"]  # the café itself did not stop


def test_every_opvolger_exists(records):
    ids = set(records["id"])
    for value in records["opvolger_van"]:
        assert value == "" or value in ids


def test_two_cafes_at_dapperstraat(records):
    both = records[records["omschrijving"].str.contains("Adres: Dapperstraat 76", regex=False)]
    assert sorted(both["naam"]) == ["Afvalpaleis (elektra)", "Afvalpaleis (textiel)"]
    assert both["lon"].nunique() == 1 and both["lat"].nunique() == 1
    assert (both["geopend"] == "").all() and (both["gesloten"] == "").all()
