"""Areas side by side, on hand-made figures and provisions whose answer is known."""

import math

import geopandas as gpd
import pandas as pd
import pytest
from shapely.geometry import box

from wijkmap.core.records import FIELDS
from wijkmap.council import compare as cmp
from wijkmap.council.search import AreaIndex


def _names(rows):
    return pd.DataFrame(rows, columns=["code", "naam", "gemeentecode"])


@pytest.fixture
def index():
    return AreaIndex.from_frames(
        {
            "gemeente_2025": _names([("GM0001", "Aadorp", "GM0001"), ("GM0002", "Beekstad", "GM0002")]),
            "wijk_2024": _names([("WK000201", "Beek-Noord", "GM0002")]),
            "buurt_2015": _names([("BU00010001", "Centrum", "GM0001"), ("BU00010002", "Oost", "GM0001")]),
        }
    )


@pytest.fixture
def statistics():
    rows = []
    for code, inwoners, pct in [
        ("BU00010001", 1000, 20.0),
        ("BU00010002", 3000, 40.0),
        ("GM0001", 4000, 35.0),
        ("GM0002", 6000, 10.0),
        ("WK000201", 2000, 12.0),
    ]:
        rows += [(code, 2024, "inwoners", inwoners), (code, 2024, "pct_65plus", pct)]
    rows += [("BU00010001", 2015, "inwoners", 900), ("BU00010002", 2015, "inwoners", 2800)]
    rows += [("BU00010001", 2030, "inwoners", 1100)]  # only one of the areas has 2030
    frame = pd.DataFrame(rows, columns=["code", "jaar", "indicator", "waarde"])
    return frame.assign(bron="CBS test")


@pytest.fixture
def catalogue():
    return pd.DataFrame(
        [
            ("inwoners", "Inwoners", "Residents", "aantal"),
            ("pct_65plus", "65+ (%)", "65+ (%)", "%"),
            ("bijstand", "Bijstand", "Benefits", "aantal"),
        ],
        columns=["indicator", "label_nl", "label_en", "eenheid"],
    )


def _record(**fields):
    return {field: "" for field in FIELDS} | {"lat": 52.0, "lon": 5.0} | fields


@pytest.fixture
def records():
    return pd.DataFrame(
        [
            _record(
                id="a",
                soort="buurthuis",
                strategie="bonding",
                actortype="gemeente",
                buurtcode="BU00010001",
                wijkcode="WK000100",
                gemeentecode="GM0001",
                geopend="1990",
                bron="register",
            ),
            _record(
                id="b",
                soort="bewonersinitiatief",
                strategie="beide",
                actortype="bewoners;welzijnsorganisatie",
                buurtcode="BU00010001",
                wijkcode="WK000100",
                gemeentecode="GM0001",
                geopend="2012",
                bron="voorbeeld",
            ),
            _record(
                id="c",
                soort="buurthuis",
                strategie="bonding",
                actortype="gemeente",
                buurtcode="BU00010002",
                wijkcode="WK000100",
                gemeentecode="GM0001",
                geopend="1980",
                gesloten="2010",
                bron="register",
            ),
            _record(
                id="d",
                soort="huis_van_de_wijk",
                strategie="bridging",
                actortype="welzijnsorganisatie",
                buurtcode="BU00010002",
                wijkcode="WK000100",
                gemeentecode="GM0001",
                geopend="2011",
                opvolger_van="c",
                bron="register",
            ),
        ]
    )


def _compare(codes, statistics, catalogue, records, index, **options):
    return cmp.compare(
        codes, statistics=statistics, catalogue=catalogue, records=records, index=index, peiljaar=2024, **options
    )


def test_areas_are_named_and_bad_codes_are_named_in_the_error(index):
    areas = cmp.load_areas(["bu00010001", "GM0002"], index=index)
    assert [(a.code, a.naam, a.niveau, a.gemeentenaam) for a in areas] == [
        ("BU00010001", "Centrum", "buurt", "Aadorp"),
        ("GM0002", "Beekstad", "gemeente", "Beekstad"),
    ]
    with pytest.raises(ValueError, match="BU00019999"):
        cmp.load_areas(["BU00010001", "BU00019999"], index=index)
    with pytest.raises(ValueError, match="Utrecht"):
        cmp.load_areas(["BU00010001", "Utrecht"], index=index)
    with pytest.raises(ValueError, match="niet 1"):
        cmp.load_areas(["BU00010001"], index=index)
    with pytest.raises(ValueError, match="niet 5"):
        cmp.load_areas(["GM0001", "GM0002", "GM0003", "GM0004", "GM0005"], index=index)


