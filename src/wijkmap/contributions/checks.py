"""What a person sends in: an example (the record fields, a place) and how to reach them,
checked with the same rules as an import (records.parse_fields) plus what a form needs: a
story, a buurt, a way to reach them, consent. Every problem names its field, in the
interface language; bots and floods from one session are held off here."""

from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import shapely

from wijkmap.config import (
    LOCATE_TOLERANCE_M,
    NL_LAT,
    NL_LON,
    RATE_MAX,
    RATE_MIN_GAP_S,
    RATE_WINDOW_S,
    STORY_MAX,
    STORY_MIN,
)
from wijkmap.core import analysis
from wijkmap.core.i18n import DEFAULT_LANGUAGE, t
from wijkmap.core.records import BIDI_CONTROLS, MAX_TEXT, Problem, join_list, parse_fields
from wijkmap.data import placement

# What a person describes; these become the record's fields on approval.
EXAMPLE_FIELDS = (
    "naam", "omschrijving", "soort", "strategie", "actortype", "doelgroep",
    "tarief", "tijdelijk", "geopend", "gesloten", "url",
)  # fmt: skip
LOCATION_FIELDS = ("buurtcode", "wijkcode", "gemeentecode", "lon", "lat", "locatie")
# Lengths: the record rules (records.MAX_TEXT) and, tighter, what a form asks for.
LIMITS = {
    **MAX_TEXT,
    "omschrijving": STORY_MAX,
    "contact_naam": 100,
    "contact_email": 254,
    "geopend": 20,
    "gesloten": 20,
    "lat": 30,
    "lon": 30,
    "moderator": 100,
    "reden": 500,
}


_BUURTCODE = re.compile(r"^BU(\d{4})\d{4}$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"']+@[^@\s<>()\[\],;:\"']+\.[^@\s<>()\[\],;:\"']{2,}$")


# --- the parts of a submission ----------------------------------------------------------


@dataclass(frozen=True)
class Location:
    """Where an example is: a point, and the buurt, wijk and gemeente it lies in."""

    lon: float
    lat: float
    buurtcode: str
    wijkcode: str
    gemeentecode: str
    locatie: str  # how it was given: "buurt" (chosen from a list) or "coordinaten"


@dataclass(frozen=True)
class Example:
    """The public part: the record fields (normalised codes and text) and the place."""

    fields: dict[str, str]
    location: Location


@dataclass(frozen=True)
class Submission:
    """An example plus the private part: how the moderators can reach the sender."""

    example: Example
    contact_naam: str
    contact_email: str
    taal: str = DEFAULT_LANGUAGE


class StorePlaces:
    """Places a buurtcode or a coordinate in the buurten records are placed in (data/placement)."""

    def __init__(self, path: Path | None = None):
        self.path = path

    def buurt(self, code: str) -> Location | None:
        match = _BUURTCODE.match(code)
        if not match:
            return None
        buurten = placement.buurten_of(f"GM{match.group(1)}", self.path)
        row = buurten[buurten["code"] == code]
        if row.empty:
            return None
        point = analysis.anchor_point(buurten, code)
        first = row.iloc[0]
        return Location(round(point.x, 6), round(point.y, 6), code, first["wijkcode"], first["gemeentecode"], "buurt")

    def point(self, lon: float, lat: float) -> Location | None:
        margin = 0.01  # about 700 m by 1100 m: more than the placing tolerance
        buurten = placement.buurten_in((lon - margin, lat - margin, lon + margin, lat + margin), self.path)
        if buurten.empty:
            return None
        points = gpd.GeoSeries([shapely.Point(lon, lat)], crs=buurten.crs)
        located = analysis.locate(points, buurten, tolerance_m=LOCATE_TOLERANCE_M).iloc[0]
        if located["buurtcode"] is None:
            return None
        return Location(
            round(lon, 6),
            round(lat, 6),
            located["buurtcode"],
            located["wijkcode"],
            located["gemeentecode"],
            "coordinaten",
        )


# --- checking what a person typed --------------------------------------------------------


def clean_text(value) -> str:
    """Form input as plain text: lists as a list field (join_list), line ends as \\n, control
    characters (other than newline and tab) and bidi overrides and isolates dropped (what
    records.parse_fields refuses in an import), outer whitespace stripped."""
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return join_list(clean_text(item) for item in value if clean_text(item))
    text = str(value).replace("\r\n", "\n").replace("\r", "\n")
    text = re.sub(f"[{BIDI_CONTROLS}]", "", text)
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return text.strip()


def _problem(field: str, value: str, key: str, lang: str, **values) -> Problem:
    return Problem(field, value, t(key, lang).format(**values))


def _translate(problem: Problem, lang: str) -> Problem:
    """A records.parse_fields problem (written for import files) as a form message."""
    message = problem.message
    if message.endswith("ontbreekt"):
        key = f"err_missing_{problem.field}"
    elif message.startswith("langer dan"):
        return _problem(problem.field, problem.value, "err_too_long", lang, limit=LIMITS[problem.field])
    elif message.startswith("geen geldige datum"):
        key = "err_date"
    elif message.startswith("gesloten ligt"):
        key = "err_closed_before_opened"
    elif message.startswith("geen webadres"):
        key = "err_url"
    else:  # an unknown code or flag: the form only offers known ones
        key = "err_choice"
    return _problem(problem.field, problem.value, key, lang)


