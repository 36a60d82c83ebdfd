"""app.py as a whole, under Streamlit's AppTest: what every page does without a store."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = Path(__file__).resolve().parents[1] / "app.py"
PAGES = ["kaart", "verandering", "gegevens", "voorbeelden", "bijdragen", "moderatie"]


@pytest.mark.parametrize("page", PAGES)
def test_without_a_store_every_page_says_how_to_build_it(page, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKMAP_STORE", str(tmp_path / "nergens" / "wijkmap.gpkg"))
    monkeypatch.setenv("WIJKMAP_MODERATOR_SECRET", "geheim")  # else Moderatie stops before reading the store
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    if page != "kaart":
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert [e.value for e in app.error] == [
        "Er is nog geen gegevensbestand. Maak het met `python -m wijkmap build-data`."
    ]


def test_the_change_profile_of_an_area_without_provisions_says_so(store):
    """`store`: a copy of the small store, set as $WIJKMAP_STORE."""
    from wijkmap.data import store as wstore

    records = wstore.read_records(path=store)
    buurten = wstore.read_areas("buurt_2015", "GM0344", path=store)
    empty = sorted(set(buurten["code"]) - set(records["buurtcode"]))[0]
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.query_params["gemeente"], app.query_params["gebied"] = "GM0344", empty
    app.run()
    app.switch_page("app_pages/verandering.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Hier stond in deze periode geen voorziening van de gekozen soorten." in [i.value for i in app.info]


@pytest.mark.parametrize("page", PAGES)
def test_every_page_runs_on_a_postgresql_store(page, pg_store, monkeypatch):
    """`pg_store`: the small store in its own PostgreSQL database, set as $WIJKMAP_STORE."""
    monkeypatch.setenv("WIJKMAP_MODERATOR_SECRET", "geheim")
    app = AppTest.from_file(str(APP), default_timeout=120)
    app.run()
    if page != "kaart":
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert [e.value for e in app.error] == []


@pytest.mark.parametrize("page", ["kaart", "gegevens"])
def test_a_database_that_does_not_answer_is_said_so_without_its_password(page, monkeypatch):
    monkeypatch.setenv("WIJKMAP_STORE", "postgresql://wijkmap:geheim-wachtwoord@127.0.0.1:1/wijkmap")
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.run()
    if page != "kaart":
        app.switch_page(f"app_pages/{page}.py").run()
    assert not app.exception, [e.value for e in app.exception]
    shown = [e.value for e in app.error]
    assert shown == [
        "De database is even niet bereikbaar. De pagina probeert het elke paar seconden opnieuw en gaat vanzelf "
        "verder zodra de database er weer is; wat al is opgeslagen, blijft bewaard."
    ]
    assert not any(
        "geheim" in str(element.value) for element in app.main.children.values() if hasattr(element, "value")
    )


@pytest.mark.parametrize("page", ["kaart", "verandering"])
def test_the_list_beside_the_map_selects_an_area_as_a_click_does(page, store):
    """The keyboard's way to an area: the list of the areas on the map, by name."""
    from wijkmap.data import store as wstore

    buurten = wstore.read_areas("buurt_2015", "GM0344", path=store).sort_values("code")
    code, name = buurten["code"].iloc[3], buurten["naam"].iloc[3]
    app = AppTest.from_file(str(APP), default_timeout=60)
    app.query_params["gemeente"] = "GM0344"
    app.run()
    if page != "kaart":
        app.switch_page(f"app_pages/{page}.py").run()
    picker = next(box for box in app.selectbox if box.label == "Gebied op de kaart")
    assert picker.value is None and len(picker.options) == len(buurten)
    if page == "kaart":  # the map says where its text alternative is
        assert any("staat ook in tekst: de lijst ‘Gebied op de kaart’" in caption.value for caption in app.caption)
    assert f"{name} ({code})" in picker.options
    picker.select(code).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.query_params["gebied"] == code
    app.run()  # the view the choice asked for, as the browser's next run
    assert name in [header.value.replace("\\", "") for header in app.header]  # headers are markdown, escaped
    assert next(box for box in app.selectbox if box.label == "Gebied op de kaart").value == code
