"""Provisions from OpenStreetMap: `wijkmap import-osm` on an extract.

Reads an `.osm.pbf` extract (what Geofabrik and others offer per province), `.osm` XML
(also as .osm.bz2 or .osm.gz; both with pyosmium), or Overpass JSON (`out center;` gives ways a point). The tags of
each object go through MAPPING, one table, read top to bottom: the first row that
matches gives the soort; objects that match no row are skipped and counted.

Every record gets bron "OpenStreetMap" and the id `osm-node-N` / `osm-way-N`, so a newer
extract updates what an older one brought instead of duplicating it.

Change over time
----------------
An extract is a picture of one day (the PBF header's `osmosis_replication_timestamp`
or `timestamp`; the `timestamp` of XML's <osm> element or Overpass XML's <meta osm_base>;
Overpass JSON's `osm3s.timestamp_osm_base`; else the newest edit among its objects). A
record of an earlier import that lies in a gemeente the new extract *covers* and is
missing from it gets `gesloten` = that day. Covered are the gemeenten named with
`--gemeente`; without them, the gemeenten that lie wholly inside the extract's bounds
(PBF header box, XML <bounds>; unknown for Overpass JSON) and in which the extract holds
at least one provision. A province extract's box also reaches into the next province,
whose objects the extract leaves out, so as a safeguard a gemeente found this way where
more than half of the open records would close is not closed at all (a warning says so:
name it with --gemeente when that is really meant). A record that comes back is open
again. `start_date` gives `geopend`; `end_date`, and `disused:amenity=...` (or another
`disused:` key) mark an object closed. An extract older than the one last imported for a
gemeente is refused: it would reopen what has closed since.

The whole import is one store transaction: an error writes nothing.
"""

from __future__ import annotations

import bz2
import datetime as dt
import gzip
import io
import json
import logging
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import shapely

from wijkmap import config
from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.core.records import BIDI_CONTROLS, FIELDS, join_list, parse_date, parse_fields
from wijkmap.data import placement, store

log = logging.getLogger(__name__)

BRON = vocab.OSM_BRON
EXTRACTS_TABLE = "osm_extracten"  # per gemeente: the date of the last extract imported (a store side table)

REPAIR_CAFE_NAME = re.compile(r"repair[\s\-]*caf[eé]", re.IGNORECASE)
HUIS_VAN_DE_WIJK_NAME = re.compile(r"huis van de wijk|huiskamer|buurtkamer|kamer van de wijk", re.IGNORECASE)


@dataclass(frozen=True)
class Rule:
    """One row of MAPPING: every tag in `tags` has its value (or one of its values) and,
    when `name` is given, the object's name matches it."""

    soort: str
    tags: dict[str, str | frozenset[str]]
    name: re.Pattern | None = None


# OpenStreetMap tags -> soort; the first row that matches wins, so the specific rows come
# first (a repair café or food bank in a church hall is that, not the church). README
# "OpenStreetMap" shows the same table.
MAPPING: tuple[Rule, ...] = (
    Rule("repair_cafe", {"repair": "assisted_self_service"}),
    Rule("repair_cafe", {}, REPAIR_CAFE_NAME),
    Rule("voedselbank", {"social_facility": "food_bank"}),
    Rule("voedselbank", {"amenity": "food_bank"}),
    Rule("huis_van_de_wijk", {"amenity": "community_centre"}, HUIS_VAN_DE_WIJK_NAME),
    Rule("buurthuis", {"amenity": "community_centre"}),
    Rule("bibliotheek", {"amenity": "library"}),
    Rule("kerk", {"amenity": "place_of_worship", "religion": "christian"}),
    Rule("moskee", {"amenity": "place_of_worship", "religion": "muslim"}),
    Rule("religieuze_organisatie", {"amenity": "place_of_worship"}),
    Rule("kringloopwinkel", {"shop": frozenset({"second_hand", "charity"})}),
)
# The keys an object needs to be looked at at all (the rest of an extract, streets and
# buildings, is passed over without being counted); objects with one of the first four
# that match no rule are the "skipped" of the summary.
COUNTED_KEYS = ("amenity", "shop", "social_facility", "repair")
DISUSED_PREFIX = "disused:"
CANDIDATE_KEYS = (*COUNTED_KEYS, "name", *(DISUSED_PREFIX + key for key in COUNTED_KEYS))

