"""What the store holds per gemeente: Utrecht (the sample), Amsterdam (real repair cafés
only), Deventer (no provisions at all); and the Gegevens page that says so to users in
Dutch and English, without file paths or developers' words."""

from __future__ import annotations

import re
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from wijkmap.config import REPO_ROOT
from wijkmap.core import indeling
from wijkmap.coverage import model
from wijkmap.data import store as wstore

APP = str(REPO_ROOT / "app.py")


@pytest.fixture(scope="module")
def store_path(mixed_store_path):
    return mixed_store_path


@pytest.fixture(scope="module")
def reads(store_path):
    names = {layer: wstore.read_area_names(layer, store_path) for layer in wstore.area_layers(store_path)}
    return wstore.read_statistics(store_path), names, wstore.read_records(store_path)


def covered(reads, gemeente):
    statistics, names, records = reads
    return model.coverage(statistics, names, records, gemeente, today="2026-12-02")


def test_utrecht_has_figures_of_several_years_boundaries_and_only_the_sample(reads):
    statistics, names, records = reads
    found = covered(reads, "GM0344")
    buurt_years = {item.jaar for item in found.figures if item.niveau == "buurt"}
    assert {2015, 2023, 2024} <= buurt_years
    figures_2024 = next(item for item in found.figures if (item.niveau, item.jaar) == ("buurt", 2024))
    rows = statistics[(statistics["jaar"] == 2024) & statistics["code"].str.startswith("BU0344")]
    assert figures_2024.areas == rows["code"].nunique()
    assert set(figures_2024.indicators) == set(rows["indicator"])
    assert dict(figures_2024.areas_per_indicator) == rows.groupby("indicator")["code"].nunique().to_dict()
    buurten = next(item for item in found.boundaries if item.layer == "buurt_2015")
    assert buurten.areas == (names["buurt_2015"]["gemeentecode"] == "GM0344").sum()
    assert found.has_sample and not found.real_sources
    (sample,) = found.sources
    assert sample.sample and sample.count == (records["gemeentecode"] == "GM0344").sum()
    assert sample.first <= sample.newest and sample.newest[:4] <= "2026"


def test_amsterdam_has_only_real_repair_cafes_with_their_dates_and_licence(reads):
    found = covered(reads, "GM0363")
    assert not found.has_sample
    (cafes,) = found.real_sources
    assert cafes.bron == "Repair Cafés in Amsterdam" and "GPL-3.0" in cafes.terms
    assert model.date_span(cafes) == "2024–2026"
    assert 0 < cafes.open_now < cafes.count  # some stopped being listed


def test_deventer_has_figures_and_boundaries_but_no_provisions(reads):
    found = covered(reads, "GM0150")
    assert found.sources == ()
    assert {item.niveau for item in found.figures} == {"buurt", "wijk", "gemeente"}
    assert "buurt_2015" in {item.layer for item in found.boundaries}


def test_an_openstreetmap_source_carries_its_credit():
    import pandas as pd

    records = pd.DataFrame(
        {
            "bron": ["OpenStreetMap", "OpenStreetMap", "Register Deventer 2026"],
            "gemeentecode": ["GM0150"] * 3,
            "geopend": ["2019", "", ""],
            "gesloten": ["", "2025-06-01", ""],
        }
    )
    osm, register = model.provision_sources(records, "GM0150", today="2026-12-02")
    assert (osm.bron, osm.count, osm.open_now, osm.terms) == (
        "OpenStreetMap",
        2,
        1,
        "© OpenStreetMap-bijdragers (ODbL)",
    )
    assert model.date_span(osm) == "2019–2025"
    assert (register.terms, model.date_span(register)) == ("", "")


def test_the_country_adds_up_its_gemeenten(reads):
    _, names, records = reads
    found = covered(reads, None)
    assert sum(source.count for source in found.sources) == len(records)
    assert [source.sample for source in found.sources] == [False, True]  # real sources first
    assert {item.layer: item.areas for item in found.boundaries} == {name: len(frame) for name, frame in names.items()}


def test_codes_name_their_gemeente_and_level():
    import pandas as pd

    codes = pd.Series(["GM0150", "WK015001", "BU03440611", "WK0363AA", "XX1"])
    assert indeling.gemeente_of(codes).tolist() == ["GM0150", "GM0150", "GM0344", "GM0363", ""]
    assert model.level_of(codes).tolist() == ["gemeente", "wijk", "buurt", "wijk", ""]


# --- the Gegevens page ---------------------------------------------------------------------


