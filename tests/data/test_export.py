"""Exports: every format labels the sample, CSV is safe to open in a spreadsheet."""

from __future__ import annotations

import csv
import io
import json

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest

from wijkmap.core.records import FIELDS
from wijkmap.data.export import (
    EXPORT_FIELDS,
    SAMPLE_NO,
    SAMPLE_YES,
    export_records,
    filter_records,
    neutralise_formula,
    restore_formula,
)


def record(**values) -> dict:
    base = {name: "" for name in FIELDS}
    base.update(
        naam="Repair Café Dom",
        soort="repair_cafe",
        strategie="bonding",
        bron="register r.csv",
        buurtcode="BU03440611",
        wijkcode="WK034406",
        gemeentecode="GM0344",
        lon=5.1214,
        lat=52.0907,
    )
    base.update(values)
    return base


@pytest.fixture
def records() -> gpd.GeoDataFrame:
    """Records as store.read_records returns them: three real-looking, one sample."""
    rows = [
        record(id="a1", naam='=HYPERLINK("http://evil.example","klik")'),
        record(id="a2", naam="@SUM(A1:A9)", omschrijving="- zie website", tarief="gratis"),
        record(
            id="a3",
            naam="Moskee Lombok",
            soort="moskee",
            omschrijving="-",
            gemeentecode="GM0599",
            buurtcode="BU05991578",
            wijkcode="WK059915",
            lon=4.4786,
            lat=51.8869,
        ),
        record(id="v1", naam="Huiskamer Één", soort="huis_van_de_wijk", bron="voorbeeld"),
    ]
    frame = pd.DataFrame(rows)[FIELDS]
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")


def read_csv(data: bytes) -> list[dict]:
    assert data.startswith(b"\xef\xbb\xbf")  # BOM, so Excel reads UTF-8
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def test_csv_neutralises_formulas_but_not_numbers_or_a_lone_dash(records):
    rows = read_csv(export_records(records, "csv"))
    assert list(rows[0]) == EXPORT_FIELDS
    assert rows[0]["naam"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert rows[1]["naam"] == "'@SUM(A1:A9)"
    assert rows[1]["omschrijving"] == "'- zie website"
    assert rows[2]["omschrijving"] == "-"
    assert rows[0]["lon"] == "5.121400" and rows[0]["lat"] == "52.090700"
    assert rows[3]["naam"] == "Huiskamer Één"  # UTF-8 round trip


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+31 6 12345678", "'+31 6 12345678"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-5", "-5"),
        ("+3,5", "+3,5"),
        ("-", "-"),
        ("Café = huiskamer", "Café = huiskamer"),
        ("", ""),
    ],
)
def test_neutralise_formula(value, expected):
    assert neutralise_formula(value) == expected


@pytest.mark.parametrize(
    "value",
    ["=1+1", "'=1+1", "''@SUM(A1)", "'t Hofje", "'", "''", "-5", "'-5", "- zie site", "'- zie site", "Café", ""],
)
def test_restore_formula_undoes_exactly_what_neutralise_formula_did(value):
    assert restore_formula(neutralise_formula(value)) == value


def test_a_quote_before_a_formula_gets_one_more_and_a_dutch_apostrophe_none():
    assert neutralise_formula("'=1+1") == "''=1+1"
    assert neutralise_formula("'t Hofje") == "'t Hofje"
    assert restore_formula("'t Hofje") == "'t Hofje"


def test_csv_neutralises_formulas_in_every_text_field(records):
    formula = '=HYPERLINK("http://evil.example","klik")'
    text_fields = [name for name in EXPORT_FIELDS if name not in ("lon", "lat", "voorbeeld", "bronvermelding")]
    row = record(**{name: formula for name in text_fields})
    frame = pd.DataFrame([row])[FIELDS]
    exported = read_csv(export_records(frame, "csv"))[0]
    assert {name: exported[name] for name in text_fields} == {name: "'" + formula for name in text_fields}


