"""The Kaart page says what it does not know: for a gemeente without provisions
(Deventer) no 'Voorzieningen getoond 0' and no ranking of thin buurten, but the three
ways in; the same when only the sample is known and switched off. The figures of the
view can be downloaded per area."""

from __future__ import annotations

import csv
import functools
import io
import shutil

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.kaart_app import kaart
from wijkmap.core import analysis
from wijkmap.council import ranking
from wijkmap.council.need import NeedProfile
from wijkmap.data import store as wstore
from wijkmap.explorer import model as explorer


@pytest.fixture
def deventer_store(mixed_store_path, tmp_path, monkeypatch):
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(mixed_store_path, path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


def texts(app: AppTest) -> str:
    parts = [e.value for e in (*app.info, *app.markdown, *app.caption)]
    return "\n".join(str(p) for p in parts)


def test_deventer_says_no_provisions_are_known_and_offers_the_three_ways_in(deventer_store):
    app = kaart(gemeente="GM0150", indicator="pct_65plus")
    shown = texts(app)
    assert "Geen voorzieningen bekend voor Deventer." in shown
    assert "Voorzieningen getoond" not in [m.label for m in app.metric]
    assert "Hoge nood, dunne sociale basis" in shown
    assert "dus staat hier geen rangorde" in shown
    for way in ("python -m wijkmap import BESTAND", "python -m wijkmap import-osm BESTAND", "*Voorbeeld insturen*"):
        assert way in shown
    # No table ranks buurten: the only tables are the records (empty) and the profile's none.
    assert all("per 1.000 inw." not in list(frame.value.columns) for frame in app.dataframe)


def test_in_english_too(deventer_store):
    app = kaart(gemeente="GM0150", indicator="pct_65plus", lang="en")
    shown = texts(app)
    assert "No provisions known for Deventer." in shown and "import-osm" in shown


def test_utrecht_with_the_sample_switched_off_says_only_the_sample_is_known(deventer_store):
    app = kaart(gemeente="GM0344", indicator="pct_65plus", voorbeeld="0")
    shown = texts(app)
    assert "Voor Utrecht is alleen het fictieve voorbeeld bekend, en dat staat uit." in shown
    assert "dus staat hier geen rangorde" in shown


def test_utrecht_with_the_sample_ranks_its_buurten(deventer_store):
    app = kaart(gemeente="GM0344", indicator="pct_65plus")
    assert "Voorzieningen getoond" in [m.label for m in app.metric]
    assert any("per 1.000 inw." in list(frame.value.columns) for frame in app.dataframe)
    assert "Geen voorzieningen bekend" not in texts(app)
    assert "Geteld zijn de getoonde voorzieningen uit: fictieve voorbeelddata." in texts(app)


def test_the_national_view_ranks_only_gemeenten_with_provisions(deventer_store):
    statistics = wstore.read_statistics(deventer_store)
    catalogue = wstore.read_catalogue(deventer_store)
    records = wstore.read_records(deventer_store)
    areas = wstore.read_areas("gemeente_2015", path=deventer_store)
    areas = areas[areas["code"].isin(["GM0344", "GM0363", "GM0150"])]
    profile = NeedProfile(["pct_65plus"])
    frame = ranking.ranking(areas, statistics, catalogue, records, 2015, profile, "gemeente", share=1.0)
    # Deventer has the oldest population of the three, and no provision known: not ranked.
    assert frame.loc["GM0150", "score"] == frame["score"].max()
    assert frame.loc["GM0150", "status"] == ranking.NO_PROVISION_DATA and pd.isna(frame.loc["GM0150", "rang"])
    assert set(frame.index[frame["status"] == ranking.RANKED]) == {"GM0344", "GM0363"}
    # Gemeenten are ranked by provisions per 1,000 inwoners: reach is for buurten and wijken.
    assert frame["aandeel_500"].isna().all()
    ranked = frame[frame["status"] == ranking.RANKED]
    assert ranked["per_1000"].is_monotonic_increasing


def test_the_download_of_the_view_holds_its_areas_figures_and_provisions(deventer_store):
    statistics = wstore.read_statistics(deventer_store)
    catalogue = wstore.read_catalogue(deventer_store)
    records = wstore.read_records(deventer_store, gemeentecode="GM0344")
    areas = wstore.read_areas("buurt_2015", "GM0344", path=deventer_store)
    count = functools.partial(analysis.counts_per_area, level="buurt")
    table = explorer.areas_table(areas, statistics, catalogue, records, count, "buurt", 2024, "pct_65plus", True)
    assert list(table["code"])[: len(areas)] == list(areas["code"])  # every area of the map, in its order
    assert list(table.columns[:5]) == ["code", "naam", "gemeentecode", "jaar", "pct_65plus"]
    assert table.columns[-4:].tolist() == ["bron", "op_de_kaart", "voorzieningen", "waarvan_fictief_voorbeeld"]
    assert table["voorzieningen"].sum() == records["buurtcode"].isin(set(areas["code"])).sum()
    on_map = table[table["op_de_kaart"] == "ja"]
    assert (on_map["voorzieningen"] == on_map["waarvan_fictief_voorbeeld"]).all()  # Utrecht: only the sample
    year = statistics[(statistics["jaar"] == 2024) & statistics["code"].str.startswith("BU0344")]
    assert set(table["code"]) == set(areas["code"]) | set(year["code"])  # also 2024 buurten the 2015 map lacks
    assert table["pct_65plus"].notna().sum() == (year["indicator"] == "pct_65plus").sum()
    elsewhere = table[table["op_de_kaart"] == "nee"]
    assert not set(elsewhere["code"]) & set(areas["code"]) and elsewhere["voorzieningen"].isna().all()

    from wijkmap.data.export_areas import write_areas

    rows = list(csv.DictReader(io.StringIO(write_areas(table, "csv").decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == len(table) and rows[0]["jaar"] == "2024"
    without_sample = explorer.areas_table(
        areas, statistics, catalogue, records.iloc[0:0], count, "buurt", 2024, "inwoners", False
    )
    assert "waarvan_fictief_voorbeeld" not in without_sample.columns


def test_the_download_lists_the_2024_buurten_the_2015_map_lacks(deventer_store):
    """Deventer's 2024 buurten BU01500606 and BU01501505 have no 2015 outline: the map cannot draw
    them, but the download of its figures holds them, as `wijkmap export-gebieden` does."""
    statistics = wstore.read_statistics(deventer_store)
    areas = wstore.read_areas("buurt_2015", "GM0150", path=deventer_store)
    count = functools.partial(analysis.counts_per_area, level="buurt")
    records = wstore.read_records(deventer_store, gemeentecode="GM0150")
    catalogue = wstore.read_catalogue(deventer_store)
    table = explorer.areas_table(areas, statistics, catalogue, records, count, "buurt", 2024, "pct_65plus", False)
    elsewhere = table.set_index("code").loc[["BU01500606", "BU01501505"]]
    assert (elsewhere["op_de_kaart"] == "nee").all() and elsewhere["inwoners"].notna().all()
    assert len(table) == len(areas) + 2


def test_the_kaart_page_offers_the_figures_download(deventer_store):
    app = kaart(gemeente="GM0150")
    assert "Cijfers per gebied" in texts(app)


def test_figures_on_boundaries_of_another_year_say_so_under_the_map(deventer_store):
    app = kaart(gemeente="GM0150", niveau="buurt", jaar="2024", indicator="pct_65plus")
    assert "Cijfers van 2024 op de grenzen van 2015" in texts(app)
    app = kaart(gemeente="GM0150", niveau="buurt", jaar="2015", indicator="pct_65plus")
    assert "op de grenzen van" not in texts(app)


def test_a_source_named_by_an_import_is_shown_as_written_under_the_ranking(deventer_store, tmp_path):
    """The caption under the Hoge nood list names the sources counted: a bron typed into
    an import ('[Meld u aan](https://…) **vet**') stays text, never a link or bold."""
    from wijkmap.data import batches, placement
    from wijkmap.data.sources.register import read_register

    register = tmp_path / "deventer.csv"
    register.write_text("naam;soort;lat;lon\nHuiskamer;huis_van_de_wijk;52,2550;6,1600\n", encoding="utf-8")
    bron = "[Meld u aan](https://evil.example/login) **vet**"
    result = read_register(register, placement.buurten(deventer_store), bron=bron)
    assert result.ok, [str(problem) for problem in result.problems]
    batches.import_batch(result.records, bestand=register.name, account="test", path=deventer_store)
    app = kaart(gemeente="GM0150", indicator="pct_65plus")
    (caption,) = [c.value for c in app.caption if "Geteld" in c.value or "Counted" in c.value]
    assert "\\[Meld u aan\\]\\(https" in caption and "\\*\\*vet\\*\\*" in caption


def test_an_indicator_the_store_does_not_hold_is_named_not_silently_replaced(store):
    app = kaart(gemeente="GM0344", indicator="verzonnen_code")

    def warnings() -> str:  # shown as written: Markdown's escapes taken out
        return " ".join(w.value for w in app.warning).replace("\\", "")

    assert "Niet begrepen in de link, genegeerd: indicator=verzonnen_code" in warnings()
    app.run()  # the map's first report reruns the page: the warning stays to be read
    assert "indicator=verzonnen_code" in warnings()


def test_the_figures_download_as_geopackage_has_the_map_boundaries_and_sources(deventer_store, tmp_path):
    """The GeoPackage beside the CSV and Excel: the same rows, the areas on the map with
    their outline, those the map lacks without one, each figure's source in `bron`."""
    import pyogrio

    from wijkmap.data.export_areas import write_areas

    statistics = wstore.read_statistics(deventer_store)
    catalogue = wstore.read_catalogue(deventer_store)
    areas = wstore.read_areas("buurt_2015", "GM0150", path=deventer_store)
    count = functools.partial(analysis.counts_per_area, level="buurt")
    records = wstore.read_records(deventer_store, gemeentecode="GM0150")
    table = explorer.areas_table(areas, statistics, catalogue, records, count, "buurt", 2024, "inwoners", False)
    path = tmp_path / "gebieden.gpkg"
    path.write_bytes(write_areas(table, "gpkg", boundaries=areas))
    layer = pyogrio.read_dataframe(path, layer="gebieden")
    assert len(layer) == len(table)
    on_map = layer["op_de_kaart"] == "ja"
    assert layer.geometry[on_map].notna().all() and layer.geometry[~on_map].isna().all()
    figured = layer["inwoners"].notna()
    assert figured.sum() > 60 and layer.loc[figured, "bron"].str.contains("CBS 85984NED").all()


def test_the_kaart_page_offers_the_figures_as_geopackage_and_the_report(deventer_store):
    app = kaart(gemeente="GM0150")
    labels = [button.proto.label for button in app.get("download_button")]
    assert "Download cijfers met grenzen (GeoPackage)" in labels
    # The report is made on a click of its own button (then offered for download).
    assert app.button(key="report_make").label == "Rapport (PDF)"
