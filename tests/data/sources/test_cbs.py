"""Tests for the CBS source: areas, statistics and catalogue read from the bundled copies."""

from __future__ import annotations

import math

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import GeometryCollection, LineString, Polygon

from wijkmap.config import REPO_ROOT
from wijkmap.data.sources import cbs

SOURCES = REPO_ROOT / "data" / "sources"
CBS = SOURCES / cbs.CBS_DIR
REQUIRED_INDICATORS = {
    "inwoners",
    "pct_65plus",
    "pct_eenpersoonshuishoudens",
    "pct_niet_westers",
    "pct_herkomst_buiten_europa",
    "bijstand",
    "bijstand_per_1000",
    "bevolkingsdichtheid",
    "pct_corporatiewoningen",
    "pct_huishoudens_laag_inkomen",
    "afstand_bibliotheek",
}


@pytest.fixture(scope="module")
def areas() -> dict[str, gpd.GeoDataFrame]:
    return cbs.load_areas(SOURCES)


@pytest.fixture(scope="module")
def statistics() -> pd.DataFrame:
    return cbs.load_statistics(SOURCES)


@pytest.fixture(scope="module")
def catalogue(statistics) -> pd.DataFrame:
    return cbs.load_catalogue(statistics)


def value(statistics: pd.DataFrame, code: str, jaar: int, indicator: str) -> float | None:
    """The one value for (code, jaar, indicator), or None when the table has no row."""
    rows = statistics[
        (statistics["code"] == code) & (statistics["jaar"] == jaar) & (statistics["indicator"] == indicator)
    ]
    assert len(rows) <= 1
    return None if rows.empty else float(rows["waarde"].iloc[0])


def csv_cell(path: str, code_column: str, code: str, column: str) -> str:
    frame = pd.read_csv(CBS / path, dtype=str, keep_default_na=False)
    return frame.loc[frame[code_column].str.strip() == code, column].iloc[0].strip()


# --- areas ---------------------------------------------------------------------------


def test_area_layers_and_counts(areas):
    counts = {name: len(frame) for name, frame in areas.items()}
    assert counts == {
        "buurt_2015": 12_229,
        "wijk_2015": 2_796,
        "gemeente_2015": 393,
        "gemeente_2023": 342,
        "gemeente_2025": 342,
        "wijk_2024": 3_393,
    }


@pytest.mark.parametrize("name", list(cbs.AREA_FILES))
def test_area_frames_share_one_layout(areas, name):
    frame = areas[name]
    spec = cbs.AREA_FILES[name]
    assert list(frame.columns) == cbs.AREA_COLUMNS
    assert frame["code"].is_unique
    assert frame["code"].is_monotonic_increasing
    assert (frame["niveau"] == spec.niveau).all()
    assert frame["jaar"].dtype == "int64" and (frame["jaar"] == spec.jaar).all()
    assert frame["naam"].notna().all() and (frame["naam"].str.len() > 0).all()
    assert (frame["gemeentecode"] == "GM" + frame["code"].str[2:6]).all()
    if spec.niveau == "gemeente":
        assert frame["wijkcode"].map(lambda code: code is None).all()
    else:
        assert (frame["wijkcode"] == "WK" + frame["code"].str[2:8]).all()


@pytest.mark.parametrize("name", list(cbs.AREA_FILES))
def test_area_geometry_is_valid_polygonal_wgs84(areas, name):
    frame = areas[name]
    assert frame.crs == "EPSG:4326"
    assert frame.is_valid.all()
    assert not frame.is_empty.any()
    assert set(frame.geom_type) <= {"Polygon", "MultiPolygon"}
    minx, miny, maxx, maxy = frame.total_bounds
    assert minx > 3.0 and maxx < 7.5 and miny > 50.5 and maxy < 53.8  # the Netherlands


