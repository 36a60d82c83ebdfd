"""The illustrative sample: fictional, labelled, deterministic, and plausibly placed."""

from __future__ import annotations

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from wijkmap.config import REPO_ROOT
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import FIELDS, parse_fields
from wijkmap.data.sources.sample import generate_sample

BUURT_2015 = REPO_ROOT / "data" / "sources" / "cbs" / "wijkbuurtkaart-2015-tno" / "buurt_2015.geojson"
GEMEENTEN = ("GM0344", "GM0599")


@pytest.fixture(scope="module")
def raw() -> gpd.GeoDataFrame:
    """The real 2015 buurten of Utrecht and Rotterdam with their kerncijfers."""
    return pyogrio.read_dataframe(BUURT_2015, where="GM_CODE IN ('GM0344', 'GM0599')")


@pytest.fixture(scope="module")
def buurten(raw) -> gpd.GeoDataFrame:
    frame = raw.rename(columns={"BU_CODE": "code", "WK_CODE": "wijkcode", "GM_CODE": "gemeentecode", "BU_NAAM": "naam"})
    frame = frame.assign(niveau="buurt", jaar=2015)
    return frame[["code", "naam", "niveau", "jaar", "gemeentecode", "wijkcode", "geometry"]]


@pytest.fixture(scope="module")
def statistics(raw) -> pd.DataFrame:
    columns = {"P_65_EO_JR": "pct_65plus", "P_EENP_HH": "pct_eenpersoonshuishoudens", "AANT_INW": "inwoners"}
    parts = [
        pd.DataFrame(
            {
                "code": raw["BU_CODE"],
                "jaar": 2015,
                "indicator": indicator,
                "waarde": raw[column].astype(float).where(raw[column] >= 0),
                "bron": "CBS",
            }
        )
        for column, indicator in columns.items()
    ]
    return pd.concat(parts, ignore_index=True)


@pytest.fixture(scope="module")
def sample(buurten, statistics) -> pd.DataFrame:
    return generate_sample(buurten, statistics)


def test_columns(sample):
    assert list(sample.columns) == FIELDS
    assert sample["id"].is_unique
    assert sample["id"].str.fullmatch(r"vb-\d{4}").all()
    assert sample["lon"].dtype == float and sample["lat"].dtype == float
    assert (sample["lon"] == sample["lon"].round(6)).all()
    assert not sample[[c for c in FIELDS if c not in ("lon", "lat")]].isna().any().any()


def test_deterministic(buurten, statistics, sample):
    again = generate_sample(buurten, statistics)
    pd.testing.assert_frame_equal(sample, again)
    assert sample.to_csv(index=False).encode() == again.to_csv(index=False).encode()
    shuffled = buurten.sample(frac=1, random_state=7)  # input row order does not matter
    pd.testing.assert_frame_equal(sample, generate_sample(shuffled, statistics.iloc[::-1]))
    other = generate_sample(buurten, statistics, seed=1)
    assert not other[["naam", "lon"]].equals(sample[["naam", "lon"]])


def test_unmistakably_fictional(sample):
    assert (sample["bron"] == vocab.SAMPLE_BRON).all()
    assert sample["naam"].str.endswith(" (fictief)").all()
    assert sample["omschrijving"].str.startswith("Fictief voorbeeld — ").all()
    assert sample["naam"].is_unique
    assert (sample["url"] == "").all()


def test_hundreds_per_gemeente(sample):
    counts = sample["gemeentecode"].value_counts()
    assert sorted(counts.index) == list(GEMEENTEN)
    assert counts.between(200, 999).all(), counts.to_dict()
    for code in GEMEENTEN:  # every family of soorten is there
        soorten = set(sample.loc[sample["gemeentecode"] == code, "soort"])
        for category in ("klassiek", "popup", "professioneel", "religieus", "initiatief"):
            assert soorten & set(vocab.soorten_in(category)), (code, category)