# Every tag some row asks for: an object with none of them (nor a disused: key, nor a
# repair café's name) matches no row, and is passed over without reading all its tags.
_ROW_TAGS = frozenset(
    (key, value)
    for rule in MAPPING
    for key, wanted in rule.tags.items()
    for value in ([wanted] if isinstance(wanted, str) else sorted(wanted))
)

# operator:type -> actortype; a religion tag makes the actor a religious organisation.
OPERATOR_TYPES = {
    "government": "gemeente",
    "municipality": "gemeente",
    "community": "bewoners",
    "religious": "religieuze_organisatie",
    "charitable": "vrijwilligersorganisatie",
    "charity": "vrijwilligersorganisatie",
    "private": "commercieel",
    "commercial": "commercieel",
    "business": "commercieel",
}
WEBSITE_KEYS = ("website", "contact:website", "url")
_URL = re.compile(r"^https?://[^\s<>\"']+$", re.IGNORECASE)
_HIDDEN = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")
_YEAR_START = re.compile(r"^~?\s*(\d{4})")
SHOWN_NAMES = 5  # names per line of the summary
OTHER_OBJECTS = "andere objecten (geen soort in de tabel)"


class OsmError(ValueError):
    """The extract cannot be imported; the message (Dutch) names the file and what is wrong."""


@dataclass
class OsmObject:
    """A node or way of the extract that may be a provision, with one point."""

    kind: str  # "node" or "way"
    osm_id: int
    tags: dict[str, str]
    lon: float
    lat: float
    edited: str = ""  # YYYY-MM-DD of its last edit, when the extract says

    @property
    def record_id(self) -> str:
        return f"osm-{self.kind}-{self.osm_id}"


@dataclass
class Extract:
    """What was read from one file: the candidate objects, the day it shows, its bounds."""

    objects: list[OsmObject]
    date: str  # YYYY-MM-DD, "" when the file does not say
    bounds: tuple[float, float, float, float] | None  # west, south, east, north
    skipped: Counter = field(default_factory=Counter)  # reason -> count


@dataclass
class Summary:
    """What an import did, for the command's report."""

    file: str
    date: str
    records: pd.DataFrame  # the records read from the extract, placed
    covered: list[str]
    opened: list[str] = field(default_factory=list)  # names
    closed: list[str] = field(default_factory=list)
    reopened: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    unchanged: int = 0
    skipped: Counter = field(default_factory=Counter)
    warnings: list[str] = field(default_factory=list)


# --- mapping -------------------------------------------------------------------------


def _matches(rule: Rule, tags: dict[str, str]) -> bool:
    for key, wanted in rule.tags.items():
        value = tags.get(key, "")
        if value != wanted if isinstance(wanted, str) else value not in wanted:
            return False
    return rule.name is None or bool(rule.name.search(tags.get("name", "")))


def soort_of(tags: dict[str, str]) -> str | None:
    """The soort of an object by MAPPING, or None when no row matches."""
    return next((rule.soort for rule in MAPPING if _matches(rule, tags)), None)


def _disused_tags(tags: dict[str, str]) -> dict[str, str]:
    """The tags as they were in use: `disused:amenity=library` read as `amenity=library`
    (and the live amenity/shop tags dropped, since they no longer describe it)."""
    live = {key: value for key, value in tags.items() if key not in COUNTED_KEYS}
    for key, value in tags.items():
        if key.startswith(DISUSED_PREFIX):
            live[key[len(DISUSED_PREFIX) :]] = value
    return live


def classify(tags: dict[str, str]) -> tuple[str | None, bool]:
    """(soort, disused): the soort the tags give, and whether only `disused:` tags give it."""
    soort = soort_of(tags)
    if soort is not None:
        return soort, False
    if any(key.startswith(DISUSED_PREFIX) for key in tags):
        soort = soort_of(_disused_tags(tags))
        if soort is not None:
            return soort, True
    return None, False


def first_look(get) -> bool | None:
    """Whether an object may be a provision, from its tags' `get` (an osmium TagList or a
    dict), without reading them all: True (classify it), False (another object of the
    counted keys: skipped and counted), None (streets, buildings: not counted)."""
    counted = False
    for key in COUNTED_KEYS:
        value = get(key)
        if value is not None:
            counted = True
            if (key, value) in _ROW_TAGS:
                return True
    if any(get(DISUSED_PREFIX + key) is not None for key in COUNTED_KEYS):
        return True
    name = get("name")
    if name and REPAIR_CAFE_NAME.search(name):
        return True
    return False if counted else None