def test_sample_is_labelled_in_csv(records):
    rows = {row["id"]: row for row in read_csv(export_records(records, "csv"))}
    assert rows["v1"]["voorbeeld"] == SAMPLE_YES == "ja (fictief voorbeeld)"
    assert rows["a1"]["voorbeeld"] == SAMPLE_NO


def test_geojson_is_rfc7946_wgs84_with_labelled_sample(records):
    collection = json.loads(export_records(records, "geojson").decode("utf-8"))
    assert collection["type"] == "FeatureCollection" and "crs" not in collection
    features = {feature["id"]: feature for feature in collection["features"]}
    assert features["a3"]["geometry"] == {"type": "Point", "coordinates": [4.4786, 51.8869]}
    assert list(features["a1"]["properties"]) == EXPORT_FIELDS
    assert features["a1"]["properties"]["naam"].startswith("=HYPERLINK")  # data, not a spreadsheet
    assert features["v1"]["properties"]["voorbeeld"] == SAMPLE_YES
    assert features["a2"]["properties"]["voorbeeld"] == SAMPLE_NO
    for feature in features.values():
        lon, lat = feature["geometry"]["coordinates"]
        assert 3 < lon < 8 and 50 < lat < 54


def test_geojson_reads_back_with_gdal(records, tmp_path):
    path = tmp_path / "export.geojson"
    path.write_bytes(export_records(records, "geojson"))
    frame = pyogrio.read_dataframe(path)
    assert frame.crs.to_epsg() == 4326 and len(frame) == 4


def test_gpkg_reads_back_with_pyogrio(records, tmp_path):
    path = tmp_path / "export.gpkg"
    path.write_bytes(export_records(records, "gpkg"))
    assert [name for name, _ in pyogrio.list_layers(path)] == ["voorzieningen"]
    frame = pyogrio.read_dataframe(path, layer="voorzieningen")
    assert frame.crs.to_epsg() == 4326
    assert [c for c in frame.columns if c != "geometry"] == EXPORT_FIELDS
    labelled = dict(zip(frame["id"], frame["voorbeeld"]))
    assert labelled == {"a1": SAMPLE_NO, "a2": SAMPLE_NO, "a3": SAMPLE_NO, "v1": SAMPLE_YES}
    point = frame.set_index("id").loc["a3", "geometry"]
    assert (point.x, point.y) == pytest.approx((4.4786, 51.8869))


def test_empty_exports_are_valid(records, tmp_path):
    empty = records.iloc[0:0]
    assert read_csv(export_records(empty, "csv")) == []
    assert json.loads(export_records(empty, "geojson"))["features"] == []
    path = tmp_path / "empty.gpkg"
    path.write_bytes(export_records(empty, "gpkg"))
    assert len(pyogrio.read_dataframe(path)) == 0


def test_unknown_format(records):
    with pytest.raises(ValueError, match="onbekend exportformaat"):
        export_records(records, "xlsx")


def test_filter_records(records):
    assert list(filter_records(records, gemeentecode="GM0599")["id"]) == ["a3"]
    assert list(filter_records(records, gemeentecode="344")["id"]) == ["a1", "a2", "v1"]
    assert list(filter_records(records, soorten=["moskee", "Repair café"])["id"]) == ["a1", "a2", "a3"]
    assert list(filter_records(records, soorten="huis_van_de_wijk")["id"]) == ["v1"]
    assert list(filter_records(records, bron="Voorbeeld")["id"]) == ["v1"]
    assert list(filter_records(records, include_sample=False)["id"]) == ["a1", "a2", "a3"]
    assert isinstance(filter_records(records, gemeentecode="GM0344"), gpd.GeoDataFrame)
    with pytest.raises(ValueError, match='onbekende soort "speeltuin"'):
        filter_records(records, soorten=["speeltuin"])
