"""The view state and its URL form.

Everything a person can set on the map lives in one `ViewState`, and the URL's query
parameters carry it, so a link reopens exactly the same view. Only values that differ
from the default are written, which keeps links short; reading is forgiving: an unknown
or malformed value is dropped with a note, never a crash.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field

from wijkmap.config import DRAAIBOEK_MAX_CHARS, MAX_PARAM_CHARS, NOTE_VALUE_CHARS
from wijkmap.config import DRAAIBOEK_MAX_STEPS as MAX_STEPS
from wijkmap.core import vocabulary as vocab

SCHEMES = ("quantiles", "equal_interval", "natural_breaks")
PALETTES = ("blauw", "oranje", "paars", "groen", "contrast")
LEVELS = ("buurt", "wijk")
# Map layers: the soort categories, so that each has its own switch.
LAYERS = tuple(vocab.SOORT_CATEGORIES)
DEFAULT_INDICATOR = "pct_eenpersoonshuishoudens"
# The change view: what colours the areas (net change of provisions, or of a statistic).
KLEURINGEN = ("balans", "statistiek")
STATUSES = tuple(vocab.CHANGE_STATUSES)
_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
_DRAAIBOEK = re.compile(r"^[A-Za-z0-9_-]+$")
_ID = re.compile(r"^[\w.-]{1,80}$")


@dataclass
class ViewState:
    gemeente: str | None = None  # GMxxxx; None is the national overview
    niveau: str = "buurt"  # level inside a gemeente
    indicator: str = DEFAULT_INDICATOR
    jaar: int | None = None  # statistics year; None = newest available
    schema: str = "quantiles"
    klassen: int = 5
    palet: str = "blauw"
    lagen: list[str] = field(default_factory=lambda: list(LAYERS))
    strategie: list[str] = field(default_factory=list)  # empty = all
    formaliteit: list[str] = field(default_factory=list)
    actortype: list[str] = field(default_factory=list)
    categorie: list[str] = field(default_factory=list)
    soort: list[str] = field(default_factory=list)
    doelgroep: list[str] = field(default_factory=list)
    tarief: list[str] = field(default_factory=list)
    tijdelijk: str | None = None  # "ja" / "nee"
    peiljaar: int | None = None  # show what existed in that year; None = today
    voorbeeld: bool = True  # show the illustrative sample
    bron: list[str] = field(default_factory=list)  # empty = all sources
    gebied: str | None = None  # selected buurt/wijk code
    lat: float | None = None
    lon: float | None = None
    zoom: float | None = None  # fractional: the map snaps to quarter zoom levels
    lang: str = "nl"
    # The change view (page Verandering); None = chosen from the data (change.default_period).
    van: int | None = None  # period from the start of this year ...
    tot: int | None = None  # ... to the end of this one
    statussen: list[str] = field(default_factory=lambda: list(STATUSES))  # statuses drawn
    opvolging: bool = True  # lines from a closed provision to its successor
    soortgroep: list[str] = field(default_factory=list)  # categories counted; empty = all
    kleuring: str = "balans"  # areas coloured by net change ('balans') or a statistic ('statistiek')
    vergelijk_van: int | None = None  # statistic compared between these years; None = first / last
    vergelijk_tot: int | None = None
    # Workshop mode (page Kaart): large type and a full-screen map, and the draaiboek
    # (a sequence of prepared views, encoded by draaiboek.encode) with its current step.
    presentatie: bool = False
    draaiboek: str | None = None
    stap: int | None = None  # 1-based step of the draaiboek shown; None = none chosen


_LISTS = {
    "lagen": LAYERS,
    "strategie": tuple(vocab.STRATEGIES),
    "formaliteit": tuple(vocab.ACTOR_FORMALITIES),
    "actortype": tuple(vocab.ACTORTYPES),
    "categorie": tuple(vocab.SOORT_CATEGORIES),
    "soort": tuple(vocab.SOORTEN),
    "doelgroep": tuple(vocab.DOELGROEPEN),
    "tarief": tuple(vocab.TARIEVEN),
    "statussen": STATUSES,
    "soortgroep": tuple(vocab.SOORT_CATEGORIES),
}
_CHOICES = {"niveau": LEVELS, "schema": SCHEMES, "palet": PALETTES, "tijdelijk": ("ja", "nee"), "lang": ("nl", "en"),
            "kleuring": KLEURINGEN}
_DEFAULTS = ViewState()


def to_query(state: ViewState) -> dict[str, str]:
    """The query parameters for `state`: only what differs from the default."""
    query: dict[str, str] = {}
    for item in dataclasses.fields(ViewState):
        value = getattr(state, item.name)
        if value == getattr(_DEFAULTS, item.name):
            continue
        if isinstance(value, list):
            query[item.name] = _separator(item.name).join(value) if value else "-"
        elif isinstance(value, bool):
            query[item.name] = "1" if value else "0"
        elif isinstance(value, float):
            query[item.name] = f"{value:g}" if item.name == "zoom" else f"{value:.5f}"
        elif value is None:
            query[item.name] = ""
        else:
            query[item.name] = str(value)
    return query


def _separator(name: str) -> str:
    return "|" if name == "bron" else ","  # source names are free text and may hold commas


def from_query(query: dict[str, str]) -> tuple[ViewState, list[str]]:
    """The state a URL describes, and a note for each parameter that was ignored."""
    state, notes = ViewState(), []
    for name, raw in query.items():
        if not hasattr(state, name):
            continue  # other pages' parameters are not ours to judge
        raw = str(raw)
        try:
            if len(raw) > (DRAAIBOEK_MAX_CHARS if name == "draaiboek" else MAX_PARAM_CHARS):
                raise ValueError(name)
            setattr(state, name, _parse(name, raw))
        except ValueError:
            notes.append(f"{name}={_shorten(raw)}")
    return state, notes


def _shorten(raw: str) -> str:
    return raw if len(raw) <= NOTE_VALUE_CHARS else raw[: NOTE_VALUE_CHARS - 1] + "…"


def _parse(name: str, raw: str):
    if name in _LISTS:
        if raw in ("", "-"):
            return []
        values = [part for part in raw.split(",") if part]
        if any(value not in _LISTS[name] for value in values):
            raise ValueError(raw)
        return list(dict.fromkeys(values))
    if name in _CHOICES:
        if raw not in _CHOICES[name]:
            raise ValueError(raw)
        return raw
    if name in ("gemeente", "gebied"):
        if raw == "":
            return None
        if not _CODE.match(raw.upper()):
            raise ValueError(raw)
        return raw.upper()
    if name == "bron":
        return [part for part in raw.split("|") if part] if raw not in ("", "-") else []
    if name == "indicator":
        if not re.match(r"^[a-z0-9_]{1,60}$", raw):
            raise ValueError(raw)
        return raw
    if name in ("voorbeeld", "opvolging", "presentatie"):
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"
    if name == "klassen":
        value = int(raw)
        if not 2 <= value <= 9:
            raise ValueError(raw)
        return value
    if name == "zoom":
        if raw == "":
            return None
        zoom = round(float(raw), 2)
        if not 5 <= zoom <= 19:
            raise ValueError(raw)
        return zoom
    if name in ("jaar", "peiljaar", "van", "tot", "vergelijk_van", "vergelijk_tot"):
        if raw == "":
            return None
        value = int(raw)
        if not 1900 <= value <= 2100:
            raise ValueError(raw)
        return value
    if name == "stap":
        if raw == "":
            return None
        value = int(raw)
        if not 1 <= value <= MAX_STEPS:
            raise ValueError(raw)
        return value
    if name == "draaiboek":
        if raw == "":
            return None
        if not _DRAAIBOEK.match(raw):
            raise ValueError(raw)
        return raw
    if name in ("lat", "lon"):
        if raw == "":
            return None
        degrees = float(raw)
        if not (50.0 <= degrees <= 54.0 if name == "lat" else 3.0 <= degrees <= 7.5):
            raise ValueError(raw)
        return degrees
    raise ValueError(raw)