def _number(text: str) -> float:
    value = float(text.replace(" ", "").replace(",", "."))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


def _location(raw: Mapping, places, lang: str) -> tuple[Location | None, list[Problem]]:
    """A buurt chosen from the list wins; otherwise latitude and longitude."""
    code = clean_text(raw.get("buurtcode")).upper()
    lat_text, lon_text = clean_text(raw.get("lat")), clean_text(raw.get("lon"))
    if code:
        location = places.buurt(code)
        return (location, []) if location else (None, [_problem("locatie", code, "err_buurt_unknown", lang)])
    if not lat_text and not lon_text:
        return None, [_problem("locatie", "", "err_location_missing", lang)]
    problems, numbers = [], {}
    for field, text in (("lat", lat_text), ("lon", lon_text)):
        if not text:
            problems.append(_problem(field, "", f"err_missing_{field}", lang))
            continue
        try:
            numbers[field] = _number(text[: LIMITS[field]])
        except ValueError:
            problems.append(_problem(field, text, "err_number", lang))
    if problems:
        return None, problems
    lat, lon = numbers["lat"], numbers["lon"]
    if NL_LAT[0] <= lon <= NL_LAT[1] and NL_LON[0] <= lat <= NL_LON[1]:
        return None, [_problem("lat", lat_text, "err_swapped", lang)]
    location = places.point(lon, lat) if -90 <= lat <= 90 and -180 <= lon <= 180 else None
    if location is None:
        return None, [_problem("lat", lat_text, "err_outside", lang)]
    return location, []


def check_example(raw: Mapping, places, lang: str = DEFAULT_LANGUAGE) -> tuple[Example | None, list[Problem]]:
    """Check the public part of a form: the record fields, the story and the place.

    `raw` holds what the widgets gave (text, lists of codes, None); `places` has
    .buurt(code) and .point(lon, lat) (StorePlaces). Returns the example, or None and
    at most one problem per field, in `lang`."""
    text = {name: clean_text(raw.get(name)) for name in EXAMPLE_FIELDS}
    record, found = parse_fields(text)  # the same rules as an import
    problems = [_translate(problem, lang) for problem in found]
    story = text["omschrijving"]
    if not story:
        problems.append(_problem("omschrijving", "", "err_missing_omschrijving", lang))
    elif len(story) < STORY_MIN:
        problems.append(_problem("omschrijving", story, "err_story_short", lang, minimum=STORY_MIN))
    elif len(story) > STORY_MAX:
        problems.append(_problem("omschrijving", story[:40], "err_too_long", lang, limit=STORY_MAX))
    location, where = _location(raw, places, lang)
    problems = _one_per_field(problems + where)
    if problems:
        return None, problems
    return Example({name: record[name] for name in EXAMPLE_FIELDS}, location), []


def check_submission(raw: Mapping, places, lang: str = DEFAULT_LANGUAGE) -> tuple[Submission | None, list[Problem]]:
    """Check a whole form: the example, the contact details and the consent."""
    example, problems = check_example(raw, places, lang)
    name, email = clean_text(raw.get("contact_naam")), clean_text(raw.get("contact_email"))
    if len(name) > LIMITS["contact_naam"]:
        problems.append(_problem("contact_naam", name[:40], "err_too_long", lang, limit=LIMITS["contact_naam"]))
    if not email:
        problems.append(_problem("contact_email", "", "err_missing_contact_email", lang))
    elif len(email) > LIMITS["contact_email"] or not _EMAIL.match(email):
        problems.append(_problem("contact_email", email[:40], "err_email", lang))
    if raw.get("toestemming") is not True:
        problems.append(_problem("toestemming", "", "err_consent", lang))
    if problems:
        return None, _one_per_field(problems)
    return Submission(example, name, email, lang if lang in ("nl", "en") else DEFAULT_LANGUAGE), []


def _one_per_field(problems: list[Problem]) -> list[Problem]:
    seen: set[str] = set()
    kept = []
    for problem in problems:
        if problem.field not in seen:
            seen.add(problem.field)
            kept.append(problem)
    return kept


HONEYPOT = "adres_2"  # a field people never see; a bot that fills it in is ignored


def is_bot(raw: Mapping) -> bool:
    return bool(clean_text(raw.get(HONEYPOT)))


def wait_before_next(history: Sequence[float], now: float, limit: int | None = None, gap: float | None = None) -> float:
    """Seconds this session must wait before it may send again (0: it may now).

    At most `limit` (RATE_MAX) submissions per RATE_WINDOW_S, and `gap`
    (RATE_MIN_GAP_S) seconds between two."""
    limit = RATE_MAX if limit is None else limit
    gap = RATE_MIN_GAP_S if gap is None else gap
    recent = sorted(moment for moment in history if now - moment < RATE_WINDOW_S)
    waits = [0.0]
    if recent:
        waits.append(gap - (now - recent[-1]))
    if len(recent) >= limit:
        waits.append(RATE_WINDOW_S - (now - recent[-limit]))
    return max(waits)
