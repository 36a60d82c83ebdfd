"""Writing records in the tabular form of Open Referral HSDS 3 (one CSV per table).

The Human Services Data Specification is the open standard for directories of services;
its tabular form is a set of CSV files (organizations.csv, services.csv, ...) that
other directories and tools read. A record becomes a service at a location, run by an
organization; our soort, strategie, actortype and doelgroep travel as a custom taxonomy
(taxonomies.csv, taxonomy_terms.csv, attributes.csv), and each record's bron, own id and
predecessor (opvolger_van) as metadata rows. The README's "HSDS" section has the whole
mapping and the fields that stay empty.

Every id is a UUID derived from our own ids (uuid5), so a second export of the same
records gives the same ids and a consumer can update instead of duplicate. Nothing here
knows about Streamlit or the command line.
"""

from __future__ import annotations

import datetime as dt
import io
import uuid
import zipfile

import pandas as pd

from wijkmap import __version__
from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import credit, is_sample, split_list
from wijkmap.data.export import export_table, write_csv

CREDIT = "Human Services Data Specification: an Open Referral resource (https://openreferral.org/)"
# The namespace of every id this export derives; fixed forever, or ids change between versions.
NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://github.com/wijkmap/wijkmap/hsds")
# Our vocabularies that go out as custom taxonomies, with the record field that holds them,
# the HSDS table the attribute is attached to, and the vocabulary of parent terms.
TAXONOMIES = {
    "soort": ("soort", "service", "categorie"),
    "strategie": ("strategie", "service", None),
    "actortype": ("actortype", "organization", "formaliteit"),
    "doelgroep": ("doelgroep", "service", None),
}
TAXONOMY_DESCRIPTIONS = {
    "soort": "Soort voorziening of initiatief in de sociale basis (wijkmap), met de categorie als bovenliggende term.",
    "strategie": "Sociale strategie van een voorziening: bonding (binden) of bridging (overbruggen).",
    "actortype": "Type organisatie of actor achter een voorziening (wijkmap), met de formaliteit als bovenliggende term.",
    "doelgroep": "Doelgroep van een voorziening (wijkmap).",
    "herkomst": "Herkomst van een record in wijkmap: 'voorbeeld' markeert fictieve voorbeeldgegevens.",
}
SAMPLE_TERM = "voorbeeld"
SAMPLE_NOTE = "FICTIEF VOORBEELD: deze voorziening bestaat niet; zij illustreert de kaart."
STATUS_ACTIVE, STATUS_DEFUNCT = "active", "defunct"

# Table name -> (file name, columns), in the order of the HSDS 3 tabular schema
# (schema/compiled/tabular.json); only the columns this export can fill are written.
TABLES = {
    "organization": ("organizations.csv", ["id", "name", "description"]),
    "service": (
        "services.csv",
        ["id", "organization_id", "name", "description", "url", "status", "fees_description", "assured_date"],
    ),
    "location": (
        "locations.csv",
        ["id", "location_type", "organization_id", "name", "description", "latitude", "longitude"],
    ),
    "service_at_location": ("service_at_location.csv", ["id", "service_id", "location_id", "description"]),
    "taxonomy": ("taxonomies.csv", ["id", "name", "description", "version"]),
    "taxonomy_term": (
        "taxonomy_terms.csv",
        ["id", "code", "name", "description", "parent_id", "taxonomy", "language", "taxonomy_id"],
    ),
    "attribute": ("attributes.csv", ["id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"]),
    "metadata": (
        "metadata.csv",
        [
            "id",
            "resource_id",
            "resource_type",
            "last_action_date",
            "last_action_type",
            "field_name",
            "previous_value",
            "replacement_value",
            "updated_by",
        ],
    ),
}
NUMERIC_COLUMNS = {"latitude", "longitude"}


def hsds_id(kind: str, key: str) -> str:
    """The stable UUID of one HSDS row: the same `kind` and `key` always give the same id."""
    return str(uuid.uuid5(NAMESPACE, f"{kind}:{key}"))