def test_parents_match_the_2015_file_columns(areas):
    raw = pyogrio.read_dataframe(
        CBS / cbs.AREA_FILES["buurt_2015"].path, read_geometry=False, columns=["BU_CODE", "WK_CODE", "GM_CODE"]
    ).sort_values("BU_CODE", ignore_index=True)
    buurten = areas["buurt_2015"]
    assert list(buurten["wijkcode"]) == list(raw["WK_CODE"])
    assert list(buurten["gemeentecode"]) == list(raw["GM_CODE"])


def test_wijk_2024_gets_names_and_gemeente_from_code(areas):
    row = areas["wijk_2024"].set_index("code").loc["WK034401"]
    assert row["gemeentecode"] == "GM0344"
    assert row["wijkcode"] == "WK034401"
    assert row["naam"] == "Wijk 01 West"
    assert areas["gemeente_2023"].set_index("code").loc["GM0344", "naam"] == "Utrecht"
    assert "WK0363AA" in set(areas["wijk_2024"]["code"])  # Amsterdam codes carry letters


def test_parent_codes():
    assert cbs.parent_codes("BU03440111") == ("GM0344", "WK034401")
    assert cbs.parent_codes("WK034401") == ("GM0344", "WK034401")
    assert cbs.parent_codes("GM0344") == ("GM0344", None)
    with pytest.raises(ValueError):
        cbs.parent_codes("NL00")


def test_polygonal_repairs_and_drops_non_area_parts():
    bow_tie = Polygon([(0, 0), (2, 2), (2, 0), (0, 2)])
    mixed = GeometryCollection([Polygon([(0, 0), (1, 0), (1, 1)]), LineString([(5, 5), (6, 6)])])
    result = cbs.polygonal(gpd.GeoSeries([bow_tie, mixed], crs=cbs.CRS))
    assert result.is_valid.all()
    assert list(result.geom_type) == ["MultiPolygon", "Polygon"]
    assert result.iloc[0].area == pytest.approx(2.0)
    assert result.iloc[1].area == pytest.approx(0.5)


# --- statistics ----------------------------------------------------------------------


def test_statistics_layout(statistics):
    assert list(statistics.columns) == cbs.STATISTICS_COLUMNS
    assert statistics["jaar"].dtype == "int64"
    assert statistics["waarde"].dtype == "float64"
    assert statistics["waarde"].notna().all()
    assert not statistics["waarde"].map(math.isinf).any()
    assert not statistics.duplicated(["code", "jaar", "indicator"]).any()
    assert statistics["code"].str.match(r"^(GM|WK|BU)").all()


def test_every_statistics_code_has_an_area_but_the_2024_buurten(areas, statistics):
    codes = set().union(*(set(frame["code"]) for frame in areas.values()))
    without = set(statistics["code"]) - codes
    # No 2024 buurt boundaries are bundled; each such buurt lies in a wijk of 2024.
    assert without and all(code.startswith("BU") for code in without)
    assert set(statistics.loc[statistics["code"].isin(without), "jaar"]) == {2024}
    assert {cbs.parent_codes(code)[1] for code in without} <= set(areas["wijk_2024"]["code"])


def test_sources_and_years(statistics):
    years = statistics.groupby("bron")["jaar"].unique().map(sorted).to_dict()
    assert years == {
        "CBS KWB 2015": [2015],
        "CBS KWB 2017 (83765NED)": [2017],
        "CBS KWB 2023": [2023],
        "CBS KWB 2024": [2024],
        "CBS 85984NED (KWB 2024)": [2024],
        "CBS Nabijheid 2023": [2023],
        "Politie via CBS (47022NED)": [2024],
    }


def test_known_2015_values(statistics):
    assert value(statistics, "BU03440111", 2015, "pct_eenpersoonshuishoudens") == 64
    assert value(statistics, "BU03440111", 2015, "inwoners") == 1035
    assert value(statistics, "GM0599", 2015, "inwoners") == 623_652


