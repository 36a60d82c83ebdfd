"""Contributions: examples that practitioners send in, a moderated queue, and publication.

The path of one example:

1. A person fills in the form (app_pages/bijdragen.py). `check_submission` turns what
   they typed into a `Submission` with the same rules as imports (records.parse_fields)
   plus what a form needs: a story, a place in a buurt, a way to reach them, consent.
   Every problem names its field, in the interface language.
2. `submit` puts it in the queue table `bijdrage_wachtrij` of the store. Nothing in the
   queue is public: the map, the Voorbeelden page and every export read only records.
3. A moderator (only when WIJKMAP_MODERATOR_SECRET is set) edits, approves or rejects
   with a reason; every action goes into `moderatie_log` with time and moderator name.
   Approval writes the example as a record with bron "bijdrage" into the `voorzieningen`
   layer, in the same transaction as the status change and the log line.

Contact name and e-mail are stored in the queue table only: `to_record` builds a record
from the example's own fields and nothing else. Writes are short transactions through
`store.transaction` (WAL mode, busy timeout), so many people sending at once lose nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import ipaddress
import math
import os
import re
import secrets
import sqlite3
import threading
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, fields as dataclass_fields
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from wijkmap.config import (
    CLIENT_IPV6_PREFIX,
    CLIENT_MAX_PENDING,
    CLIENT_RATE_MAX,
    CLIENT_SALT_ENV,
    LOCATE_TOLERANCE_M,
    LOGIN_MAX_FAILURES,
    LOGIN_MAX_FAILURES_CLIENT,
    LOGIN_WINDOW_S,
    MAX_PENDING,
    MODERATOR_SECRET_ENV as SECRET_ENV,
    MODERATOR_SECRET_KEY,
    MODERATOR_SECRET_TABLE,
    PLACEMENT_LAYER,
    RATE_MAX,
    RATE_MIN_GAP_S,
    RATE_WINDOW_S,
    STORY_MAX,
    STORY_MIN,
    TRUSTED_HEADER_ENV,
    TRUSTED_PROXIES_ENV,
)
from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.i18n import DEFAULT_LANGUAGE, t
from wijkmap.core.records import FIELDS, MAX_TEXT, Problem, join_list, parse_fields, split_list
from wijkmap.data import store

QUEUE = "bijdrage_wachtrij"
LOG = "moderatie_log"
BRON = vocab.CONTRIBUTION_BRON

PENDING, APPROVED, REJECTED = "wachtend", "goedgekeurd", "afgewezen"
STATUSES = (PENDING, APPROVED, REJECTED)
# Log actions.
EDITED = "bewerkt"

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
LOCAL = "lokaal"  # a connection from this machine (Streamlit gives no address for it)

_BUURTCODE = re.compile(r"^BU(\d{4})\d{4}$")
_EMAIL = re.compile(r"^[^@\s<>()\[\],;:\"']+@[^@\s<>()\[\],;:\"']+\.[^@\s<>()\[\],;:\"']{2,}$")
_NL_LAT, _NL_LON = (50.5, 53.8), (3.0, 7.4)


class ModerationError(ValueError):
    """A moderation action that cannot be done (unknown id, no reason, no name)."""


class QueueFull(RuntimeError):
    """MAX_PENDING submissions wait for moderation: new ones are refused (args[0]: how many)."""


class TooManyFromClient(RuntimeError):
    """This client address may not send now: `wait_s` seconds after CLIENT_RATE_MAX
    submissions within the hour, or None while CLIENT_MAX_PENDING of its submissions wait."""

    def __init__(self, wait_s: float | None, count: int):
        super().__init__(wait_s, count)
        self.wait_s, self.count = wait_s, count


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
    """Places a buurtcode or a coordinate in the store's buurt layer."""

    def __init__(self, path: Path | None = None):
        self.path = path

    def buurt(self, code: str) -> Location | None:
        match = _BUURTCODE.match(code)
        if not match:
            return None
        buurten = store.read_areas(PLACEMENT_LAYER, gemeentecode=f"GM{match.group(1)}", path=self.path)
        row = buurten[buurten["code"] == code]
        if row.empty:
            return None
        point = analysis.anchor_point(buurten, code)
        first = row.iloc[0]
        return Location(round(point.x, 6), round(point.y, 6), code, first["wijkcode"], first["gemeentecode"], "buurt")

    def point(self, lon: float, lat: float) -> Location | None:
        margin = 0.01  # about 700 m by 1100 m: more than the placing tolerance
        buurten = store.read_areas_in(PLACEMENT_LAYER, (lon - margin, lat - margin, lon + margin, lat + margin), self.path)
        if buurten.empty:
            return None
        points = gpd.GeoSeries([shapely.Point(lon, lat)], crs=store.CRS)
        located = analysis.locate(points, buurten, tolerance_m=LOCATE_TOLERANCE_M).iloc[0]
        if located["buurtcode"] is None:
            return None
        return Location(
            round(lon, 6), round(lat, 6), located["buurtcode"], located["wijkcode"], located["gemeentecode"],
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
    text = "".join(
        ch for ch in text
        if ch in "\n\t" or (unicodedata.category(ch) != "Cc" and not ("\u202a" <= ch <= "\u202e" or "\u2066" <= ch <= "\u2069"))
    )  # fmt: skip
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
    if _NL_LAT[0] <= lon <= _NL_LAT[1] and _NL_LON[0] <= lat <= _NL_LON[1]:
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


# --- who is sending: the client address ------------------------------------------------


def _trusted_proxies(environ: Mapping[str, str]) -> list:
    networks = []
    for entry in environ.get(TRUSTED_PROXIES_ENV, "").replace(";", ",").split(","):
        if entry.strip():
            try:
                networks.append(ipaddress.ip_network(entry.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"{TRUSTED_PROXIES_ENV}: {entry.strip()!r} is geen IP-adres of netwerk (bijvoorbeeld 10.0.0.0/8)"
                ) from None
    return networks


def _address(text: str):
    """An IP address from a header hop or a peer ("1.2.3.4", "1.2.3.4:80", "[::1]:80"), or None."""
    text = text.strip().strip('"')
    if text.startswith("["):
        text = text[1:].split("]", 1)[0]
    elif text.count(":") == 1:  # IPv4 with a port; a bare IPv6 address has several colons
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:  # ::ffff:1.2.3.4 is the IPv4 client 1.2.3.4
        return address.ipv4_mapped
    return address


def _counted(text: str) -> str:
    """What a client is counted by: its IPv4 address, or the network of an IPv6 address
    that one home or office is given (config.CLIENT_IPV6_PREFIX: it picks addresses
    from all of it)."""
    address = _address(text)
    if address is None:  # not an address ("unknown", an obfuscated proxy id): count by the text
        return text.strip().lower()[:100] or LOCAL
    if address.version == 6:
        return str(ipaddress.ip_network(f"{address}/{CLIENT_IPV6_PREFIX}", strict=False))
    return str(address)


def client_address(
    peer: str | None,
    headers: Callable[[str], Sequence[str]] = lambda name: [],
    environ: Mapping[str, str] | None = None,
) -> str:
    """The address a visitor connects from, to count submissions and wrong secrets by.

    `peer` is the address of the connection (st.context.ip_address: None for this
    machine); `headers(name)` gives every value of a request header. Without
    WIJKMAP_TRUSTED_PROXY_HEADER it is the peer. With it (a reverse proxy in front,
    e.g. X-Forwarded-For), and only when the peer is a trusted proxy (this machine, or
    in WIJKMAP_TRUSTED_PROXIES), it is the right-most hop of that header that is not a
    trusted proxy: hops further left were written by the client and can be forged."""
    environ = os.environ if environ is None else environ
    header = environ.get(TRUSTED_HEADER_ENV, "").strip()
    peer_address = _address(peer) if peer else None
    if peer and peer_address is None:
        return _counted(peer)
    proxies = _trusted_proxies(environ) if header else []

    def trusted(address) -> bool:
        return address is None or address.is_loopback or any(address in network for network in proxies)

    if not header or not trusted(peer_address):
        return _counted(peer) if peer else LOCAL
    hops = [hop.strip() for value in headers(header) for hop in str(value).split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None or not trusted(address):
            return _counted(hop)
    if hops:  # every hop is a trusted proxy: the left-most is where the request began
        return _counted(hops[0])
    return _counted(peer) if peer else LOCAL


_PROCESS_SALT = secrets.token_bytes(32)


def client_key(address: str, environ: Mapping[str, str] | None = None) -> str:
    """A client address as stored and counted: an HMAC-SHA256 with a server-side key
    (WIJKMAP_CLIENT_SALT, else random per process), never the address itself."""
    salt = (os.environ if environ is None else environ).get(CLIENT_SALT_ENV, "").encode("utf-8") or _PROCESS_SALT
    return hmac.new(salt, address.encode("utf-8"), hashlib.sha256).hexdigest()


# --- the queue ------------------------------------------------------------------------

_QUEUE_SQL = f"""
CREATE TABLE IF NOT EXISTS {QUEUE} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    ingediend TEXT NOT NULL,
    status TEXT NOT NULL DEFAULT '{PENDING}' CHECK (status IN ('{PENDING}', '{APPROVED}', '{REJECTED}')),
    {", ".join(f"{name} TEXT NOT NULL DEFAULT ''" for name in EXAMPLE_FIELDS)},
    buurtcode TEXT NOT NULL, wijkcode TEXT NOT NULL, gemeentecode TEXT NOT NULL,
    lon REAL NOT NULL, lat REAL NOT NULL, locatie TEXT NOT NULL,
    contact_naam TEXT NOT NULL DEFAULT '', contact_email TEXT NOT NULL DEFAULT '',
    taal TEXT NOT NULL DEFAULT '{DEFAULT_LANGUAGE}',
    record_id TEXT NOT NULL DEFAULT '', reden TEXT NOT NULL DEFAULT '', bijgewerkt TEXT NOT NULL DEFAULT '',
    afzender TEXT NOT NULL DEFAULT ''
)"""
_LOG_SQL = f"""
CREATE TABLE IF NOT EXISTS {LOG} (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tijd TEXT NOT NULL,
    moderator TEXT NOT NULL,
    actie TEXT NOT NULL,
    bijdrage_id INTEGER NOT NULL,
    toelichting TEXT NOT NULL DEFAULT ''
)"""
PUBLIC_COLUMNS = ["id", "ingediend", "status", *EXAMPLE_FIELDS, *LOCATION_FIELDS, "record_id", "reden", "bijgewerkt"]
CONTACT_COLUMNS = ["contact_naam", "contact_email", "taal"]
# `afzender`: the client_key of the sender, for the per-address limits only; in no
# column list above, so it is never read out, shown or exported.
SENDER = "afzender"


def _ensure_tables(connection: sqlite3.Connection) -> None:
    connection.execute(_QUEUE_SQL)
    columns = {row[1] for row in connection.execute(f"PRAGMA table_info({QUEUE})")}
    if SENDER not in columns:  # a queue from before the per-address limits
        connection.execute(f"ALTER TABLE {QUEUE} ADD COLUMN {SENDER} TEXT NOT NULL DEFAULT ''")
    connection.execute(f"CREATE INDEX IF NOT EXISTS idx_{QUEUE}_status ON {QUEUE} (status)")
    connection.execute(f"CREATE INDEX IF NOT EXISTS idx_{QUEUE}_{SENDER} ON {QUEUE} ({SENDER}, status)")
    connection.execute(_LOG_SQL)


def _now(now: dt.datetime | None) -> str:
    return (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")


def _example_values(example: Example) -> dict:
    location = {item.name: getattr(example.location, item.name) for item in dataclass_fields(Location)}
    return {**{name: example.fields.get(name, "") for name in EXAMPLE_FIELDS}, **location}


def _check_sender(connection: sqlite3.Connection, sender: str, now: dt.datetime) -> None:
    """Refuse (TooManyFromClient) when this sender has too much waiting or sent too
    much this hour. Forgets the sender of what no limit needs any more (moderated, and
    older than the window), so a hashed address is kept no longer than it is used."""
    since = _now(now - dt.timedelta(seconds=RATE_WINDOW_S))
    connection.execute(
        f"UPDATE {QUEUE} SET {SENDER} = '' WHERE {SENDER} != '' AND status != ? AND ingediend < ?", (PENDING, since)
    )
    pending = connection.execute(
        f"SELECT COUNT(*) FROM {QUEUE} WHERE {SENDER} = ? AND status = ?", (sender, PENDING)
    ).fetchone()[0]
    if pending >= CLIENT_MAX_PENDING:
        raise TooManyFromClient(None, pending)
    sent = [
        dt.datetime.fromisoformat(moment).timestamp()
        for (moment,) in connection.execute(
            f"SELECT ingediend FROM {QUEUE} WHERE {SENDER} = ? AND ingediend >= ?", (sender, since)
        )
    ]
    wait = wait_before_next(sent, now.timestamp(), limit=CLIENT_RATE_MAX, gap=0.0)
    if wait > 0:
        raise TooManyFromClient(wait, len(sent))


def submit(
    submission: Submission, path: Path | None = None, now: dt.datetime | None = None, sender: str = "",
) -> int:  # fmt: skip
    """Put a checked submission in the queue (status 'wachtend'); returns its number.

    `sender` is the client_key of who sends it (the form always gives one): raises
    TooManyFromClient past that sender's limits, and QueueFull when MAX_PENDING
    submissions of everyone together wait."""
    moment = now or dt.datetime.now(dt.UTC)
    values = {
        "ingediend": _now(moment),
        **_example_values(submission.example),
        "contact_naam": submission.contact_naam,
        "contact_email": submission.contact_email,
        "taal": submission.taal,
        SENDER: sender,
    }
    with store.transaction(path) as connection:
        _ensure_tables(connection)
        if sender:
            _check_sender(connection, sender, moment)
        waiting = connection.execute(f"SELECT COUNT(*) FROM {QUEUE} WHERE status = ?", (PENDING,)).fetchone()[0]
        if waiting >= MAX_PENDING:
            raise QueueFull(waiting)
        cursor = connection.execute(
            f"INSERT INTO {QUEUE} ({', '.join(values)}) VALUES ({', '.join('?' for _ in values)})",
            list(values.values()),
        )
        return int(cursor.lastrowid)


def _has_tables(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", (QUEUE, LOG)
    ).fetchone()[0]
    return found == 2


def _read(sql: str, columns: list[str], path: Path | None, parameters=()) -> pd.DataFrame:
    path = store._existing(path)
    with closing(sqlite3.connect(path, timeout=store.BUSY_TIMEOUT_S)) as connection:
        if not _has_tables(connection):
            return pd.DataFrame(columns=columns)
        return pd.read_sql_query(sql, connection, params=list(parameters))


def read_queue(path: Path | None = None, status: str | None = None, contact: bool = False) -> pd.DataFrame:
    """The submissions, newest first; only for the moderation page.

    `contact=True` adds the contact name and e-mail (never shown anywhere else)."""
    columns = PUBLIC_COLUMNS + (CONTACT_COLUMNS if contact else [])
    where, parameters = ("WHERE status = ?", [status]) if status else ("", [])
    return _read(f"SELECT {', '.join(columns)} FROM {QUEUE} {where} ORDER BY id DESC", columns, path, parameters)


def read_log(path: Path | None = None) -> pd.DataFrame:
    """Every moderation action, newest first."""
    columns = ["tijd", "moderator", "actie", "bijdrage_id", "toelichting"]
    return _read(f"SELECT {', '.join(columns)} FROM {LOG} ORDER BY id DESC", columns, path)


def get_submission(submission_id: int, path: Path | None = None) -> dict | None:
    """One submission with its contact details, or None."""
    frame = _read(
        f"SELECT {', '.join(PUBLIC_COLUMNS + CONTACT_COLUMNS)} FROM {QUEUE} WHERE id = ?",
        PUBLIC_COLUMNS + CONTACT_COLUMNS, path, [int(submission_id)],
    )
    return None if frame.empty else frame.iloc[0].to_dict()


# --- moderation -------------------------------------------------------------------------


def moderation_secret(
    environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> str:
    """The moderator secret, or "" when there is none (or only spaces): moderation is off.

    First from `secrets`, Streamlit's .streamlit/secrets.toml as the page passes it in
    (`[wijkmap] moderator_secret`, else a top-level WIJKMAP_MODERATOR_SECRET), then from
    the environment (`environ`, os.environ by default). The file comes first because
    Streamlit copies its top-level values into the environment anyway."""
    candidates: list[object] = []
    if secrets:
        table = secrets.get(MODERATOR_SECRET_TABLE)
        if isinstance(table, Mapping):
            candidates.append(table.get(MODERATOR_SECRET_KEY))
        candidates.append(secrets.get(SECRET_ENV))
    candidates.append((os.environ if environ is None else environ).get(SECRET_ENV))
    return next((secret for secret in candidates if isinstance(secret, str) and secret.strip()), "")


def moderation_enabled(environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None) -> bool:
    """Moderation exists only when a moderator secret is set (there is no default)."""
    return bool(moderation_secret(environ, secrets))


def secret_matches(
    given: str | None, environ: Mapping[str, str] | None = None, secrets: Mapping[str, Any] | None = None
) -> bool:
    """Whether `given` is the moderator secret, compared in constant time."""
    secret = moderation_secret(environ, secrets)
    if not secret or not given:
        return False
    return hmac.compare_digest(given.encode("utf-8"), secret.encode("utf-8"))


def login_wait(failures: Sequence[float], now: float, limit: int = LOGIN_MAX_FAILURES) -> float:
    """Seconds before another secret may be tried after `limit` wrong ones within
    LOGIN_WINDOW_S (per session; LOGIN_FAILURES counts per client address)."""
    recent = sorted(moment for moment in failures if now - moment < LOGIN_WINDOW_S)
    if len(recent) < limit:
        return 0.0
    return LOGIN_WINDOW_S - (now - recent[-limit])


class LoginFailures:
    """Wrong moderator secrets per client key, for all sessions of this server process.

    Per client, so a guesser locks out only itself, never the moderator elsewhere. In
    memory, not in the store: it only has to last LOGIN_WINDOW_S, and a guesser cannot
    restart the server. At most `max_clients` keys are held (the oldest go first)."""

    def __init__(self, max_clients: int = 10_000):
        self._lock = threading.Lock()
        self._by_client: dict[str, list[float]] = {}
        self.max_clients = max_clients

    def add(self, client: str, now: float) -> None:
        with self._lock:
            recent = [moment for moment in self._by_client.pop(client, []) if now - moment < LOGIN_WINDOW_S]
            self._by_client[client] = [*recent, now]  # re-inserted: the dict's order is oldest first
            while len(self._by_client) > self.max_clients:
                del self._by_client[next(iter(self._by_client))]

    def wait(self, client: str, now: float) -> float:
        with self._lock:
            failures = list(self._by_client.get(client, []))
        return login_wait(failures, now, LOGIN_MAX_FAILURES_CLIENT)


LOGIN_FAILURES = LoginFailures()


def _moderator(name: str, lang: str) -> str:
    name = clean_text(name).replace("\n", " ")
    if not name:
        raise ModerationError(t("err_moderator", lang))
    return name[: LIMITS["moderator"]]


def _row(connection: sqlite3.Connection, submission_id: int, lang: str) -> dict:
    _ensure_tables(connection)
    cursor = connection.execute(f"SELECT * FROM {QUEUE} WHERE id = ?", (int(submission_id),))
    row = cursor.fetchone()
    if row is None:
        raise ModerationError(t("err_unknown_submission", lang).format(id=submission_id))
    return dict(zip([column[0] for column in cursor.description], row))


def _log(connection, moderator: str, action: str, submission_id: int, note: str, now) -> None:
    connection.execute(
        f"INSERT INTO {LOG} (tijd, moderator, actie, bijdrage_id, toelichting) VALUES (?, ?, ?, ?, ?)",
        (_now(now), moderator, action, int(submission_id), note),
    )


def record_id(submission_id: int) -> str:
    return f"{BRON}-{int(submission_id)}"


def to_record(row: Mapping) -> dict:
    """The public record of an approved submission: its example fields, its place and
    bron "bijdrage". Built field by field, so nothing else (no contact) can slip in."""
    record = {name: "" for name in FIELDS}
    record.update({name: str(row[name]) for name in EXAMPLE_FIELDS})
    record.update(
        id=record_id(row["id"]), bron=BRON,
        buurtcode=str(row["buurtcode"]), wijkcode=str(row["wijkcode"]), gemeentecode=str(row["gemeentecode"]),
        lon=float(row["lon"]), lat=float(row["lat"]),
    )  # fmt: skip
    return record


def _publish(connection, row: Mapping) -> str:
    record = to_record(row)
    store.upsert_records(pd.DataFrame([record], columns=FIELDS), connection=connection)
    return record["id"]


def edit(
    submission_id: int, example: Example, moderator: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE,
) -> list[str]:  # fmt: skip
    """Replace the example of a submission (checked with check_example); returns the
    names of the fields that changed. A published example is updated on the map too."""
    moderator = _moderator(moderator, lang)
    new = _example_values(example)
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        changed = [name for name, value in new.items() if str(row[name]) != str(value)]
        if not changed:
            return []
        assignments = ", ".join(f"{name} = ?" for name in new)
        connection.execute(
            f"UPDATE {QUEUE} SET {assignments}, bijgewerkt = ? WHERE id = ?",
            [*new.values(), _now(now), int(submission_id)],
        )
        if row["status"] == APPROVED:
            _publish(connection, {**row, **new})
        _log(connection, moderator, EDITED, submission_id, ", ".join(changed), now)
        return changed


def approve(
    submission_id: int, moderator: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE,
) -> str:  # fmt: skip
    """Publish a submission: its record goes on the map, in one transaction with the
    status and the log. Returns the record id. Approving twice publishes once."""
    moderator = _moderator(moderator, lang)
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        if row["status"] == APPROVED:
            return row["record_id"]
        published = _publish(connection, row)
        connection.execute(
            f"UPDATE {QUEUE} SET status = ?, record_id = ?, reden = '', bijgewerkt = ? WHERE id = ?",
            (APPROVED, published, _now(now), int(submission_id)),
        )
        _log(connection, moderator, APPROVED, submission_id, "", now)
        return published


def reject(
    submission_id: int, moderator: str, reason: str, path: Path | None = None,
    now: dt.datetime | None = None, lang: str = DEFAULT_LANGUAGE,
) -> None:  # fmt: skip
    """Refuse a submission with a reason; a published one is taken off the map."""
    moderator = _moderator(moderator, lang)
    reason = clean_text(reason)
    if not reason:
        raise ModerationError(t("err_reason", lang))
    reason = reason[: LIMITS["reden"]]
    with store.transaction(path) as connection:
        row = _row(connection, submission_id, lang)
        if row["record_id"]:
            store.delete_records([row["record_id"]], connection)
        connection.execute(
            f"UPDATE {QUEUE} SET status = ?, record_id = '', reden = ?, bijgewerkt = ? WHERE id = ?",
            (REJECTED, reason, _now(now), int(submission_id)),
        )
        _log(connection, moderator, REJECTED, submission_id, reason, now)


def form_values(row: Mapping) -> dict:
    """A queue row as the form's widgets hold it (lists for several codes), to edit it."""
    values = {name: str(row[name]) for name in EXAMPLE_FIELDS}
    for name in ("actortype", "doelgroep"):
        values[name] = split_list(values[name])
    if row["locatie"] == "buurt":
        values.update(buurtcode=row["buurtcode"], lat="", lon="")
    else:
        values.update(buurtcode="", lat=f"{float(row['lat']):.6f}", lon=f"{float(row['lon']):.6f}")
    values["gemeentecode"] = row["gemeentecode"]
    return values