def _osm_date(text: str) -> str:
    """An OSM date tag (2019, 2019-03, 2019-03-01, ~1950, 1950..1960 ...) as ISO, or ''."""
    text = (text or "").strip()
    if not text:
        return ""
    try:
        return parse_date(text)
    except ValueError:
        match = _YEAR_START.match(text)
        if match:
            try:
                return parse_date(match.group(1))
            except ValueError:
                return ""
        return ""


def _clean(text: str, limit: int) -> str:
    """OSM text as a record keeps it: without control or bidi characters, at most `limit` long."""
    return _HIDDEN.sub("", text or "").strip()[:limit]


def _actortype(tags: dict[str, str]) -> str:
    actors = []
    operator = OPERATOR_TYPES.get(tags.get("operator:type", "").strip().casefold())
    if operator:
        actors.append(operator)
    if tags.get("religion"):
        actors.append("religieuze_organisatie")
    return join_list(dict.fromkeys(actors))


def _address(tags: dict[str, str]) -> str:
    street = " ".join(part for part in (tags.get("addr:street", ""), tags.get("addr:housenumber", "")) if part)
    place = tags.get("addr:city", "")
    return ", ".join(part for part in (street, place) if part)


def to_record(item: OsmObject, soort: str, disused: bool, extract_date: str) -> tuple[dict | None, str]:
    """The record of one object, or (None, why not)."""
    tags = item.tags
    limits = config.MAX_TEXT
    naam = _clean(tags.get("name", "") or tags.get("official_name", ""), limits["naam"])
    if not naam:
        naam = f"{vocab.label('soort', soort)} (zonder naam in OpenStreetMap)"
    notes = []
    address = _address(tags)
    if address:
        notes.append(f"Adres: {address}.")
    gesloten = _osm_date(tags.get("end_date", ""))
    if disused:
        notes.append("In OpenStreetMap gemarkeerd als niet meer in gebruik (disused).")
        # At the latest closed when it was marked so: its last edit, else the extract's day.
        gesloten = gesloten or item.edited or extract_date
    url = next((tags[key].strip() for key in WEBSITE_KEYS if _URL.match(tags.get(key, "").strip())), "")
    raw = {
        "id": item.record_id,
        "naam": naam,
        "soort": soort,
        "strategie": "onbekend",
        "actortype": _actortype(tags),
        "geopend": _osm_date(tags.get("start_date", "")),
        "gesloten": gesloten,
        "omschrijving": _clean(" ".join(notes), limits["omschrijving"]),
        "url": url if len(url) <= limits["url"] else "",
        "bron": BRON,
    }
    if raw["geopend"] and raw["gesloten"] and raw["gesloten"] < raw["geopend"]:
        raw["geopend"] = ""  # contradicting tags: the closing is what matters here
    fields, problems = parse_fields(raw)
    if problems:
        return None, f"{problems[0].field}: {problems[0].message}"
    # The descriptive fields are text, the position numbers.
    record: dict[str, str | float] = {
        **fields,
        "id": item.record_id,
        "lon": round(item.lon, 7),
        "lat": round(item.lat, 7),
        "werkgebied": "",
    }
    return record, ""


# --- reading -------------------------------------------------------------------------


def file_format(path: Path) -> str:
    """'pbf', 'xml' or 'json' by the file's name."""
    name = path.name.casefold()
    if name.endswith(".pbf"):
        return "pbf"
    if name.endswith((".osm", ".xml", ".osm.bz2", ".osm.gz")):
        return "xml"
    if name.endswith(".json"):
        return "json"
    raise OsmError(
        f"{path.name}: onbekend bestandstype; verwacht een OpenStreetMap-extract .osm.pbf, .osm (XML, ook als"
        " .osm.bz2 of .osm.gz) of Overpass-JSON (.json)"
    )


def _iso_day(text: str) -> str:
    """'2025-03-01T12:00:00Z' -> '2025-03-01'; '' when unreadable."""
    match = re.match(r"^\s*(\d{4}-\d{2}-\d{2})", text or "")
    if not match:
        return ""
    try:
        return dt.date.fromisoformat(match.group(1)).isoformat()
    except ValueError:
        return ""