def test_figures_of_the_newest_common_year_beside_each_gemeente_and_the_country(statistics, catalogue, records, index):
    result = _compare(["BU00010001", "WK000201"], statistics, catalogue, records, index)
    assert result.jaar == 2024  # 2030 is only one area's
    rows = result.indicators.set_index("indicator")
    assert list(rows.index) == ["inwoners", "pct_65plus"]  # no figures of bijstand: no row
    assert list(result.indicators.columns) == [
        "indicator",
        "label",
        "eenheid",
        "BU00010001",
        "WK000201",
        "gemeente:GM0001",
        "gemeente:GM0002",
        "nederland",
    ]
    assert rows.loc["pct_65plus", "BU00010001"] == 20.0
    assert rows.loc["pct_65plus", "gemeente:GM0001"] == 35.0  # the buurt's own gemeente
    assert rows.loc["pct_65plus", "gemeente:GM0002"] == 10.0  # the wijk's
    assert rows.loc["inwoners", "nederland"] == 10000  # counts add up
    assert rows.loc["pct_65plus", "nederland"] == pytest.approx((35 * 4000 + 10 * 6000) / 10000)  # weighted


def test_provisions_per_category_and_strategy_the_matrix_and_the_sample(statistics, catalogue, records, index):
    result = _compare(["BU00010001", "BU00010002"], statistics, catalogue, records, index)
    provisions = result.provisions.set_index(["code", "categorie"])
    assert provisions.loc[("BU00010001", "klassiek"), ["bonding", "totaal"]].tolist() == [1, 1]
    assert provisions.loc[("BU00010001", "initiatief"), ["beide", "totaal", "voorbeeld"]].tolist() == [1, 1, 1]
    # c closed in 2010: not there in 2024; d (its successor) is.
    assert provisions.loc[("BU00010002", "klassiek"), "totaal"] == 0
    assert provisions.loc[("BU00010002", "popup"), "bridging"] == 1
    matrix = result.matrix
    assert matrix.loc["BU00010001"].to_dict() == {
        "bonding_formeel": 2,
        "bonding_informeel": 1,
        "bonding_tussenvorm": 0,
        "bridging_formeel": 1,
        "bridging_informeel": 1,
        "bridging_tussenvorm": 0,
    }
    assert matrix.loc["BU00010002", "bridging_formeel"] == 1 and matrix.loc["BU00010002"].sum() == 1
    assert result.sample and any("fictieve" in source for source in result.sources)


def test_what_changed_in_the_period_per_area(statistics, catalogue, records, index):
    result = _compare(["BU00010001", "BU00010002"], statistics, catalogue, records, index, periode=(2012, 2005))
    assert result.periode == (2005, 2012)
    oost = result.change.loc["BU00010002"]
    # The buurthuis closed in 2010 and the huis van de wijk followed it in 2011.
    assert (oost["open_begin"], oost["open_eind"], oost["teruggekeerd"], oost["geopend"], oost["netto"]) == (
        1,
        1,
        1,
        1,
        0,
    )
    assert result.change.loc["BU00010001", "geopend"] == 1
    assert _compare(["BU00010001", "BU00010002"], statistics, catalogue, records, index).change is None


def test_an_area_whose_code_no_record_carries_is_counted_by_position(statistics, catalogue, records, index):
    shapes = gpd.GeoDataFrame({"code": ["WK000201"]}, geometry=[box(4.9, 51.9, 5.1, 52.1)], crs="EPSG:4326")
    moved = records.assign(gemeentecode="GM0002")
    result = _compare(["WK000201", "GM0001"], statistics, catalogue, moved, index, shapes=shapes)
    totals = result.provisions.groupby("code")["totaal"].sum()
    assert totals["WK000201"] == 3  # every record lies in the box; c had closed


def test_an_area_without_provision_data_shows_no_count_not_zero(statistics, catalogue, records, index):
    result = _compare(["BU00010001", "GM0002"], statistics, catalogue, records, index)
    assert result.unknown == ["GM0002"]
    table = cmp.comparison_table(result, "nl")
    total = table[table["Onderwerp"] == "Totaal"].iloc[0]
    assert total["Centrum (BU00010001)"] == 2 and math.isnan(total["Beekstad (GM0002)"])
    figures = table[table["Onderwerp"] == "Inwoners"].iloc[0]
    assert figures["Beekstad (GM0002)"] == 6000


def test_the_table_holds_every_section_with_area_and_reference_columns(statistics, catalogue, records, index):
    result = _compare(["BU00010001", "BU00010002"], statistics, catalogue, records, index, periode=(2005, 2012))
    table = cmp.comparison_table(result, "en")
    assert list(table.columns) == [
        "Section",
        "Subject",
        "Unit",
        "Year",
        "Centrum (BU00010001)",
        "Oost (BU00010002)",
        "Municipality Aadorp (GM0001)",
        "Netherlands",
    ]
    sections = list(dict.fromkeys(table["Section"]))
    assert sections == ["Figures (CBS)", "Provisions in 2024", "Strategy × formality", "Changed 2005–2012"]
    sample = table[table["Subject"] == "of which fictional example"].iloc[0]
    assert sample["Centrum (BU00010001)"] == 1 and sample["Oost (BU00010002)"] == 0
    assert table[table["Subject"] == "Residents"].iloc[0]["Municipality Aadorp (GM0001)"] == 4000