def test_secret_2015_value_is_missing_not_zero(statistics):
    raw = pyogrio.read_dataframe(
        CBS / cbs.AREA_FILES["buurt_2015"].path, read_geometry=False, columns=["BU_CODE", "WWB_UITTOT"]
    ).set_index("BU_CODE")
    assert raw.loc["BU00070006", "WWB_UITTOT"] == -99999999
    assert value(statistics, "BU00070006", 2015, "bijstand") is None
    assert value(statistics, "BU00070006", 2015, "bijstand_per_1000") is None
    assert value(statistics, "BU00070006", 2015, "inwoners") == 45  # the buurt itself is there


def test_dot_is_missing_not_zero(statistics):
    assert csv_cell("kwb-utrecht-2023-2024/kwb_2023_utrecht.csv", "gwb_code", "BU03441011", "a_soz_wb") == "."
    assert value(statistics, "BU03441011", 2023, "bijstand") is None
    assert value(statistics, "BU03441011", 2023, "bijstand_per_1000") is None
    rotterdam = "kwb-2017-rotterdam-ikgeo/kwb_rotterdam.csv"
    assert csv_cell(rotterdam, "WijkenEnBuurten", "BU05990452", "GemiddeldInkomenPerInwoner_66") == "."
    assert value(statistics, "BU05990452", 2017, "gemiddeld_inkomen_per_inwoner") is None


def test_to_number_markers():
    numbers = cbs.to_number(pd.Series(["12", " 3.5 ", ".", "", "  .  ", "-99999999"]))
    assert numbers.iloc[:2].tolist() == [12.0, 3.5]
    assert numbers.iloc[2:].isna().all()
    assert cbs.to_number(pd.Series([-99999999, 0, 7])).tolist()[1:] == [0.0, 7.0]
    with pytest.raises(ValueError):
        cbs.to_number(pd.Series(["12", "geheim"]))


def test_zero_denominator_gives_missing(statistics):
    # Utrecht 2023: 0 households but 5 single-person households (both rounded by CBS).
    assert value(statistics, "BU03440911", 2023, "huishoudens") == 0
    assert value(statistics, "BU03440911", 2023, "pct_eenpersoonshuishoudens") is None
    # Utrecht 2023: no inhabitants, so no shares of them.
    assert value(statistics, "BU03440952", 2023, "inwoners") == 0
    assert value(statistics, "BU03440952", 2023, "pct_65plus") is None
    # 2015: CBS prints percentages for buurten whose rounded population is 0.
    assert value(statistics, "BU00140007", 2015, "inwoners") == 0
    assert value(statistics, "BU00140007", 2015, "pct_65plus") is None


def test_harmonised_share_from_the_utrecht_csv(statistics):
    path = "kwb-utrecht-2023-2024/kwb_2024_utrecht.csv"
    assert csv_cell(path, "gwb_code", "BU03440111", "a_1p_hh") == "685"
    assert csv_cell(path, "gwb_code", "BU03440111", "a_hh") == "1100"
    assert value(statistics, "BU03440111", 2024, "pct_eenpersoonshuishoudens") == pytest.approx(685 / 1100 * 100)
    assert value(statistics, "BU03440111", 2023, "pct_herkomst_buiten_europa") == pytest.approx(255 / 1810 * 100)
    assert value(statistics, "BU03440111", 2023, "pct_niet_westers") is None  # old definition: 2015 only


def test_bijstand_per_1000(statistics):
    bijstand = value(statistics, "GM0344", 2015, "bijstand")
    inwoners = value(statistics, "GM0344", 2015, "inwoners")
    assert value(statistics, "GM0344", 2015, "bijstand_per_1000") == pytest.approx(bijstand / inwoners * 1000)
    assert value(statistics, "WK034401", 2023, "bijstand_per_1000") == pytest.approx(710 / 29040 * 1000)