def _check_size(path: Path, limit: int) -> None:
    if not path.is_file():
        raise OsmError(f"{path}: bestand niet gevonden")
    size = path.stat().st_size
    if size > limit:
        raise OsmError(
            f"{path.name}: {size / 1e6:.0f} MB is groter dan de grens van {limit / 1e6:.0f} MB voor dit "
            "soort bestand (README, Limieten); neem een kleiner extract"
        )


def _count(found: int, path: Path) -> None:
    if found > config.OSM_MAX_OBJECTS:
        raise OsmError(
            f"{path.name}: meer dan {config.OSM_MAX_OBJECTS} voorzieningen; dat is de grens (README, Limieten)."
            " Neem een kleiner extract, bijvoorbeeld één provincie"
        )


def _way_point(coordinates: list[tuple[float, float]]) -> tuple[float, float] | None:
    """One point for a way: the centroid of its area when closed, else of its line."""
    if not coordinates:
        return None
    if len(coordinates) == 1:
        return coordinates[0]
    shape = shapely.LineString(coordinates)
    if len(coordinates) >= 4 and coordinates[0] == coordinates[-1]:
        polygon = shapely.Polygon(coordinates)
        if polygon.is_valid and polygon.area > 0:
            shape = polygon
    point = shape.centroid
    return (point.x, point.y)


def read_osmium(path: Path) -> Extract:
    """An .osm.pbf or .osm XML file, in two passes: the candidate nodes and ways, then the
    positions of only the nodes those ways use (a province needs no node index in memory)."""
    import osmium

    objects: list[OsmObject] = []
    skipped: Counter = Counter()
    way_nodes: dict[int, list[int]] = {}
    pending: list[tuple[int, dict[str, str], str]] = []
    newest = ""
    try:
        processor = osmium.FileProcessor(str(path), osmium.osm.NODE | osmium.osm.WAY)
        header = processor.header
        date = _iso_day(header.get("osmosis_replication_timestamp") or header.get("timestamp") or "")
        box = header.box()
        bounds = (
            (box.bottom_left.lon, box.bottom_left.lat, box.top_right.lon, box.top_right.lat) if box.valid() else None
        )
        for item in processor.with_filter(osmium.filter.KeyFilter(*CANDIDATE_KEYS)):
            # The processor reads only nodes and ways (its entities above).
            if not isinstance(item, (osmium.osm.Node, osmium.osm.Way)):
                raise OsmError(f"{path.name}: onverwacht object {type(item).__name__} (alleen nodes en ways gevraagd)")
            edited = item.timestamp.date().isoformat() if item.timestamp.year > 1970 else ""
            newest = max(newest, edited)
            look = first_look(item.tags.get)
            tags = {tag.k: tag.v for tag in item.tags} if look else {}
            if not look or classify(tags)[0] is None:
                skipped[OTHER_OBJECTS] += look is not None
                continue
            if isinstance(item, osmium.osm.Node):
                if not item.location.valid():
                    skipped["zonder ligging"] += 1
                    continue
                objects.append(OsmObject("node", item.id, tags, item.location.lon, item.location.lat, edited))
            else:
                way_nodes[item.id] = [node.ref for node in item.nodes]
                pending.append((item.id, tags, edited))
            _count(len(objects) + len(pending), path)
        locations: dict[int, tuple[float, float]] = {}
        wanted = {ref for refs in way_nodes.values() for ref in refs}
        if wanted:
            nodes = osmium.FileProcessor(str(path), osmium.osm.NODE).with_filter(osmium.filter.IdFilter(wanted))
            for node in nodes:
                # This processor reads only nodes.
                if not isinstance(node, osmium.osm.Node):
                    raise OsmError(f"{path.name}: onverwacht object {type(node).__name__} (alleen nodes gevraagd)")
                if node.location.valid():
                    locations[node.id] = (node.location.lon, node.location.lat)
    except RuntimeError as error:
        raise OsmError(f"{path.name}: geen leesbaar OpenStreetMap-bestand ({error})") from error
    for way_id, tags, edited in pending:
        point = _way_point([locations[ref] for ref in way_nodes[way_id] if ref in locations])
        if point is None:
            skipped["zonder ligging"] += 1
            continue
        objects.append(OsmObject("way", way_id, tags, point[0], point[1], edited))
    if not date and path.suffix.casefold() != ".pbf":
        date = _xml_header_date(path)
    return Extract(objects, date or newest, bounds, skipped)