@pytest.fixture
def app_store(store_path, tmp_path, monkeypatch):
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(store_path, path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


def gegevens(gemeente: str = "", lang: str = "nl") -> AppTest:
    app = AppTest.from_file(APP, default_timeout=90)
    if lang != "nl":
        app.query_params["lang"] = lang
    app.run()
    app.switch_page("app_pages/gegevens.py").run()
    if gemeente:
        app.selectbox(key="gegevens_gemeente").select(gemeente).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def page_text(app: AppTest) -> str:
    parts = [e.value for e in (*app.title, *app.header, *app.subheader, *app.markdown, *app.info, *app.caption)]
    for frame in app.dataframe:
        parts.extend(str(c) for c in frame.value.columns)
        parts.extend(str(v) for v in frame.value.astype(str).to_numpy().ravel())
    return "\n".join(str(p) for p in parts)


# What the old page showed: paths, commits and the people who gathered the files.
TECHNICAL = re.compile(r"sources/|\.py\b|\.csv\b|\.geojson\b|\.gpkg\b|commit|data scout|scout|/work/|[0-9a-f]{40}")


def test_the_dutch_page_for_deventer_says_what_there_is_and_what_not(app_store):
    text = page_text(gegevens("GM0150"))
    assert "Wat er is voor Deventer" in text
    assert "Geen voorzieningen bekend voor Deventer." in text
    assert "python -m wijkmap import-osm BESTAND" in text and "*Voorbeeld insturen*" in text
    assert "CC BY 4.0" in text and "README.md in de map data" in text
    assert "Buurt 2015" in text  # a column of the table of figures per level and year
    assert not TECHNICAL.search(text), TECHNICAL.search(text)
    # No English: the words of the old page and of the English one.
    for english in ("Provisions", "Source", "Layer", "sample", "records", "What there is", "Figures", "Boundaries"):
        assert english not in text, english


def test_the_dutch_page_for_amsterdam_lists_the_repair_cafes_with_licence(app_store):
    text = page_text(gegevens("GM0363"))
    assert "Repair Cafés in Amsterdam" in text and "2024–2026" in text and "GPL-3.0" in text
    assert "Geen voorzieningen bekend" not in text


def test_the_dutch_page_for_utrecht_marks_the_sample(app_store):
    text = page_text(gegevens("GM0344"))
    assert "Fictief voorbeeld (verzonnen, alleen ter illustratie)" in text
    assert "Voor Utrecht is alleen het fictieve voorbeeld bekend" in text


def test_the_english_page_speaks_english(app_store):
    text = page_text(gegevens("GM0150", lang="en"))
    assert "What there is for Deventer" in text and "No provisions known for Deventer." in text
    assert "Sources and licences" in text
    assert not TECHNICAL.search(text)
    for dutch in ("Wat er is", "Geen voorzieningen", "Bronnen", "Toelichting", "Gebieden"):
        assert dutch not in text, dutch


def test_the_country_page_counts_every_source(app_store):
    text = page_text(gegevens())
    assert "Wat er is voor Nederland" in text
    assert "Repair Cafés in Amsterdam" in text and "Fictief voorbeeld" in text


def test_coming_from_the_map_the_page_shows_the_gemeente_looked_at_there(app_store):
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["gemeente"] = "GM0150"
    app.run()
    app.switch_page("app_pages/gegevens.py").run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Wat er is voor Deventer" in page_text(app)


def test_once_deventer_has_a_contribution_both_pages_say_so(app_store):
    import pandas as pd

    from wijkmap.core.records import FIELDS

    record = {name: "" for name in FIELDS} | {
        "id": "bijdrage-test-1",
        "naam": "Huiskamer De Hoven",
        "soort": "huis_van_de_wijk",
        "strategie": "bonding",
        "bron": "bijdrage",
        "gemeentecode": "GM0150",
        "lon": 6.1552,
        "lat": 52.2549,
    }
    wstore.upsert_records(pd.DataFrame([record]), path=app_store)
    text = page_text(gegevens("GM0150"))
    assert "Bijdragen van bewoners en organisaties (bekeken door de redactie)" in text
    assert "Geen voorzieningen bekend" not in text

    kaart = AppTest.from_file(APP, default_timeout=90)
    kaart.query_params["gemeente"] = "GM0150"
    kaart.run()
    assert not kaart.exception, [e.value for e in kaart.exception]
    assert "Voorzieningen getoond" in [m.label for m in kaart.metric]
    assert not any("Geen voorzieningen bekend" in i.value for i in kaart.info)


def test_a_link_to_the_page_with_a_gemeente_opens_on_that_gemeente(app_store):
    app = AppTest.from_file(APP, default_timeout=90)
    app.query_params["gemeente"] = "GM0150"
    app.switch_page("app_pages/gegevens.py").run()  # the link itself, not the map first
    assert not app.exception, [e.value for e in app.exception]
    assert "Wat er is voor Deventer" in page_text(app)
