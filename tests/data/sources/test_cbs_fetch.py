"""Tests for `wijkmap fetch cbs`: CBS's OData v3 API, answered by recorded responses.

The recorded answers (tests/data/sources/recorded/cbs/, made by make_recorded.py there)
are CBS's real TableInfos and DataProperties of 85984NED and TypedDataSet pages built
from real 2024 values of Deventer (two pages) and Schiermonnikoog.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from wijkmap import cli, config
from wijkmap.core.records import FIELDS
from wijkmap.data import store
from wijkmap.data.build import build_store
from wijkmap.data.sources import cbs
from wijkmap.data.sources.cbs import fetch, odata

RECORDED = Path(__file__).parent / "recorded" / "cbs"
API = "/ODataApi/odata/85984NED"
FEED = "/ODataFeed/odata/85984NED"
DEVENTER_FILTER = (
    "startswith(WijkenEnBuurten,'GM0150')%20or%20startswith(WijkenEnBuurten,'WK0150')"
    "%20or%20startswith(WijkenEnBuurten,'BU0150')"
)
DEVENTER = f"{FEED}/TypedDataSet?$format=json&$filter={DEVENTER_FILTER}"
SCHIERMONNIKOOG = (
    f"{FEED}/TypedDataSet?$format=json&$filter=startswith(WijkenEnBuurten,'GM0088')"
    "%20or%20startswith(WijkenEnBuurten,'WK0088')%20or%20startswith(WijkenEnBuurten,'BU0088')"
)
TITLE = "CBS 85984NED (Kerncijfers wijken en buurten 2024)"


def recorded(name: str) -> str:
    return (RECORDED / name).read_text(encoding="utf-8")


def serve_table(server, *, deventer: bool = True, schiermonnikoog: bool = True) -> None:
    server.add(f"{API}/TableInfos?$format=json", recorded("TableInfos.json"))
    server.add(f"{API}/DataProperties?$format=json", recorded("DataProperties.json"))
    if deventer:
        server.add(DEVENTER, recorded("TypedDataSet-GM0150-1.json"))
        server.add(f"{DEVENTER}&$skip=50", recorded("TypedDataSet-GM0150-2.json"))
    if schiermonnikoog:
        server.add(SCHIERMONNIKOOG, recorded("TypedDataSet-GM0088.json"))


@pytest.fixture
def sources(tmp_path) -> Path:
    """A data/sources of links to the bundled files, where a fetch may write."""
    root = tmp_path / "sources"
    (root / cbs.CBS_DIR).mkdir(parents=True)
    for entry in (config.SOURCES_DIR / cbs.CBS_DIR).iterdir():
        if entry.name != odata.ODATA_DIR:
            (root / cbs.CBS_DIR / entry.name).symlink_to(entry)
    for entry in config.SOURCES_DIR.iterdir():
        if entry.name != cbs.CBS_DIR:
            (root / entry.name).symlink_to(entry)
    return root


def stored_rows(sources: Path) -> pd.DataFrame:
    path = odata.table_dir(sources / cbs.CBS_DIR, "85984NED") / odata.ROWS
    return pd.read_csv(path, dtype=str, keep_default_na=False).set_index("WijkenEnBuurten")


def fetched_statistics(sources: Path) -> pd.DataFrame:
    """The figures of the fetched table alone, as the build reads them."""
    (table,) = odata.stored_tables(sources / cbs.CBS_DIR)
    spec = cbs.StatisticsTable(table.bron, table.jaar, table.rows_path, odata.GEO_KEY, table.recipes)
    return cbs.table_statistics(spec, cbs.read_table(sources / cbs.CBS_DIR, spec))


def figure(statistics: pd.DataFrame, code: str, indicator: str) -> float | None:
    rows = statistics[(statistics["code"] == code) & (statistics["indicator"] == indicator)]
    assert len(rows) <= 1
    return None if rows.empty else float(rows["waarde"].iloc[0])


def fetch_deventer(server, sources: Path, **kwargs) -> fetch.FetchResult:
    return fetch.fetch_cbs("85984NED", ["GM0150"], root=server.url, sources_dir=sources, rebuild=False, **kwargs)


# --- the answer: paging, filter, trimming, missing values ------------------------------


def test_fetch_follows_next_links_on_the_given_root(recorded_http, sources):
    serve_table(recorded_http)
    result = fetch_deventer(recorded_http, sources)
    # Metadata from the API, rows from the feed; the next link names CBS's host and is
    # followed on the server we were given.
    assert recorded_http.requests == [
        f"{API}/TableInfos?$format=json",
        f"{API}/DataProperties?$format=json",
        DEVENTER,
        f"{DEVENTER}&$skip=50",
    ]
    assert recorded_http.unanswered() == []
    assert (result.fetched, result.levels) == (85, {"gemeente": 1, "wijk": 15, "buurt": 69})
    assert (result.added, result.replaced, result.total, result.jaar) == (85, 0, 85, 2024)
    assert result.bron == TITLE
    assert result.missing_gemeenten == []


def test_codes_and_labels_are_trimmed(recorded_http, sources):
    serve_table(recorded_http)
    fetch_deventer(recorded_http, sources)
    page = json.loads(recorded("TypedDataSet-GM0150-2.json"))["value"]
    gemeente = next(row for row in page if row["WijkenEnBuurten"].startswith("GM"))
    assert gemeente["WijkenEnBuurten"] == "GM0150    "  # CBS pads codes and names
    rows = stored_rows(sources)
    assert "GM0150" in rows.index and "BU01500102" in rows.index
    assert rows.loc["GM0150", "Gemeentenaam_1"] == "Deventer"
    assert rows.loc["BU01500102", "SoortRegio_2"] == "Buurt"
    assert "ID" not in rows.columns


def test_dot_and_null_are_missing_never_zero(recorded_http, sources):
    serve_table(recorded_http)
    fetch_deventer(recorded_http, sources)
    rows = stored_rows(sources)
    assert rows.loc["BU01501010", "Koopwoningen_47"] == ""  # "." in the answer
    assert rows.loc["BU01501009", "AantalInwoners_5"] == ""  # null in the answer
    statistics = fetched_statistics(sources)
    assert figure(statistics, "BU01501010", "pct_koopwoningen") is None
    assert figure(statistics, "BU01501010", "pct_0_14") is None
    assert figure(statistics, "BU01501010", "inwoners") == 50
    assert figure(statistics, "BU01501009", "inwoners") is None
    assert figure(statistics, "BU01501009", "oppervlakte_land") == 30
    assert figure(statistics, "GM0150", "cbs_nieuwbouw_woningen") is None  # null everywhere


def test_kwb_keys_map_to_our_indicators_by_stem(recorded_http, sources):
    serve_table(recorded_http)
    result = fetch_deventer(recorded_http, sources)
    statistics = fetched_statistics(sources)
    assert figure(statistics, "GM0150", "inwoners") == 103_405
    assert figure(statistics, "BU01500102", "pct_65plus") == pytest.approx(135 / 675 * 100)
    assert figure(statistics, "BU01500102", "afstand_huisarts") == 1.0
    assert figure(statistics, "BU01500102", "woz_waarde") == 351
    assert figure(statistics, "GM0150", "stedelijkheid") == 2
    assert {"inwoners", "pct_65plus", "pct_herkomst_buiten_europa", "woz_waarde"} <= set(result.mapped)
    (table,) = odata.stored_tables(sources / cbs.CBS_DIR)
    assert table.mapped()["inwoners"] == "AantalInwoners_5"
    # BuitenEuropa occurs three times; the recipe names the one under Herkomstland.
    assert table.mapped()["pct_herkomst_buiten_europa"] == cbs.Ratio("BuitenEuropa_19", "AantalInwoners_5")


def test_stems_resolve_per_table_year():
    properties = [
        {"ID": 0, "Type": "GeoDetail", "Key": "WijkenEnBuurten", "Title": "Wijken en buurten"},
        {"ID": 1, "Type": "Topic", "Key": "AantalInwoners_4", "Title": "Aantal inwoners", "Datatype": "Long"},
        {"ID": 2, "Type": "Topic", "Key": "GemiddeldeWoningwaarde_35", "Title": "Woningwaarde", "Datatype": "Long"},
        {"ID": 3, "Type": "Topic", "Key": "Codering_3", "Title": "Codering", "Datatype": "String"},
    ]
    older = odata.StoredTable("83765NED", 2017, "KWB 2017", tuple(odata.figures(properties, "83765NED")), "x.csv")
    assert older.mapped() == {"inwoners": "AantalInwoners_4", "woz_waarde": "GemiddeldeWoningwaarde_35"}
    assert older.extras() == {}


def test_unknown_keys_are_kept_with_cbs_title_and_unit(recorded_http, sources):
    serve_table(recorded_http)
    result = fetch_deventer(recorded_http, sources)
    assert "cbs_mannen" in result.extra and "cbs_percentage_eengezinswoning" in result.extra
    assert "cbs_aantal_inwoners" not in result.extra  # it is `inwoners`
    # Counts that only enter a share are kept as well, under a readable code.
    assert {"cbs_0_tot_15_jaar", "cbs_65_jaar_of_ouder", "cbs_scholen_binnen_3_km"} <= set(result.extra)
    # A stem CBS repeats gets its headings: electricity and gas per Appartement.
    assert "cbs_energie_gemiddelde_elektriciteitslevering_naar_woningtype_appartement" in result.extra
    statistics = cbs.load_statistics(sources)
    assert figure(statistics[statistics["jaar"] == 2024], "GM0150", "cbs_mannen") == 51_246
    catalogue = cbs.load_catalogue(statistics, sources).set_index("indicator")
    mannen = catalogue.loc["cbs_mannen"]
    assert (mannen["label_nl"], mannen["eenheid"], mannen["jaren"]) == ("Mannen (Geslacht)", "aantal", "2024")
    assert mannen["hoger_is_meer_nood"] is None and mannen["bron"] == TITLE
    assert "Mannen_6" in mannen["toelichting_nl"]
    assert catalogue.loc["cbs_percentage_eengezinswoning", "eenheid"] == "%"
    # CBS's variables without any value stay out of the catalogue.
    assert "cbs_nieuwbouw_woningen" not in catalogue.index


def test_fetched_figures_come_first(recorded_http, sources):
    serve_table(recorded_http)
    fetch_deventer(recorded_http, sources)
    statistics = cbs.load_statistics(sources)
    rows = statistics[(statistics["code"] == "BU01500102") & (statistics["jaar"] == 2024)].set_index("indicator")
    assert rows.loc["inwoners", "bron"] == TITLE
    assert rows.loc["misdrijven_per_1000", "bron"] == "Politie via CBS (47022NED)"  # not in 85984NED
    # Bannink's koopwoningen is "." in the answer: the bundled national table fills it.
    assert statistics[
        (statistics["code"] == "BU01501010") & (statistics["indicator"] == "pct_koopwoningen")
        & (statistics["jaar"] == 2024)
    ]["bron"].tolist() == ["CBS 85984NED (KWB 2024)"]  # fmt: skip


def test_a_second_fetch_adds_and_a_repeated_one_replaces(recorded_http, sources):
    serve_table(recorded_http)
    fetch_deventer(recorded_http, sources)
    second = fetch.fetch_cbs("85984NED", ["0088"], root=recorded_http.url, sources_dir=sources, rebuild=False)
    assert (second.fetched, second.added, second.replaced, second.total) == (4, 4, 0, 89)
    again = fetch_deventer(recorded_http, sources)
    assert (again.added, again.replaced, again.total) == (0, 85, 89)
    rows = stored_rows(sources)
    assert rows.index.is_unique and {"GM0088", "GM0150"} <= set(rows.index)


def test_missing_gemeente_is_named(recorded_http, sources):
    serve_table(recorded_http, deventer=False)
    both = fetch.gemeente_filter(["GM0088", "GM0150"]).replace(" ", "%20")
    # One filter for both; the recorded answer holds (part of) Deventer only.
    recorded_http.add(f"{FEED}/TypedDataSet?$format=json&$filter={both}", recorded("TypedDataSet-GM0150-2.json"))
    result = fetch.fetch_cbs(
        "85984NED", ["GM0150", "GM0088"], root=recorded_http.url, sources_dir=sources, rebuild=False
    )
    assert result.fetched == 35 and result.missing_gemeenten == ["GM0088"]


# --- errors: a clear Dutch message, nothing written ------------------------------------


def odata_files(sources: Path) -> dict[str, bytes]:
    root = sources / cbs.CBS_DIR / odata.ODATA_DIR
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


@pytest.fixture
def fetched_before(recorded_http, sources) -> dict[str, bytes]:
    """Deventer fetched once; what lies on disk then."""
    serve_table(recorded_http, schiermonnikoog=False)
    fetch_deventer(recorded_http, sources)
    return odata_files(sources)


def refetch_fails(recorded_http, sources, match: str) -> None:
    with pytest.raises(fetch.FetchError, match=match) as caught:
        fetch.fetch_cbs("85984NED", ["GM0088"], root=recorded_http.url, sources_dir=sources, rebuild=False)
    assert "niets geschreven" in str(caught.value)


def test_unreachable_service(sources):
    with pytest.raises(fetch.FetchError, match="niet bereikbaar op http://127.0.0.1:9/ODataApi") as caught:
        fetch.fetch_cbs("85984NED", root="http://127.0.0.1:9", sources_dir=sources, rebuild=False)
    assert "niets geschreven" in str(caught.value)
    assert not (sources / cbs.CBS_DIR / odata.ODATA_DIR).exists()


def test_http_error_keeps_what_was_there(recorded_http, sources, fetched_before):
    error = '{"odata.error":{"code":"","message":{"lang":"nl-NL","value":"Interne fout"}}}'
    recorded_http.add(SCHIERMONNIKOOG, error, status=500)
    refetch_fails(recorded_http, sources, r"HTTP 500 op http://127.0.0.1:\d+/ODataFeed/.*: Interne fout\.")
    assert odata_files(sources) == fetched_before


def test_unknown_table_is_a_404(recorded_http, sources):
    with pytest.raises(fetch.FetchError, match=r"HTTP 404 .*99999NED/TableInfos.*Bestaat de tabel"):
        fetch.fetch_cbs("99999NED", root=recorded_http.url, sources_dir=sources, rebuild=False)


def test_not_json(recorded_http, sources, fetched_before):
    recorded_http.add(SCHIERMONNIKOOG, "<html>Storing</html>", content_type="text/html")
    refetch_fails(recorded_http, sources, "geen JSON .*<html>")
    assert odata_files(sources) == fetched_before


def test_json_that_is_not_odata(recorded_http, sources, fetched_before):
    recorded_http.add(SCHIERMONNIKOOG, '{"rows": []}')
    refetch_fails(recorded_http, sources, "geen OData-lijst: het veld 'value' ontbreekt")
    assert odata_files(sources) == fetched_before


def test_a_broken_second_page_writes_nothing(recorded_http, sources):
    serve_table(recorded_http, deventer=False)
    recorded_http.add(DEVENTER, recorded("TypedDataSet-GM0150-1.json"))
    recorded_http.add(f"{DEVENTER}&$skip=50", '{"value": [', status=200)
    with pytest.raises(fetch.FetchError, match="geen JSON"):
        fetch_deventer(recorded_http, sources)
    assert odata_files(sources) == {}


def test_text_in_a_numeric_field_names_area_and_field(recorded_http, sources):
    page = json.loads(recorded("TypedDataSet-GM0088.json"))
    page["value"][1]["AantalInwoners_5"] = "geheim"
    serve_table(recorded_http, schiermonnikoog=False)
    recorded_http.add(SCHIERMONNIKOOG, json.dumps(page))
    code = page["value"][1]["WijkenEnBuurten"].strip()
    refetch_fails(recorded_http, sources, f"gebied {code}, veld AantalInwoners_5: 'geheim' is geen getal")
    assert odata_files(sources) == {}


def test_a_table_with_more_dimensions_is_refused(recorded_http, sources):
    properties = json.loads(recorded("DataProperties.json"))
    properties["value"].insert(1, {"ID": 999, "Type": "TimeDimension", "Key": "Perioden", "Title": "Perioden"})
    recorded_http.add(f"{API}/TableInfos?$format=json", recorded("TableInfos.json"))
    recorded_http.add(f"{API}/DataProperties?$format=json", json.dumps(properties))
    with pytest.raises(fetch.FetchError, match="naast WijkenEnBuurten nog dimensies \\(Perioden\\)"):
        fetch_deventer(recorded_http, sources)


def test_a_period_that_is_not_a_year_is_refused(recorded_http, sources):
    infos = json.loads(recorded("TableInfos.json"))
    infos["value"][0]["Period"] = "2024 en 2025"
    serve_table(recorded_http)
    recorded_http.add(f"{API}/TableInfos?$format=json", json.dumps(infos))
    with pytest.raises(fetch.FetchError, match="Period: '2024 en 2025' is geen jaartal"):
        fetch_deventer(recorded_http, sources)


def test_no_rows_for_the_gemeente(recorded_http, sources):
    serve_table(recorded_http, deventer=False)
    recorded_http.add(DEVENTER, '{"odata.metadata": "x", "value": []}')
    with pytest.raises(fetch.FetchError, match="geen gebieden voor GM0150"):
        fetch_deventer(recorded_http, sources)


@pytest.mark.parametrize(
    ("tabel", "gemeenten", "match"),
    [("85984", [], "geen CBS-tabelnummer"), ("85984NED", ["Deventer"], "geen gemeentecode")],
)
def test_bad_arguments(sources, tabel, gemeenten, match):
    with pytest.raises(fetch.FetchError, match=match):
        fetch.fetch_cbs(tabel, gemeenten, root="http://127.0.0.1:9", sources_dir=sources, rebuild=False)


def test_a_failed_rebuild_puts_the_previous_table_back(recorded_http, sources, fetched_before, monkeypatch, tmp_path):
    def broken(*args, **kwargs):
        raise OSError("schijf vol")

    monkeypatch.setattr(fetch.build, "build_store", broken)
    serve_table(recorded_http)
    with pytest.raises(fetch.FetchError, match="niet herbouwd \\(schijf vol\\)"):
        fetch.fetch_cbs(
            "85984NED", ["GM0088"], root=recorded_http.url, sources_dir=sources, store_path=tmp_path / "s.gpkg"
        )
    assert odata_files(sources) == fetched_before


# --- through the command line, into a store ---------------------------------------------


@pytest.fixture(scope="module")
def deventer_store(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("deventer") / "wijkmap.gpkg"
    build_store(path, gemeenten=["GM0150"])
    return path


def test_cli_fetch_into_a_store_keeps_imported_records(
    recorded_http, sources, deventer_store, tmp_path, monkeypatch, capsys
):
    path = tmp_path / "wijkmap.gpkg"
    path.write_bytes(deventer_store.read_bytes())
    monkeypatch.setenv(config.STORE_ENV, str(path))
    monkeypatch.setattr(config, "SOURCES_DIR", sources)
    record = {field: "" for field in FIELDS}
    record.update(
        id="deventer-1", naam="Buurthuis De Hoven", soort="buurthuis", strategie="onbekend", bron="Register Deventer",
        buurtcode="BU01500510", wijkcode="WK015005", gemeentecode="GM0150", lon=6.1552, lat=52.2466,
    )  # fmt: skip
    store.upsert_records(pd.DataFrame([record], columns=FIELDS), path)
    serve_table(recorded_http)

    status = cli.main(["fetch", "cbs", "--tabel", "85984NED", "--gemeente", "GM0150", "--url", recorded_http.url])
    out = capsys.readouterr().out
    assert status == 0, out
    assert f"Opgehaald: {TITLE}, jaar 2024: 85 gebieden (1 gemeente, 15 wijken, 69 buurten)." in out
    assert "85 nieuw, 0 bijgewerkt" in out
    statistics = store.read_statistics(path, jaar=2024)
    fetched = statistics[statistics["bron"] == TITLE]
    assert fetched["code"].nunique() == 85
    assert (
        float(fetched.loc[(fetched["code"] == "GM0150") & (fetched["indicator"] == "inwoners"), "waarde"].iloc[0])
        == 103_405
    )
    assert "cbs_mannen" in set(store.read_catalogue(path)["indicator"])
    assert "deventer-1" in set(store.read_records(path)["id"])
    assert (sources / cbs.CBS_DIR / odata.ODATA_DIR / "85984NED" / odata.ROWS).is_file()


def test_cli_fetch_error_exits_1(sources, monkeypatch, capsys, tmp_path):
    monkeypatch.setattr(config, "SOURCES_DIR", sources)
    monkeypatch.setenv(config.STORE_ENV, str(tmp_path / "none.gpkg"))
    status = cli.main(["fetch", "cbs", "--tabel", "85984NED", "--url", "http://127.0.0.1:9"])
    assert status == 1
    assert "Fout: CBS is niet bereikbaar" in capsys.readouterr().err