def _open_binary(path: Path) -> io.BufferedIOBase:
    """The file for reading bytes, unpacked when it is .bz2 or .gz."""
    suffix = path.suffix.casefold()
    if suffix == ".bz2":
        return bz2.open(path, "rb")
    if suffix == ".gz":
        return gzip.open(path, "rb")
    return open(path, "rb")


def _xml_header_date(path: Path) -> str:
    """The day of an .osm XML file: its <osm timestamp="..."> or Overpass's <meta osm_base="...">."""
    try:
        with _open_binary(path) as file:
            start = file.read(4096).decode("utf-8", "replace")
    except (OSError, EOFError):  # a broken archive: osmium has read what it could
        return ""
    for pattern in (r"<osm\b[^>]*\btimestamp=\"([^\"]+)\"", r"<meta\b[^>]*\bosm_base=\"([^\"]+)\""):
        match = re.search(pattern, start)
        if match:
            return _iso_day(match.group(1))
    return ""


def _number(value, path: Path, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise OsmError(f'{path.name}: {where}: veld "{name}" is geen getal ({str(value)[: config.MAX_SHOWN]!r})')
    return float(value)


def read_overpass(path: Path) -> Extract:
    """Overpass JSON (`[out:json]; ... out center;`): nodes with lat/lon, ways with their
    center (or, from `out geom`, their geometry). Relations are not read (counted)."""
    try:
        data = json.loads(path.read_bytes().decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise OsmError(f"{path.name}: geen UTF-8-tekst (byte {error.start})") from error
    except json.JSONDecodeError as error:
        raise OsmError(
            f"{path.name}: geen geldige JSON (regel {error.lineno}, kolom {error.colno}: {error.msg})"
        ) from error
    if not isinstance(data, dict) or not isinstance(data.get("elements"), list):
        raise OsmError(f'{path.name}: geen Overpass-JSON: het veld "elements" (een lijst) ontbreekt')
    osm3s = data.get("osm3s")
    if not isinstance(osm3s, dict):
        osm3s = {}
    date = _iso_day(str(osm3s.get("timestamp_osm_base", "")))
    objects: list[OsmObject] = []
    skipped: Counter = Counter()
    newest = ""
    for position, element in enumerate(data["elements"], start=1):
        where = f"element {position}"
        if not isinstance(element, dict):
            raise OsmError(f"{path.name}: {where} is geen object")
        kind = element.get("type")
        tags = element.get("tags") or {}
        if not isinstance(tags, dict):
            raise OsmError(f'{path.name}: {where}: veld "tags" is geen object')
        tags = {str(key): str(value) for key, value in tags.items()}
        edited = _iso_day(str(element.get("timestamp", "")))
        newest = max(newest, edited)
        look = first_look(tags.get)
        if not look or classify(tags)[0] is None:
            skipped[OTHER_OBJECTS] += look is not None
            continue
        if kind not in ("node", "way"):
            skipped["relatie (niet gelezen)" if kind == "relation" else f"type {kind}"] += 1
            continue
        identifier = element.get("id")
        if isinstance(identifier, bool) or not isinstance(identifier, int):
            raise OsmError(f'{path.name}: {where}: veld "id" is geen geheel getal ({str(identifier)[:40]!r})')
        where = f"{kind} {identifier}"
        point: tuple[float, float] | None
        if kind == "node":
            point = (_number(element.get("lon"), path, where, "lon"), _number(element.get("lat"), path, where, "lat"))
        elif isinstance(element.get("center"), dict):
            center = element["center"]
            point = (
                _number(center.get("lon"), path, where, "center.lon"),
                _number(center.get("lat"), path, where, "center.lat"),
            )
        elif isinstance(element.get("geometry"), list):
            point = _way_point([
                (_number(p.get("lon"), path, where, "geometry.lon"), _number(p.get("lat"), path, where, "geometry.lat"))
                for p in element["geometry"] if isinstance(p, dict)
            ])  # fmt: skip
        else:
            point = None
        if point is None:
            skipped["zonder ligging (gebruik out center)"] += 1
            continue
        objects.append(OsmObject(kind, identifier, tags, point[0], point[1], edited))
        _count(len(objects), path)
    return Extract(objects, date or newest, None, skipped)


def read_extract(path: Path) -> Extract:
    """The candidate objects of an extract in any of the three formats, within the limits."""
    path = Path(path)
    kind = file_format(path)
    limits = {"pbf": config.OSM_MAX_PBF_BYTES, "xml": config.OSM_MAX_XML_BYTES, "json": config.OSM_MAX_JSON_BYTES}
    _check_size(path, limits[kind])
    return read_overpass(path) if kind == "json" else read_osmium(path)


# --- importing -----------------------------------------------------------------------


def _records(extract: Extract, skipped: Counter, warnings: list[str]) -> pd.DataFrame:
    rows = []
    for item in extract.objects:
        soort, disused = classify(item.tags)
        if soort is None:  # read_extract keeps only objects a row of MAPPING matches
            raise OsmError(f"{item.record_id}: geen soort volgens MAPPING")
        record, why = to_record(item, soort, disused, extract.date)
        if record is None:
            skipped["ongeldige waarde"] += 1
            if len(warnings) < SHOWN_NAMES:
                warnings.append(f"{item.record_id} overgeslagen: {why}")
            continue
        rows.append(record)
    frame = pd.DataFrame(rows, columns=FIELDS)
    # An object twice in one file (an Overpass query of overlapping parts): once.
    return frame.drop_duplicates("id", keep="last").reset_index(drop=True)


def _gemeenten_within(buurten, bounds: tuple[float, float, float, float]) -> set[str]:
    west, south, east, north = bounds
    extents = buurten.bounds.groupby(buurten["gemeentecode"]).agg(
        {"minx": "min", "miny": "min", "maxx": "max", "maxy": "max"}
    )
    inside = (extents.minx >= west) & (extents.miny >= south) & (extents.maxx <= east) & (extents.maxy <= north)
    return set(extents.index[inside])


def _stored(connection: store.Connection, bron: str) -> pd.DataFrame:
    frame = store.read_frame(
        connection, f"SELECT {', '.join(FIELDS)} FROM {store.RECORDS} WHERE bron = ? ORDER BY id", [bron]
    )
    text = [name for name in FIELDS if name not in ("lon", "lat")]
    frame[text] = frame[text].fillna("")
    return frame


def _ensure_extracts_table(connection: store.Connection) -> None:
    connection.execute(
        f"CREATE TABLE IF NOT EXISTS {EXTRACTS_TABLE} (gemeentecode TEXT PRIMARY KEY, datum TEXT NOT NULL,"
        " bestand TEXT NOT NULL, geimporteerd TEXT NOT NULL)"
    )


def last_extracts(connection: store.Connection) -> dict[str, tuple[str, str]]:
    """gemeentecode -> (datum, bestand) of the last extract imported for it."""
    _ensure_extracts_table(connection)
    rows = connection.execute(f"SELECT gemeentecode, datum, bestand FROM {EXTRACTS_TABLE}").fetchall()
    return {code: (datum, bestand) for code, datum, bestand in rows}


def import_osm(path: Path, gemeenten: list[str] | None = None, store_file: Path | None = None) -> Summary:
    """Read an extract, place its provisions, and write them into the store in one
    transaction, closing what vanished from the gemeenten it covers (module docstring).

    Raises OsmError (nothing written) for a file that cannot be read or is refused."""
    path = Path(path)
    wanted = []
    for given in gemeenten or []:
        code = indeling.typed_gemeentecode(given, zeros_lost=True)
        if code is None:
            raise OsmError(
                f"--gemeente {given[: config.MAX_SHOWN]}: geen gemeentecode; verwacht GM en 4 cijfers, zoals GM0150"
            )
        wanted.append(code)
    extract = read_extract(path)
    log.info("%s gelezen: %d mogelijke voorzieningen, dag %s", path.name, len(extract.objects), extract.date or "?")
    skipped = Counter(extract.skipped)
    warnings: list[str] = []
    buurten = placement.buurten(store_file)
    known = set(buurten["gemeentecode"])
    unknown = [code for code in wanted if code not in known]
    if unknown:
        raise OsmError(f"--gemeente {', '.join(unknown)}: deze gemeente staat niet in het gegevensbestand")
    records = _records(extract, skipped, warnings)
    if not records.empty:
        records = placement.place(records, buurten)
    outside = records["gemeentecode"] == "" if not records.empty else pd.Series(dtype=bool)
    skipped["buiten elke buurt"] += int(outside.sum())
    records = records.loc[~outside] if not records.empty else records
    if wanted:
        elsewhere = ~records["gemeentecode"].isin(wanted)
        skipped["buiten de gekozen gemeenten"] += int(elsewhere.sum())
        records = records.loc[~elsewhere]
        covered = set(wanted)
    else:
        covered = set(records["gemeentecode"])
        if extract.bounds is not None:
            covered &= _gemeenten_within(buurten, extract.bounds)
    records = records.reset_index(drop=True)
    log.info("%d records geplaatst; gedekte gemeenten: %s", len(records), ", ".join(sorted(covered)) or "geen")
    summary = Summary(path.name, extract.date, records, sorted(covered), skipped=+skipped, warnings=warnings)
    if not extract.date:
        warnings.append(f"{path.name} zegt niet van welke dag het is: er is niets als gesloten gemarkeerd")
    with store.transaction(store_file) as connection:
        _write(connection, records, summary, extract.date, inferred=not wanted)
    return summary


def _write(connection: store.Connection, records: pd.DataFrame, summary: Summary, date: str, inferred: bool) -> None:
    """The upsert of one import, with its closures and the summary's lists; raises
    OsmError (and the transaction rolls back) when the extract is refused."""
    others = dict(
        connection.execute(f"SELECT id, bron FROM {store.RECORDS} WHERE COALESCE(bron, '') != ?", [BRON]).fetchall()
    )
    foreign = next((identifier for identifier in records["id"] if identifier in others), None)
    if foreign is not None:
        raise OsmError(f'{summary.file}: id {foreign} is al in gebruik door een record van bron "{others[foreign]}"')
    last = last_extracts(connection)
    if date:
        newer = sorted((code, *last[code]) for code in summary.covered if code in last and last[code][0] > date)
        if newer:
            code, day, name = newer[0]
            raise OsmError(
                f"{summary.file} is van {date}, ouder dan het extract {name} van {day} dat al is geïmporteerd"
                f" voor {code}{f' (en {len(newer) - 1} andere gemeenten)' if len(newer) > 1 else ''};"
                " een ouder extract zou heropenen wat sindsdien gesloten is. Er is niets geïmporteerd."
            )
        # Objects in gemeenten a newer extract brought (this one only reaches into them) stay as that one left them.
        newer_elsewhere = {code for code, (day, _) in last.items() if day > date}
        stale = records["gemeentecode"].isin(newer_elsewhere)
        if stale.any():
            summary.skipped["in gemeenten van een nieuwer extract"] += int(stale.sum())
            records = records.loc[~stale].reset_index(drop=True)
            summary.records = records
    new_ids = list(records["id"])
    stored = _stored(connection, BRON).set_index("id", drop=False)
    records = records.copy()
    before = stored.reindex(records["id"]).reset_index(drop=True)  # aligned with records; NaN where new
    known = before["id"].notna()
    was_closed = before["gesloten"].fillna("")
    # Marked disused again: it closed when first seen so, not on this extract's day.
    earlier = known & (records["gesloten"] != "") & (was_closed != "") & (was_closed < records["gesloten"])
    records.loc[earlier, "gesloten"] = was_closed[earlier]
    # A confirmation a beheerder made in wijkmap is not the extract's to undo.
    records["laatst_gecontroleerd"] = before["laatst_gecontroleerd"].where(known, "").fillna("")
    text = [name for name in FIELDS if name not in ("lon", "lat")]
    same = (records[text].to_numpy() == before[text].fillna("").to_numpy()).all(axis=1)
    for name in ("lon", "lat"):
        same &= (records[name].astype(float) - before[name].astype(float)).abs().fillna(1).to_numpy() <= 1e-7
    closes, opens = records["gesloten"] != "", was_closed == ""
    names = records["naam"]
    summary.opened.extend(names[~known & ~closes])
    summary.closed.extend(names[(~known & closes) | (known & ~same & closes & opens)])
    summary.reopened.extend(names[known & ~same & ~closes & ~opens])
    summary.changed.extend(names[known & ~same & (closes == ~opens)])
    summary.unchanged = int((known & same).sum())
    vanished = stored.loc[
        stored["gemeentecode"].isin(summary.covered) & (stored["gesloten"] == "") & ~stored["id"].isin(set(new_ids))
    ].copy()
    if date and not vanished.empty:
        if inferred:
            vanished = _without_mass_closures(vanished, stored, summary)
        vanished["gesloten"] = date
        note = f"Niet meer in het OpenStreetMap-extract van {date}: waarschijnlijk gesloten."
        vanished["omschrijving"] = [" ".join(filter(None, [text, note])) for text in vanished["omschrijving"]]
        summary.closed.extend(vanished["naam"])
        records = pd.concat([records, vanished.reset_index(drop=True)], ignore_index=True)
    if not records.empty:
        store.upsert_records(records, connection=connection)
    if date:
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        connection.executemany(
            f"INSERT INTO {EXTRACTS_TABLE} (gemeentecode, datum, bestand, geimporteerd) VALUES (?, ?, ?, ?)"
            " ON CONFLICT(gemeentecode) DO UPDATE SET datum = excluded.datum, bestand = excluded.bestand,"
            " geimporteerd = excluded.geimporteerd",
            [(code, date, summary.file, now) for code in summary.covered],
        )


def _without_mass_closures(vanished: pd.DataFrame, stored: pd.DataFrame, summary: Summary) -> pd.DataFrame:
    """Leave out the gemeenten, found from the extract's bounds, where more than half of
    the open records would close: most likely the extract only reaches into them."""
    open_per_gemeente = stored.loc[stored["gesloten"] == ""].groupby("gemeentecode").size()
    closing = vanished.groupby("gemeentecode").size()
    # Codes are text (the store's gemeentecode); str() gives the type pandas' Hashable labels lack.
    spared = sorted(str(code) for code, count in closing.items() if count * 2 > open_per_gemeente.get(code, 0))
    for code in spared:
        summary.warnings.append(
            f"{code}: {closing[code]} van de {open_per_gemeente[code]} open OpenStreetMap-records ontbreken in"
            f" {summary.file}; ze zijn niet gesloten, want het extract dekt deze gemeente waarschijnlijk niet"
            f" helemaal. Bedoelt u het wel, importeer dan met --gemeente {code}."
        )
    summary.covered = [code for code in summary.covered if code not in spared]
    return vanished.loc[~vanished["gemeentecode"].isin(spared)]


def _names(names: list[str]) -> str:
    shown = ", ".join(sorted(names)[:SHOWN_NAMES])
    more = len(names) - SHOWN_NAMES
    return f": {shown}{f' en {more} andere' if more > 0 else ''}" if names else ""


def report(summary: Summary, seconds: float | None = None) -> list[str]:
    """The lines the command prints after an import (Dutch)."""
    took = f" in {seconds:.1f} s" if seconds is not None else ""
    day = f"extract van {summary.date}" if summary.date else "extract zonder datum"
    lines = [f"Geïmporteerd uit {summary.file} ({day}){took}: {len(summary.records)} voorzieningen."]
    lines.append(f"  nieuw: {len(summary.opened)}{_names(summary.opened)}")
    lines.append(f"  gesloten: {len(summary.closed)}{_names(summary.closed)}")
    if summary.reopened:
        lines.append(f"  weer open: {len(summary.reopened)}{_names(summary.reopened)}")
    lines.append(f"  gewijzigd: {len(summary.changed)}{_names(summary.changed)}")
    lines.append(f"  ongewijzigd: {summary.unchanged}")
    if summary.skipped:
        lines.append(f"Overgeslagen: {sum(summary.skipped.values())}")
        lines.extend(f"  {reason}: {count}" for reason, count in sorted(summary.skipped.items()))
    covered = ", ".join(summary.covered) if summary.covered else "geen"
    lines.append(f"Gedekte gemeenten (wat daar ontbreekt, is gesloten): {covered}")
    if not summary.records.empty:
        lines.append("Per soort:")
        for code, count in summary.records["soort"].value_counts().sort_index().items():
            lines.append(f"  {vocab.label('soort', str(code))}: {count}")  # soort codes are text
    lines.append(f"Bron: {vocab.OSM_CREDIT}")
    return lines