def test_national_2024_and_nabijheid(statistics):
    assert value(statistics, "WK034401", 2024, "inwoners") == 29_710
    assert value(statistics, "GM0344", 2024, "bevolkingsdichtheid") == 3991
    assert value(statistics, "BU03440111", 2023, "afstand_bibliotheek") == pytest.approx(0.9)
    assert value(statistics, "BU03440952", 2023, "afstand_bibliotheek") is None  # "." in the file
    assert not statistics["code"].eq("NL00").any()


def test_rotterdam_extract_is_2017(statistics):
    rotterdam = statistics[statistics["bron"] == "CBS KWB 2017 (83765NED)"]
    assert set(rotterdam["jaar"]) == {2017}
    assert len(set(rotterdam["code"])) == 1 + 22 + 92
    # The age groups add up to Rotterdam's population on 1 January 2017 (CBS), well above 2015.
    assert value(statistics, "GM0599", 2017, "inwoners") == 634_660
    assert value(statistics, "GM0599", 2015, "inwoners") == 623_652
    # BU05990836 keeps its 65+ count, which sits in the misspelt column of the extract.
    assert value(statistics, "BU05990836", 2017, "inwoners") == 560 + 355 + 1250 + 585 + 275
    assert value(statistics, "BU05990836", 2017, "pct_65plus") == pytest.approx(275 / 3025 * 100)


# --- catalogue -----------------------------------------------------------------------


def test_catalogue_layout(catalogue):
    assert list(catalogue.columns) == cbs.CATALOGUE_COLUMNS
    assert catalogue["indicator"].is_unique
    assert catalogue["indicator"].str.match(r"^[a-z0-9_]+$").all()
    assert set(catalogue["hoger_is_meer_nood"].map(repr)) <= {"True", "False", "None"}
    assert (catalogue["label_nl"].str.len() > 0).all() and (catalogue["label_en"].str.len() > 0).all()


def test_catalogue_has_required_indicators_with_years(catalogue):
    jaren = catalogue.set_index("indicator")["jaren"]
    assert set(jaren.index) >= REQUIRED_INDICATORS
    assert jaren["pct_eenpersoonshuishoudens"] == "2015;2023;2024"
    assert jaren["pct_65plus"] == "2015;2017;2023;2024"
    assert jaren["pct_niet_westers"] == "2015"
    assert jaren["pct_herkomst_buiten_europa"] == "2023;2024"
    assert jaren["bijstand_per_1000"] == "2015;2023"
    assert jaren["pct_corporatiewoningen"] == "2023"
    assert jaren["afstand_bibliotheek"] == "2023"
    # Not yet published in the bundled KWB 2023/2024 files: listed, without years.
    assert jaren["pct_huishoudens_laag_inkomen"] == ""


def test_catalogue_years_and_sources_match_statistics(statistics, catalogue):
    assert set(statistics["indicator"]) <= set(catalogue["indicator"])
    for row in catalogue.itertuples():
        rows = statistics[statistics["indicator"] == row.indicator]
        assert row.jaren == ";".join(str(year) for year in sorted(set(rows["jaar"])))
        assert set(filter(None, row.bron.split("; "))) == set(rows["bron"])


def test_catalogue_rejects_unknown_indicators(statistics):
    stray = pd.DataFrame([{"code": "GM0344", "jaar": 2024, "indicator": "onbekend", "waarde": 1.0, "bron": "x"}])
    with pytest.raises(ValueError, match="onbekend"):
        cbs.load_catalogue(pd.concat([statistics.head(3), stray]))


# --- KWB 2024 for every gemeente, wijk and buurt ---------------------------------------

NATIONAL = "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv"


def test_national_2024_covers_every_buurt(statistics):
    rows_2024 = statistics[statistics["jaar"] == 2024]
    buurten = rows_2024.loc[rows_2024["code"].str.startswith("BU"), "code"]
    assert buurten.nunique() == 14_574
    deventer = rows_2024[rows_2024["code"].str[2:6] == "0150"]
    assert deventer.loc[deventer["code"].str.startswith("BU"), "code"].nunique() == 69
    assert deventer.loc[deventer["code"].str.startswith("WK"), "code"].nunique() == 15
    assert value(statistics, "GM0150", 2024, "inwoners") == 103_405