def test_valid_codes(sample):
    assert sample["soort"].isin(list(vocab.SOORTEN)).all()
    assert sample["strategie"].isin(list(vocab.STRATEGIES)).all()
    assert sample["tarief"].isin(["", *vocab.TARIEVEN]).all()
    assert sample["tijdelijk"].isin(["", "ja", "nee"]).all()
    for column, terms in (("actortype", vocab.ACTORTYPES), ("doelgroep", vocab.DOELGROEPEN)):
        for value in sample[column]:
            codes = value.split(";")
            assert 1 <= len(codes) <= 3 and len(set(codes)) == len(codes), (column, value)
            assert all(code in terms for code in codes), (column, value)
    assert {"bonding", "bridging", "beide"} <= set(sample["strategie"])
    for formality in ("formeel", "informeel", "tussenvorm"):
        assert sample["actortype"].str.split(";").explode().isin(vocab.actortypes_with(formality)).any()


def test_every_record_parses_cleanly(sample):
    for row in sample.to_dict("records"):
        parsed, problems = parse_fields(row)
        assert problems == [], (row["id"], problems)
        for field in ("soort", "strategie", "actortype", "doelgroep", "tarief", "tijdelijk", "geopend", "gesloten"):
            assert parsed[field] == row[field], (row["id"], field)


def test_consistent_with_the_soort(sample):
    def rows(*soorten):
        return sample[sample["soort"].isin(soorten)]

    actors = sample["actortype"].str.split(";")
    groups = sample["doelgroep"].str.split(";")
    religious = rows("kerk", "moskee", "religieuze_organisatie", "wijkpastoraat").index
    assert actors[religious].map(lambda a: "religieuze_organisatie" in a).all()
    assert actors[rows("koffiehoek").index].map(lambda a: a[0] == "commercieel").all()
    assert (
        actors[rows("huis_van_de_wijk").index]
        .map(lambda a: a[0] in ("welzijnsorganisatie", "woningcorporatie", "bewoners"))
        .all()
    )
    assert groups[rows("ontvangende_buurt").index].map(lambda g: "nieuwkomers" in g).all()
    assert groups[rows("dementievriendelijk", "bejaardenhuis").index].map(lambda g: "ouderen" in g).all()
    assert groups.map(lambda g: "iedereen" not in g or g == ["iedereen"]).all()
    popups = rows(*vocab.soorten_in("popup"))
    assert popups["tijdelijk"].isin(["ja", "nee"]).all() and (popups["tarief"] != "").all()


def test_dates(sample):
    classic = sample[sample["soort"].isin(vocab.soorten_in("klassiek")) & (sample["opvolger_van"] == "")]
    assert classic["geopend"].str[:4].astype(int).between(1955, 1985).all()
    closed = classic[classic["gesloten"] != ""]
    assert len(closed) >= 0.4 * len(classic)
    assert closed["gesloten"].str[:4].astype(int).between(2005, 2020).all()
    dates = pd.concat([sample["geopend"], sample["gesloten"]])
    dates = dates[dates != ""]
    assert (dates.str.len() == 4).mean() > 0.5 and (dates.str.len() == 10).any()
    assert dates.str[:4].astype(int).max() <= 2025
    temporary_closed = sample[(sample["tijdelijk"] == "ja") & (sample["gesloten"] != "")]
    assert len(temporary_closed) >= 5  # pop-ups that opened and closed again


def test_successors(sample):
    by_id = sample.set_index("id")
    successors = sample[sample["opvolger_van"] != ""]
    assert len(successors) >= 20
    for row in successors.itertuples():
        assert row.opvolger_van in by_id.index, row.id
        before = by_id.loc[row.opvolger_van]
        assert before["gesloten"] != "", row.id
        assert int(row.geopend[:4]) >= int(before["gesloten"][:4]), row.id
        assert int(row.geopend[:4]) - int(before["gesloten"][:4]) <= 3, row.id
        if len(row.geopend) == 10 and len(before["gesloten"]) == 10:
            assert row.geopend >= before["gesloten"], row.id
        assert row.gemeentecode == before["gemeentecode"]
    same_place = [
        row.id
        for row in successors.itertuples()
        if (row.lon, row.lat) == (by_id.loc[row.opvolger_van, "lon"], by_id.loc[row.opvolger_van, "lat"])
    ]
    assert 0 < len(same_place) < len(successors)  # some in the same building, some nearby
    replaced = by_id.loc[successors["opvolger_van"], "soort"]
    assert (replaced == "buurthuis").any()
    assert successors["soort"].isin(["huis_van_de_wijk", "buurtrestaurant"]).any()
    chained = successors[successors["opvolger_van"].isin(successors["id"])]
    assert len(chained) >= 2  # buurthuis → huis van de wijk → buurtrestaurant