def service_status(gesloten: str, today: dt.date) -> str:
    """'defunct' for a record closed on or before `today`, else 'active'.

    A closing date in the future (an announced end) is still active; a year or month
    counts from its first day, as the map reads it."""
    if not gesloten:
        return STATUS_ACTIVE
    return STATUS_DEFUNCT if gesloten <= today.isoformat() else STATUS_ACTIVE


def _taxonomy_rows() -> tuple[list[dict], list[dict], dict[tuple[str, str], str]]:
    """Rows of taxonomies.csv and taxonomy_terms.csv, and the term id per (taxonomy, code)."""
    taxonomies, terms, term_ids = [], [], {}

    def add_term(taxonomy: str, code: str, term: vocab.Term | None, parent_id: str = "") -> str:
        term_id = hsds_id("taxonomy_term", f"{taxonomy}:{code}")
        description = f"{term.nl} (English: {term.en})" if term else TAXONOMY_DESCRIPTIONS[taxonomy]
        terms.append(
            {
                "id": term_id,
                "code": code,
                "name": term.nl if term else code,
                "description": description,
                "parent_id": parent_id,
                "taxonomy": f"wijkmap {taxonomy}",
                "language": "nl",
                "taxonomy_id": hsds_id("taxonomy", taxonomy),
            }
        )
        return term_id

    for taxonomy in [*TAXONOMIES, "herkomst"]:
        taxonomies.append(
            {
                "id": hsds_id("taxonomy", taxonomy),
                "name": f"wijkmap {taxonomy}",
                "description": TAXONOMY_DESCRIPTIONS[taxonomy],
                "version": __version__,
            }
        )
        if taxonomy == "herkomst":
            term_ids[(taxonomy, SAMPLE_TERM)] = add_term(taxonomy, SAMPLE_TERM, None)
            continue
        _, _, parent_vocabulary = TAXONOMIES[taxonomy]
        parents = {}
        if parent_vocabulary:
            for code, term in vocab.VOCABULARIES[parent_vocabulary].items():
                parents[code] = add_term(taxonomy, f"{parent_vocabulary}:{code}", term)
        for code, term in vocab.VOCABULARIES[taxonomy].items():
            term_ids[(taxonomy, code)] = add_term(taxonomy, code, term, parents.get(term.group or "", ""))
    return taxonomies, terms, term_ids


def _organization(record: dict, organization_id: str) -> dict:
    """The organization behind a record. HSDS needs one; a register names only the type of
    actor, so it is one per record, named by that type, and says so."""
    actors = vocab.labels("actortype", split_list(record["actortype"]))
    return {
        "id": organization_id,
        "name": f"{actors or 'Organisatie'} achter {record['naam']}",
        "description": f"De organisatie achter '{record['naam']}'; het register noemt alleen het type"
        f" ({actors or 'onbekend'}).",
    }


def _location_description(record: dict) -> str:
    places = [
        f"{label} {record[field]}"
        for label, field in (("buurt", "buurtcode"), ("wijk", "wijkcode"), ("gemeente", "gemeentecode"))
        if record[field]
    ]
    return ", ".join(places)


