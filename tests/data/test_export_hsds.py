"""The Open Referral HSDS 3 export: every row valid against the standard's own schemas,
stable ids, status, the custom taxonomy, provenance, the sample marked, CSV made safe."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import uuid
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest
from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import FIELDS
from wijkmap.data.export_hsds import SAMPLE_NOTE, TABLES, hsds_files, hsds_id, hsds_tables, hsds_zip, service_status

SCHEMAS = Path(__file__).parent / "hsds3" / "schema"
BASE = "https://hsds.test/schema/"
TODAY = dt.date(2026, 12, 2)


def _registry() -> Registry:
    """The copied schema files under one made-up base address: their relative `$ref`s
    ("phone.json") resolve among themselves, never over the network."""
    resources = [
        (BASE + path.name, Resource.from_contents(json.loads(path.read_text()), default_specification=DRAFT202012))
        for path in SCHEMAS.glob("*.json")
    ]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def validator(table: str) -> Draft202012Validator:
    return Draft202012Validator(
        {"$ref": BASE + f"{table}.json"}, registry=REGISTRY, format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def read_tables(files: dict[str, bytes]) -> dict[str, list[dict]]:
    """Each CSV as rows of text, as a consumer reads it."""
    return {name: list(csv.DictReader(io.StringIO(data.decode("utf-8")))) for name, data in files.items()}


def schema(table: str) -> dict:
    return json.loads((SCHEMAS / f"{table}.json").read_text())


def as_json(row: dict, table: str) -> dict:
    """A CSV row in the JSON types its schema asks for: numbers are numbers, and an empty
    cell is an absent field, except in a required column (CSV has every column in every
    row; an empty required text is "", such as metadata's previous_value of a first value)."""
    properties, required = schema(table)["properties"], schema(table)["required"]
    document = {}
    for column, cell in row.items():
        if cell == "" and column not in required:
            continue
        document[column] = float(cell) if properties[column]["type"] == "number" else cell
    return document


def record(**values) -> dict:
    base = {name: "" for name in FIELDS}
    base.update(
        id="reg-1",
        naam="Huiskamer Dom",
        soort="huis_van_de_wijk",
        strategie="bridging",
        actortype="bewoners;vrijwilligersorganisatie",
        doelgroep="ouderen;alleenstaanden",
        tarief="gratis",
        geopend="2018",
        omschrijving="Koffie en een praatje.",
        url="https://huiskamer.example/dom",
        bron="Register gemeente Utrecht 2026",
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
    rows = [
        record(),
        record(id="reg-2", naam="Buurthuis Oud", soort="buurthuis", actortype="", doelgroep="", gesloten="2023-06"),
        record(
            id="reg-3",
            naam="Buurthuis Nieuw",
            soort="buurthuis",
            opvolger_van="reg-2",
            geopend="2023",
            laatst_gecontroleerd="2026-01-15",
        ),  # fmt: skip
        record(id="osm-9", naam="Kerk", soort="kerk", bron="OpenStreetMap", url="", tarief="", gesloten="2030"),
        record(id="v1", naam="Huiskamer Één", bron="voorbeeld"),
    ]
    frame = pd.DataFrame(rows)
    return gpd.GeoDataFrame(frame, geometry=gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326")


@pytest.fixture
def tables(records) -> dict[str, list[dict]]:
    return read_tables(hsds_files(records, today=TODAY))


def by_name(rows: list[dict], column: str = "name") -> dict[str, dict]:
    return {row[column]: row for row in rows}


# --- the standard --------------------------------------------------------------------


def test_every_row_of_every_table_is_valid_hsds(tables):
    assert sorted(tables) == sorted(file_name for file_name, _ in TABLES.values())
    for table, (file_name, columns) in TABLES.items():
        assert list(tables[file_name][0]) == columns, file_name
        check = validator(table)
        # What the tabular form requires too (the foreign keys), and never an empty required text but one.
        required = [*schema(table)["required"], *schema(table).get("tabular_required", [])]
        filled = [column for column in required if (table, column) != ("metadata", "previous_value")]
        for row in tables[file_name]:
            check.validate(as_json(row, table))
            assert all(row[column] for column in filled), (file_name, row)


def test_the_whole_small_store_exports_as_valid_hsds(small_store_path):
    """Real records too (OpenStreetMap-like bundles, Repair Cafés with their urls, the sample)."""
    from wijkmap.data import store

    records = store.read_records(small_store_path)
    tables = read_tables(hsds_files(records, today=TODAY))
    assert len(tables["services.csv"]) == len(records) > 100
    for table, (file_name, _) in TABLES.items():
        check = validator(table)
        for row in tables[file_name]:
            check.validate(as_json(row, table))


def test_files_and_columns_are_those_of_the_tabular_form():
    """File names and column order as schema/compiled/tabular.json describes the CSV form."""
    tabular = json.loads((SCHEMAS / "compiled" / "tabular.json").read_text())["properties"]
    for table, (file_name, columns) in TABLES.items():
        described = tabular[table]["items"]
        assert described["path"] == file_name
        order = list(described["properties"])
        assert columns == sorted(columns, key=order.index), table


def test_a_broken_row_fails_validation(tables):
    """The check above can fail: a service without status, a bad status, an id that is no
    UUID, a latitude as text."""
    service = as_json(tables["services.csv"][0], "service")
    for broken in (
        {key: value for key, value in service.items() if key != "status"},
        {**service, "status": "gesloten"},
        {**service, "id": "reg-1"},
    ):
        with pytest.raises(ValidationError):
            validator("service").validate(broken)
    location = as_json(tables["locations.csv"][0], "location")
    with pytest.raises(ValidationError):
        validator("location").validate({**location, "latitude": "52,09"})


def test_the_schema_copy_carries_its_licence():
    folder = SCHEMAS.parent
    assert "Creative Commons Attribution Share-Alike 4.0" in (folder / "LICENSE").read_text()
    assert "279fd2eb3552c349bf698c07c00cc25f5fc8249b" in (folder / "SOURCE.md").read_text()


def test_the_files_are_plain_csv_with_a_header(records):
    files = hsds_files(records, today=TODAY)
    data = files["services.csv"]
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.split(b"\r\n")[0] == b"id,organization_id,name,description,url,status,fees_description,assured_date"


# --- mapping -------------------------------------------------------------------------


def test_a_record_is_a_service_at_a_location_run_by_an_organization(tables):
    service = by_name(tables["services.csv"])["Huiskamer Dom"]
    location = by_name(tables["locations.csv"])["Huiskamer Dom"]
    organization = by_name(tables["organizations.csv"], "id")[service["organization_id"]]
    link = by_name(tables["service_at_location.csv"], "service_id")[service["id"]]

    assert service["id"] == hsds_id("service", "reg-1")
    assert service["description"] == "Koffie en een praatje."
    assert service["url"] == "https://huiskamer.example/dom"
    assert service["fees_description"] == "Gratis"
    assert link["location_id"] == location["id"]
    assert location["location_type"] == "physical"
    assert (float(location["latitude"]), float(location["longitude"])) == (52.0907, 5.1214)
    assert location["description"] == "buurt BU03440611, wijk WK034406, gemeente GM0344"
    assert organization["name"] == "Bewoners, Vrijwilligersorganisatie achter Huiskamer Dom"
    assert location["organization_id"] == organization["id"]


def test_ids_are_stable_uuids_across_exports(records):
    first, second = hsds_files(records, today=TODAY), hsds_files(records.iloc[::-1], today=TODAY)
    for name in first:
        assert sorted(first[name].splitlines()) == sorted(second[name].splitlines()), name
    ids = [row["id"] for rows in read_tables(first).values() for row in rows]
    assert len(ids) == len(set(ids))
    assert all(uuid.UUID(value).version == 5 for value in ids)


def test_status_follows_gesloten():
    assert service_status("", TODAY) == "active"
    assert service_status("2023-06", TODAY) == "defunct"
    assert service_status("2026-12-02", TODAY) == "defunct"
    assert service_status("2030", TODAY) == "active"  # an announced closing date


def test_the_day_a_record_was_confirmed_is_the_services_assured_date(tables):
    services = by_name(tables["services.csv"])
    assert services["Buurthuis Nieuw"]["assured_date"] == "2026-01-15"
    assert services["Buurthuis Oud"]["assured_date"] == ""  # never confirmed: no claim


def test_statuses_in_the_export(tables):
    statuses = {name: row["status"] for name, row in by_name(tables["services.csv"]).items()}
    assert statuses == {
        "Huiskamer Dom": "active",
        "Buurthuis Oud": "defunct",
        "Buurthuis Nieuw": "active",
        "Kerk": "active",
        "Huiskamer Één": "active",
    }


def test_our_vocabulary_is_a_custom_taxonomy(tables):
    taxonomies = by_name(tables["taxonomies.csv"])
    assert set(taxonomies) == {
        f"wijkmap {name}" for name in ("soort", "strategie", "actortype", "doelgroep", "herkomst")
    }
    terms = tables["taxonomy_terms.csv"]
    soort_terms = {row["code"]: row for row in terms if row["taxonomy"] == "wijkmap soort"}
    assert set(vocab.SOORTEN) <= set(soort_terms)
    huiskamer = soort_terms["huis_van_de_wijk"]
    assert huiskamer["name"] == "Huis/huiskamer van de wijk" and huiskamer["language"] == "nl"
    assert huiskamer["taxonomy_id"] == taxonomies["wijkmap soort"]["id"]
    assert soort_terms["categorie:popup"]["id"] == huiskamer["parent_id"]

    service_id = hsds_id("service", "reg-1")
    organization_id = hsds_id("organization", "reg-1")
    code_of = {row["id"]: (row["taxonomy"], row["code"]) for row in terms}
    attached = {
        (row["link_entity"], code_of[row["taxonomy_term_id"]])
        for row in tables["attributes.csv"]
        if row["link_id"] in (service_id, organization_id)
    }
    assert attached == {
        ("service", ("wijkmap soort", "huis_van_de_wijk")),
        ("service", ("wijkmap strategie", "bridging")),
        ("service", ("wijkmap doelgroep", "ouderen")),
        ("service", ("wijkmap doelgroep", "alleenstaanden")),
        ("organization", ("wijkmap actortype", "bewoners")),
        ("organization", ("wijkmap actortype", "vrijwilligersorganisatie")),
    }


def test_metadata_carries_bron_own_id_and_successor(tables):
    rows = tables["metadata.csv"]
    new = [row for row in rows if row["resource_id"] == hsds_id("service", "reg-3")]
    assert {row["field_name"]: row["replacement_value"] for row in new} == {
        "bron": "Register gemeente Utrecht 2026",
        "wijkmap_id": "reg-3",
        "opvolger_van": hsds_id("service", "reg-2"),
    }
    assert {row["resource_type"] for row in rows} == {"service"}
    assert {row["last_action_date"] for row in rows} == {"2026-12-02"}
    osm = [row for row in rows if row["resource_id"] == hsds_id("service", "osm-9")]
    assert {row["updated_by"] for row in osm} == {vocab.OSM_CREDIT}


def test_the_sample_is_marked_in_its_description_and_an_attribute(tables):
    sample = by_name(tables["services.csv"])["Huiskamer Één"]
    assert sample["description"].startswith(SAMPLE_NOTE)
    herkomst = by_name(tables["taxonomy_terms.csv"], "taxonomy")["wijkmap herkomst"]
    marked = [row["link_id"] for row in tables["attributes.csv"] if row["taxonomy_term_id"] == herkomst["id"]]
    assert marked == [sample["id"]]
    assert not by_name(tables["services.csv"])["Huiskamer Dom"]["description"].startswith(SAMPLE_NOTE)


def test_hostile_text_is_neutralised_and_stays_text(records):
    records.loc[0, "naam"] = '=HYPERLINK("http://evil.example","klik")'
    records.loc[0, "omschrijving"] = '@SUM(A1:A9), "quoted"\nnew line'
    tables = read_tables(hsds_files(records, today=TODAY))
    service = tables["services.csv"][0]
    assert service["name"] == '\'=HYPERLINK("http://evil.example","klik")'
    assert service["description"] == '\'@SUM(A1:A9), "quoted"\nnew line'
    assert tables["locations.csv"][0]["name"] == service["name"]
    assert len(tables["services.csv"]) == len(records)


def test_an_empty_selection_writes_the_tables_with_only_the_vocabulary(records):
    tables = read_tables(hsds_files(records.iloc[:0], today=TODAY))
    assert tables["services.csv"] == [] and tables["metadata.csv"] == []
    assert len(tables["taxonomy_terms.csv"]) > len(vocab.SOORTEN)


def test_the_zip_holds_the_same_files(records):
    with zipfile.ZipFile(io.BytesIO(hsds_zip(records, today=TODAY))) as archive:
        assert {name: archive.read(name) for name in archive.namelist()} == hsds_files(records, today=TODAY)


def test_tables_keep_numbers_as_numbers(records):
    locations = hsds_tables(records, today=TODAY)["location"]
    assert locations["latitude"].dtype == float