def test_wijkteams_partition_the_buurten(sample, buurten):
    for code in GEMEENTEN:
        teams = sample[(sample["soort"] == "wijkteam") & (sample["gemeentecode"] == code)]
        served = teams["werkgebied"].str.split(";").explode()
        expected = sorted(buurten.loc[buurten["gemeentecode"] == code, "code"])
        assert sorted(served) == expected  # every buurt exactly once
        assert teams.apply(lambda t: t["buurtcode"] in t["werkgebied"].split(";"), axis=1).all()
        wijken = buurten.loc[buurten["gemeentecode"] == code, "wijkcode"].nunique()
        assert wijken / 2 <= len(teams) <= 2 * wijken
    assert (sample.loc[sample["soort"] != "wijkteam", "werkgebied"] == "").all()


def test_points_lie_inside_their_buurt(sample, buurten):
    geometry = buurten.set_index("code")
    for row in sample.itertuples():
        buurt = geometry.loc[row.buurtcode]
        assert shapely.contains_xy(buurt.geometry, row.lon, row.lat), row.id
        assert (row.wijkcode, row.gemeentecode) == (buurt["wijkcode"], buurt["gemeentecode"]), row.id


def test_build_step_finds_the_same_buurt(sample, buurten):
    from wijkmap.core.analysis import locate

    points = gpd.GeoSeries(gpd.points_from_xy(sample["lon"], sample["lat"]), crs=4326)
    located = locate(points, buurten)
    assert located["buurtcode"].tolist() == sample["buurtcode"].tolist()


def test_some_high_need_buurten_stay_thin(sample, raw):
    """More where need is high, but not everywhere: the product must reveal thin spots."""
    social = vocab.soorten_in("popup") + vocab.soorten_in("initiatief")
    open_social = sample[sample["soort"].isin(social) & (sample["gesloten"] == "")]
    count = open_social.groupby("buurtcode").size()
    frame = raw[raw["AANT_INW"] >= 1000].copy()
    frame["need"] = frame.groupby("GM_CODE")[["P_65_EO_JR", "P_EENP_HH"]].rank(pct=True).mean(axis=1)
    frame["n"] = frame["BU_CODE"].map(count).fillna(0)
    for code in GEMEENTEN:
        in_gemeente = frame[frame["GM_CODE"] == code]
        high = in_gemeente[in_gemeente["need"] >= in_gemeente["need"].quantile(0.75)]
        low = in_gemeente[in_gemeente["need"] <= in_gemeente["need"].quantile(0.25)]
        assert (high["n"] == 0).any(), code  # a high-need buurt with a thin social basis
        # yet per inhabitant, high-need buurten have more than low-need ones
        assert high["n"].sum() / high["AANT_INW"].sum() > low["n"].sum() / low["AANT_INW"].sum(), code


def test_falls_back_without_statistics(buurten):
    empty = pd.DataFrame(columns=["code", "jaar", "indicator", "waarde", "bron"])
    sample = generate_sample(buurten, empty)
    assert sample["gemeentecode"].value_counts().between(200, 999).all()
    assert (sample["bron"] == vocab.SAMPLE_BRON).all()
    teams = sample[sample["soort"] == "wijkteam"]
    assert sorted(teams["werkgebied"].str.split(";").explode()) == sorted(buurten["code"])


def test_only_utrecht_and_rotterdam(buurten, statistics):
    extra = buurten.iloc[:3].assign(code=["BU99990001", "BU99990002", "BU99990003"], gemeentecode="GM9999")
    sample = generate_sample(pd.concat([buurten, extra], ignore_index=True), statistics)
    assert set(sample["gemeentecode"]) == set(GEMEENTEN)
    assert np.isfinite(sample[["lon", "lat"]].to_numpy()).all()


def test_paired_descriptions_match_their_names():
    from wijkmap.data.sources.sample import KINDS

    for soort, kind in KINDS.items():
        assert soort in vocab.SOORTEN
        if kind.paired:
            assert len(kind.blurbs) == len(kind.templates), soort
