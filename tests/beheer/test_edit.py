"""The edit section's own logic: finding a record, and the form's values to and from a record."""

from __future__ import annotations

import pandas as pd

from wijkmap.beheer import edit
from wijkmap.contributions import form
from wijkmap.core.records import FIELDS


def record(**fields) -> dict:
    return {field: "" for field in FIELDS} | {"lon": 5.1214, "lat": 52.0907} | fields


def test_matches_finds_by_part_of_the_name_within_the_gemeente_without_case():
    records = pd.DataFrame(
        [
            record(id="a", naam="Buurthuis De Linde", gemeentecode="GM0344"),
            record(id="b", naam="De linde-boom", gemeentecode="GM0344"),
            record(id="c", naam="De Linde", gemeentecode="GM0363"),
            record(id="d", naam="Repair Café (a+b)*", gemeentecode="GM0344"),
        ]
    )
    assert list(edit.matches(records, "GM0344", "LINDE")["id"]) == ["a", "b"]
    assert list(edit.matches(records, "GM0344", "(a+b)*")["id"]) == ["d"], "the search is text, not a pattern"
    assert list(edit.matches(records, "GM0344", " ")["id"]) == ["a", "b", "d"]
    assert edit.matches(records, None, "Linde").empty


def test_a_record_goes_into_the_form_and_back_unchanged():
    stored = pd.Series(
        record(id="x1", naam="**vet** <b>x</b>", soort="buurthuis", strategie="bridging", actortype="bewoners;gemeente",
               doelgroep="ouderen", tarief="", tijdelijk="ja", geopend="2019", gemeentecode="GM0344",
               buurtcode="BU03440611")
    )  # fmt: skip
    values = edit.form_values(stored)
    assert values["actortype"] == ["bewoners", "gemeente"] and values["tarief"] is None
    state: dict = {}
    form.fill(edit.PREFIX, state, values)
    fields = edit.edited_fields("x1", form.raw_values(edit.PREFIX, state))
    assert fields == {
        "id": "x1", "naam": "**vet** <b>x</b>", "omschrijving": "", "soort": "buurthuis", "strategie": "bridging",
        "tarief": "", "tijdelijk": "ja", "geopend": "2019", "gesloten": "", "url": "",
        "actortype": "bewoners;gemeente", "doelgroep": "ouderen", "lat": "52.090700", "lon": "5.121400",
    }  # fmt: skip