def test_national_2024_derived_shares_from_the_counts(statistics):
    # Bergkwartier, Deventer: 675 inwoners, 135 of 65 or over, 50 under 15, 113 crimes in 2024.
    assert csv_cell(NATIONAL, "code", "BU01500102", "inwoners65plus") == "135"
    assert value(statistics, "BU01500102", 2024, "pct_65plus") == pytest.approx(135 / 675 * 100)
    assert value(statistics, "BU01500102", 2024, "pct_0_14") == pytest.approx(50 / 675 * 100)
    assert value(statistics, "BU01500102", 2024, "misdrijven") == 113
    assert value(statistics, "BU01500102", 2024, "misdrijven_per_1000") == pytest.approx(113 / 675 * 1000)
    assert value(statistics, "BU01500102", 2024, "afstand_huisarts") == 1.0
    assert value(statistics, "BU01500102", 2024, "stedelijkheid") == 1
    assert value(statistics, "BU01500102", 2024, "woz_waarde") == 351
    assert value(statistics, "BU01500102", 2024, "pct_koopwoningen") == 21


def test_national_2024_empty_is_missing_not_zero(statistics):
    # Handelspark De Weteringen: no inwoners published, 11 crimes: a count but no rate.
    assert csv_cell(NATIONAL, "code", "BU01501009", "inwoners") == ""
    assert value(statistics, "BU01501009", 2024, "inwoners") is None
    assert value(statistics, "BU01501009", 2024, "pct_65plus") is None
    assert value(statistics, "BU01501009", 2024, "misdrijven") == 11
    assert value(statistics, "BU01501009", 2024, "misdrijven_per_1000") is None
    assert value(statistics, "BU01501009", 2024, "afstand_huisarts") is None
    assert value(statistics, "BU01501009", 2024, "oppervlakte_land") == 30
    # Groningen BU00140908: 430 inwoners, the 65+ count suppressed: no share, not 0 %.
    assert csv_cell(NATIONAL, "code", "BU00140908", "inwoners65plus") == ""
    assert value(statistics, "BU00140908", 2024, "inwoners") == 430
    assert value(statistics, "BU00140908", 2024, "pct_65plus") is None


def test_national_2024_fills_what_the_fuller_tables_leave_missing(statistics):
    rows = statistics[(statistics["code"] == "BU03440111") & (statistics["jaar"] == 2024)].set_index("indicator")
    # The full Utrecht file wins where it has a value; koopwoningen is "." there.
    assert csv_cell("kwb-utrecht-2023-2024/kwb_2024_utrecht.csv", "gwb_code", "BU03440111", "p_koopw") == "."
    assert rows.loc["inwoners", "bron"] == "CBS KWB 2024"
    assert rows.loc["pct_eenpersoonshuishoudens", "bron"] == "CBS KWB 2024"
    assert rows.loc["pct_koopwoningen", "waarde"] == 44
    assert rows.loc["pct_koopwoningen", "bron"] == "CBS 85984NED (KWB 2024)"
    assert rows.loc["misdrijven_per_1000", "bron"] == "Politie via CBS (47022NED)"


def test_catalogue_of_the_national_2024_indicators(catalogue):
    entries = catalogue.set_index("indicator")
    nood = entries["hoger_is_meer_nood"]
    for code in ("afstand_huisarts", "afstand_supermarkt", "afstand_school", "misdrijven_per_1000"):
        assert nood[code] is True and entries.loc[code, "jaren"] == "2024"
    assert nood["stedelijkheid"] is None and nood["huishoudensgrootte"] is None
    assert nood["woz_waarde"] is False and entries.loc["woz_waarde", "eenheid"] == "x 1.000 euro"
    assert entries.loc["misdrijven_per_1000", "bron"] == "Politie via CBS (47022NED)"
