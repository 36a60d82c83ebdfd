"""Kaart compares areas from its link, and a person finds, opens and compares areas.

Under Streamlit's AppTest, on the mixed store (Utrecht with the sample, Amsterdam with
the real repair cafés, Deventer with figures only): what a person reads."""

from __future__ import annotations

import functools
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.kaart_app import kaart as open_kaart

LOMBOK = "BU03440121"  # Lombok-Oost, Utrecht
BINNENSTAD = "WK015001"  # Binnenstad, Deventer (a wijk of 2024)


@pytest.fixture
def mixed_store(mixed_store_path, tmp_path, monkeypatch):
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(mixed_store_path, path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


kaart = functools.partial(open_kaart, timeout=120)


def unescaped(text: str) -> str:
    return text.replace("\\", "")


def headings(app: AppTest) -> list[str]:
    return [unescaped(h.value) for h in app.subheader]


def table_with(app: AppTest, subject: str):
    """The shown table that has a row `subject`, indexed by its first column."""
    for frame in app.dataframe:
        value = frame.value
        if len(value.columns) and subject in list(value.iloc[:, 0]):
            return value.set_index(value.columns[0])
    raise AssertionError(f"no table with {subject!r}: {[list(f.value.columns) for f in app.dataframe]}")


def test_the_link_opens_the_comparison_with_names_as_headings_and_the_figures(mixed_store):
    app = kaart(gemeente="GM0344", vergelijk=f"{LOMBOK},{BINNENSTAD}")
    assert "Vergelijking" in [h.value for h in app.header]
    assert headings(app)[:2] == ["Lombok-Oost", "Binnenstad"]
    figures = table_with(app, "Inwoners")
    assert list(figures.columns[:5]) == [
        "Jaar",
        "Lombok-Oost (BU03440121)",
        "Binnenstad (WK015001)",
        "Gemeente Utrecht (GM0344)",
        "Gemeente Deventer (GM0150)",
    ]
    assert figures.loc["Inwoners", "Jaar"] == "2024"
    assert figures.loc["Inwoners", "Lombok-Oost (BU03440121)"] == "2.260"
    assert figures.loc["Inwoners", "Binnenstad (WK015001)"] == "8.900"
    assert figures.loc["Inwoners", "Gemeente Deventer (GM0150)"] == "103.405"
    assert figures.loc["Inwoners van 65 jaar of ouder (%)", "Lombok-Oost (BU03440121)"] == "8,6%"
    provisions = table_with(app, "Totaal")
    assert provisions.loc["Totaal", "Lombok-Oost (BU03440121)"] == "5"
    assert provisions.loc["waarvan fictief voorbeeld", "Lombok-Oost (BU03440121)"] == "5"
    # Deventer has no provisions known: no count, not zero.
    assert provisions.loc["Totaal", "Binnenstad (WK015001)"] == "–"
    matrix = table_with(app, "Bonding (binden) · Informeel")
    assert matrix.loc["Bonding (binden) · Informeel", "Lombok-Oost (BU03440121)"] == "3"
    change = table_with(app, "Netto")
    assert "Lombok-Oost (BU03440121)" in change.columns
    shown = unescaped("\n".join(str(e.value) for e in (*app.info, *app.caption, *app.markdown)))
    assert "fictieve voorbeelden" in shown
    assert "Geen voorzieningen bekend in de gemeente van Binnenstad" in shown
    assert "CBS 85984NED (KWB 2024)" in shown  # the sources under it
    # A small map per area, and the legend they share.
    assert len(app.get("image")) == 3
    assert app.query_params["vergelijk"] == f"{LOMBOK},{BINNENSTAD}"


def test_the_comparison_reads_in_english(mixed_store):
    app = kaart(gemeente="GM0344", vergelijk=f"{LOMBOK},GM0363", lang="en")
    assert "Comparison" in [h.value for h in app.header]
    assert headings(app)[:2] == ["Lombok-Oost", "Amsterdam"]
    figures = table_with(app, "Residents")
    assert figures.loc["Residents", "Municipality Utrecht (GM0344)"] == "374,238"


def test_an_unknown_code_drops_the_comparison_and_says_which(mixed_store):
    app = kaart(gemeente="GM0344", vergelijk=f"{LOMBOK},BU99999999")
    warnings = [unescaped(w.value) for w in app.warning]
    assert any("vergelijk=BU03440121,BU99999999" in w and "onbekend gebied BU99999999" in w for w in warnings)
    assert "Vergelijking" not in [h.value for h in app.header]
    assert "vergelijk" not in app.query_params


def test_one_code_or_five_are_no_comparison_and_are_named(mixed_store):
    app = kaart(gemeente="GM0344", vergelijk=LOMBOK)
    assert any("vergelijk=BU03440121" in unescaped(w.value) for w in app.warning)
    assert "Vergelijking" not in [h.value for h in app.header]


def test_search_finds_a_buurt_by_a_misspelt_accent_and_opens_it(mixed_store):
    app = kaart()
    app.text_input(key="council_search").input("lómbok-OOST").run()
    opens = [b for b in app.button if b.key and b.key.startswith("search_open_")]
    assert unescaped(opens[0].label) == "Lombok-Oost (Buurt, Utrecht)"
    opens[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["gemeente"] == "GM0344" and app.query_params["gebied"] == LOMBOK
    assert "Lombok-Oost" in [unescaped(h.value) for h in app.header]  # the profile of the selected buurt


def test_a_postcode_finds_buurten_and_says_it_is_approximate(mixed_store):
    app = kaart()
    app.text_input(key="council_search").input("3531").run()
    labels = [unescaped(b.label) for b in app.button if b.key and b.key.startswith("search_open_")]
    assert "Lombok-Oost (Buurt, Utrecht) · 3531 ≈" in labels
    assert any("meest voorkomende postcode van de buurt; bij benadering" in c.value for c in app.caption)


def test_areas_are_added_from_the_search_and_the_profile_and_removed(mixed_store):
    app = kaart(gemeente="GM0344", gebied=LOMBOK)
    app.button(key="profile_compare").click().run()
    assert any("In de vergelijking: Lombok-Oost" in unescaped(i.value) for i in app.info)
    app.text_input(key="council_search").input("Binnenstad Deventer").run()
    adds = [b for b in app.button if b.key and b.key.startswith(f"search_compare_0_{BINNENSTAD}")]
    adds[0].click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Vergelijking" in [h.value for h in app.header]
    shown = headings(app)  # the profile's own heading comes first
    assert shown[shown.index("Binnenstad") - 1 : shown.index("Binnenstad") + 1] == ["Lombok-Oost", "Binnenstad"]
    app.run()  # the address follows the view
    assert app.query_params["vergelijk"] == f"{LOMBOK},{BINNENSTAD}"
    app.button(key=f"compare_remove_{BINNENSTAD}").click().run()
    assert "Vergelijking" not in [h.value for h in app.header]
    assert any("In de vergelijking: Lombok-Oost" in unescaped(i.value) for i in app.info)


def test_the_period_of_what_changed_is_chosen_and_kept_in_the_link(mixed_store):
    app = kaart(gemeente="GM0344", vergelijk=f"{LOMBOK},GM0363")
    app.slider(key="compare_periode").set_value((2010, 2020)).run()
    assert not app.exception, [e.value for e in app.exception]
    change = table_with(app, "Netto")
    assert set(change["Jaar"]) == {"2010-2020"}
    assert "**Veranderd 2010–2020**" in [m.value for m in app.markdown]
    app.run()
    assert (app.query_params["van"], app.query_params["tot"]) == ("2010", "2020")