def hsds_tables(records: pd.DataFrame, today: dt.date | None = None) -> dict[str, pd.DataFrame]:
    """The records as the HSDS 3 tables (table name -> frame with TABLES' columns).

    Text cells are strings ("" when empty), latitude/longitude floats. `today` decides
    which closed records are defunct and is the date of the metadata rows (the store
    keeps no change dates)."""
    today = today or dt.date.today()
    taxonomies, terms, term_ids = _taxonomy_rows()
    rows: dict[str, list[dict]] = {name: [] for name in TABLES}
    rows["taxonomy"], rows["taxonomy_term"] = taxonomies, terms

    for record in export_table(records).to_dict("records"):
        key = record["id"]
        sample = is_sample(record["bron"])
        ids = {kind: hsds_id(kind, key) for kind in ("organization", "service", "location", "service_at_location")}
        description = record["omschrijving"]
        if sample:
            description = f"{SAMPLE_NOTE} {description}".strip()
        rows["organization"].append(_organization(record, ids["organization"]))
        rows["service"].append(
            {
                "id": ids["service"],
                "organization_id": ids["organization"],
                "name": record["naam"],
                "description": description,
                "url": record["url"],
                "status": service_status(record["gesloten"], today),
                "fees_description": vocab.label("tarief", record["tarief"]) if record["tarief"] else "",
                "assured_date": record["laatst_gecontroleerd"],  # the day someone confirmed it still exists
            }
        )
        located = pd.notna(record["lon"]) and pd.notna(record["lat"])
        rows["location"].append(
            {
                "id": ids["location"],
                "location_type": "physical",
                "organization_id": ids["organization"],
                "name": record["naam"],
                "description": _location_description(record),
                "latitude": round(record["lat"], 6) if located else None,
                "longitude": round(record["lon"], 6) if located else None,
            }
        )
        rows["service_at_location"].append(
            {"id": ids["service_at_location"], "service_id": ids["service"], "location_id": ids["location"]}
        )
        for taxonomy, (field, entity, _) in TAXONOMIES.items():
            for code in split_list(record[field]):
                if (taxonomy, code) in term_ids:
                    rows["attribute"].append(
                        {
                            "id": hsds_id("attribute", f"{key}:{taxonomy}:{code}"),
                            "link_id": ids[entity],
                            "taxonomy_term_id": term_ids[(taxonomy, code)],
                            "link_type": taxonomy,
                            "link_entity": entity,
                        }
                    )
        if sample:
            rows["attribute"].append(
                {
                    "id": hsds_id("attribute", f"{key}:herkomst:{SAMPLE_TERM}"),
                    "link_id": ids["service"],
                    "taxonomy_term_id": term_ids[("herkomst", SAMPLE_TERM)],
                    "link_type": "herkomst",
                    "link_entity": "service",
                    "value": "fictief",
                }
            )
        provenance = [("bron", record["bron"]), ("wijkmap_id", key)]
        if record["opvolger_van"]:
            provenance.append(("opvolger_van", hsds_id("service", record["opvolger_van"])))
        for field_name, value in provenance:
            rows["metadata"].append(
                {
                    "id": hsds_id("metadata", f"{key}:{field_name}"),
                    "resource_id": ids["service"],
                    "resource_type": "service",
                    "last_action_date": today.isoformat(),
                    "last_action_type": "export",
                    "field_name": field_name,
                    "previous_value": "",
                    "replacement_value": value,
                    "updated_by": credit(record["bron"]),
                }
            )

    tables = {}
    for name, (_, columns) in TABLES.items():
        frame = pd.DataFrame(rows[name], columns=columns, dtype=object)
        text = [column for column in columns if column not in NUMERIC_COLUMNS]
        frame[text] = frame[text].fillna("").astype(str)
        numeric = [column for column in columns if column in NUMERIC_COLUMNS]
        frame[numeric] = frame[numeric].astype(float)
        tables[name] = frame
    return tables


def hsds_files(records: pd.DataFrame, today: dt.date | None = None) -> dict[str, bytes]:
    """The HSDS 3 tabular files (file name -> bytes).

    Plain CSV as data packages have it (comma, UTF-8 without BOM, header row), with the
    formula neutralising of every CSV export: a consumer may open it in a spreadsheet."""
    files = {}
    for name, table in hsds_tables(records, today).items():
        file_name, columns = TABLES[name]
        text = [column for column in columns if column not in NUMERIC_COLUMNS]
        files[file_name] = write_csv(table, text, float_format="%.6f", sep=",", bom=False)
    return files


def hsds_zip(records: pd.DataFrame, today: dt.date | None = None) -> bytes:
    """The HSDS 3 files in one zip, for a download button."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file_name, data in hsds_files(records, today).items():
            archive.writestr(file_name, data)
    return buffer.getvalue()