def test_the_comparison_exports_as_csv_and_excel_with_sources_and_the_sample_marked(
    statistics, catalogue, records, index
):
    import io

    import openpyxl

    from wijkmap.council.compare_export import export_comparison

    named = records.assign(naam="=HYPERLINK(1)")
    result = _compare(["BU00010001", "BU00010002"], statistics, catalogue, named, index, periode=(2005, 2012))
    result.sources.append("=cmd|' /C calc'!A0")  # a source name is text, never a formula
    text = export_comparison(result, "csv").decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("Onderdeel;Onderwerp;Eenheid;Jaar;Centrum (BU00010001);Oost (BU00010002);")
    assert "Cijfers (CBS);65+ (%);%;2024;20;40;35;" in text
    assert "waarvan fictief voorbeeld;aantal;2024;1;0" in text
    assert "Veranderd 2005–2012;Netto;aantal;2005-2012;1;0" in text
    assert "Bronnen;CBS test" in text and "Bronnen;register · fictieve voorbeelddata" in text
    assert "Bronnen;'=cmd" in text
    workbook = openpyxl.load_workbook(io.BytesIO(export_comparison(result, "xlsx")))
    assert workbook.sheetnames == ["vergelijking", "bronnen"]
    rows = list(workbook["vergelijking"].values)
    residents = next(row for row in rows if row[1] == "Inwoners")
    assert residents[3:7] == (2024, 1000, 3000, 4000)  # numbers stay numbers
    sources = [row[0] for row in workbook["bronnen"].values]
    assert "=cmd|' /C calc'!A0" in sources and workbook["bronnen"]["A5"].data_type == "s"
    with pytest.raises(ValueError, match="geojson"):
        export_comparison(result, "geojson")


def test_an_area_without_boundaries_counts_no_provisions_but_keeps_its_figures(statistics, catalogue, records):
    index = AreaIndex.from_frames(
        {"buurt_2015": _names([("BU00010001", "Centrum", "GM0001")])},
        pd.DataFrame(
            [("BU00010009", "Nieuwbouw", "GM0001", "1234", 2024)],
            columns=["code", "naam", "gemeentecode", "postcode", "jaar"],
        ),
    )
    extra = pd.DataFrame([("BU00010009", 2024, "inwoners", 500.0, "CBS test")], columns=statistics.columns)
    figures = pd.concat([statistics, extra], ignore_index=True)
    result = _compare(["BU00010001", "BU00010009"], figures, catalogue, records, index)
    assert result.unplaced == ["BU00010009"] and result.unknown == []
    table = cmp.comparison_table(result, "nl")
    total = table[table["Onderwerp"] == "Totaal"].iloc[0]
    assert total["Centrum (BU00010001)"] == 2 and math.isnan(total["Nieuwbouw (BU00010009)"])
    assert table[table["Onderwerp"] == "Inwoners"].iloc[0]["Nieuwbouw (BU00010009)"] == 500


def test_the_comparison_exports_as_a_geopackage_with_a_polygon_per_area(
    statistics, catalogue, records, index, tmp_path
):
    import pyogrio

    from wijkmap.council.compare_export import export_comparison

    result = _compare(["BU00010001", "GM0002"], statistics, catalogue, records, index, periode=(2005, 2012))
    shapes = gpd.GeoDataFrame({"code": ["BU00010001"]}, geometry=[box(4.9, 51.9, 5.1, 52.1)], crs="EPSG:4326")
    path = tmp_path / "vergelijking.gpkg"
    path.write_bytes(export_comparison(result, "gpkg", shapes=shapes))
    frame = pyogrio.read_dataframe(path, layer="vergelijking")
    assert list(frame["code"]) == ["BU00010001", "GM0002"]
    centrum, beekstad = frame.iloc[0], frame.iloc[1]
    assert centrum["inwoners"] == 1000 and centrum["voorzieningen"] == 2 and centrum["waarvan_fictief_voorbeeld"] == 1
    assert centrum["bonding_formeel"] == 2 and centrum["verandering_geopend"] == 1
    assert centrum.geometry.geom_type == "MultiPolygon" and beekstad.geometry is None
    # Beekstad's gemeente has no provisions known: no count, not zero.
    assert beekstad["inwoners"] == 6000 and math.isnan(beekstad["voorzieningen"])
    assert "fictieve voorbeelddata" in centrum["bron"]
    with pytest.raises(ValueError, match="grenzen"):
        export_comparison(result, "gpkg")
