"""The view state and its URL form.

Everything a person can set on the map lives in one `ViewState`, and the URL's query
parameters carry it, so a link reopens exactly the same view. Only values that differ
from the default are written, which keeps links short; reading is forgiving: an unknown
or malformed value is dropped with a note, never a crash.

Each field of `ViewState` declares the codec of its query parameter (`_setting`), so
adding a setting is one line, and writing and reading follow the field list.
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any, Protocol

from wijkmap.config import (
    DRAAIBOEK_MAX_CHARS,
    DRAAIBOEK_MAX_STEPS as MAX_STEPS,
    MAX_PARAM_CHARS,
    NEED_MAX_INDICATORS,
    NEED_MAX_WEIGHT,
    NOTE_VALUE_CHARS,
)
from wijkmap.core import style, vocabulary as vocab

SCHEMES = ("quantiles", "equal_interval", "natural_breaks")
PALETTES = tuple(style.PALETTES)
LEVELS = ("buurt", "wijk")
# Map layers: the soort categories, so that each has its own switch.
LAYERS = tuple(vocab.SOORT_CATEGORIES)
DEFAULT_INDICATOR = "pct_eenpersoonshuishoudens"
# The change view: what colours the areas (net change of provisions, or of a statistic).
KLEURINGEN = ("balans", "statistiek")
STATUSES = tuple(vocab.CHANGE_STATUSES)


# --- codecs: how one setting is written in the URL and read back ------------------------


class Codec(Protocol):
    """Reads the text of one query parameter, raising ValueError for anything it does not
    accept; `write` is its inverse. None is written as "" by to_query, for every field."""

    def read(self, raw: str) -> Any: ...

    def write(self, value: Any) -> str: ...


@dataclass(frozen=True)
class Codes:
    """Codes from `allowed`, comma-separated, repeats dropped. "-" is the empty list, so
    that 'none chosen' stays apart from a default of all."""

    allowed: tuple[str, ...]

    def read(self, raw: str) -> list[str]:
        if raw in ("", "-"):
            return []
        values = [part for part in raw.split(",") if part]
        if any(value not in self.allowed for value in values):
            raise ValueError(raw)
        return list(dict.fromkeys(values))

    def write(self, value: list[str]) -> str:
        return ",".join(value) if value else "-"


@dataclass(frozen=True)
class Names:
    """Free text names (sources), separated by "|" because a name may hold commas."""

    def read(self, raw: str) -> list[str]:
        return [] if raw in ("", "-") else [part for part in raw.split("|") if part]

    def write(self, value: list[str]) -> str:
        return "|".join(value) if value else "-"


class _AsText:
    """A codec whose value is written as its text (str)."""

    def write(self, value: Any) -> str:
        return str(value)


@dataclass(frozen=True)
class Choice(_AsText):
    """One of `options`, written as itself."""

    options: tuple[str, ...]

    def read(self, raw: str) -> str:
        if raw not in self.options:
            raise ValueError(raw)
        return raw


@dataclass(frozen=True)
class Text(_AsText):
    """Text that matches `pattern`; with `upper`, read in capitals (area codes)."""

    pattern: re.Pattern
    upper: bool = False

    def read(self, raw: str) -> str:
        value = raw.upper() if self.upper else raw
        if not self.pattern.match(value):
            raise ValueError(raw)
        return value


@dataclass(frozen=True)
class Whole(_AsText):
    """A whole number from `low` to `high`."""

    low: int
    high: int

    def read(self, raw: str) -> int:
        value = int(raw)
        if not self.low <= value <= self.high:
            raise ValueError(raw)
        return value


@dataclass(frozen=True)
class Number:
    """A number from `low` to `high`, rounded to `digits` when given (before the range is
    checked), and written in `written` format."""

    low: float
    high: float
    written: str
    digits: int | None = None

    def read(self, raw: str) -> float:
        value = float(raw)
        if self.digits is not None:
            value = round(value, self.digits)
        if not self.low <= value <= self.high:  # also refuses nan
            raise ValueError(raw)
        return value

    def write(self, value: float) -> str:
        return format(value, self.written) if isinstance(value, float) else str(value)


@dataclass(frozen=True)
class Flag:
    """A switch, written 1 (on) or 0 (off)."""

    def read(self, raw: str) -> bool:
        if raw not in ("0", "1"):
            raise ValueError(raw)
        return raw == "1"

    def write(self, value: bool) -> str:
        return "1" if value else "0"


@dataclass(frozen=True)
class OrNone:
    """`codec`, or None written as the empty value."""

    codec: Codec

    def read(self, raw: str):
        return None if raw == "" else self.codec.read(raw)

    def write(self, value) -> str:
        return "" if value is None else self.codec.write(value)


@dataclass(frozen=True)
class Weights:
    """Indicator codes with a whole weight, "a:2,b" (a weight of 1 is written bare):
    at most `max_items` codes, each weight from 1 to `high`. Whether a code is in the
    catalogue is checked where the catalogue is known (the page), as for `indicator`."""

    max_items: int
    high: int

    def read(self, raw: str) -> dict[str, int]:
        if raw in ("", "-"):
            return {}
        weights: dict[str, int] = {}
        for part in (part for part in raw.split(",") if part):
            code, _, weight = part.partition(":")
            value = int(weight) if weight else 1
            if not _INDICATOR.match(code) or not 1 <= value <= self.high:
                raise ValueError(raw)
            weights.setdefault(code, value)
        if len(weights) > self.max_items:
            raise ValueError(raw)
        return weights

    def write(self, value: dict[str, int]) -> str:
        return ",".join(code if weight == 1 else f"{code}:{weight}" for code, weight in value.items()) or "-"


_INDICATOR = re.compile(r"^[a-z0-9_]{1,60}$")
_AREA_PATTERN = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
AREA_CODE = OrNone(Text(_AREA_PATTERN, upper=True))
YEAR = OrNone(Whole(1900, 2100))
# Areas compared side by side (Kaart's comparison): at least two, at most four.
COMPARE_MIN, COMPARE_MAX = 2, 4


@dataclass(frozen=True)
class AreaCodes:
    """From `low` to `high` distinct area codes (any level), comma-separated, read in
    capitals; "" is none. Whether the store knows them is the page's to check."""

    low: int
    high: int

    def read(self, raw: str) -> list[str]:
        if raw == "":
            return []
        values = list(dict.fromkeys(part.strip().upper() for part in raw.split(",") if part.strip()))
        if not self.low <= len(values) <= self.high or not all(_AREA_PATTERN.match(v) for v in values):
            raise ValueError(raw)
        return values

    def write(self, value: list[str]) -> str:
        return ",".join(value)


def _setting(codec: Codec, default: Any = None, max_chars: int = MAX_PARAM_CHARS) -> Any:
    """A field of ViewState with the codec of its query parameter and the longest value
    read (a longer one is refused before it is parsed). A list default is copied for
    every state."""
    metadata = {"codec": codec, "max_chars": max_chars}
    if isinstance(default, (list, dict)):
        return field(default_factory=lambda: type(default)(default), metadata=metadata)
    return field(default=default, metadata=metadata)


@dataclass
class ViewState:
    gemeente: str | None = _setting(AREA_CODE)  # GMxxxx; None is the national overview
    # The level drawn (view.level): None is buurten inside a gemeente and gemeenten for the
    # whole country; buurt or wijk without a gemeente draws every one of the country.
    niveau: str | None = _setting(OrNone(Choice(LEVELS)))
    indicator: str = _setting(Text(_INDICATOR), DEFAULT_INDICATOR)
    jaar: int | None = _setting(YEAR)  # statistics year; None = newest available
    schema: str = _setting(Choice(SCHEMES), "quantiles")
    klassen: int = _setting(Whole(2, 9), 5)
    palet: str = _setting(Choice(PALETTES), "blauw")
    lagen: list[str] = _setting(Codes(LAYERS), list(LAYERS))
    strategie: list[str] = _setting(Codes(tuple(vocab.STRATEGIES)), [])  # empty = all
    formaliteit: list[str] = _setting(Codes(tuple(vocab.ACTOR_FORMALITIES)), [])
    actortype: list[str] = _setting(Codes(tuple(vocab.ACTORTYPES)), [])
    categorie: list[str] = _setting(Codes(tuple(vocab.SOORT_CATEGORIES)), [])
    soort: list[str] = _setting(Codes(tuple(vocab.SOORTEN)), [])
    doelgroep: list[str] = _setting(Codes(tuple(vocab.DOELGROEPEN)), [])
    tarief: list[str] = _setting(Codes(tuple(vocab.TARIEVEN)), [])
    tijdelijk: str | None = _setting(Choice(("ja", "nee")))  # None = either
    peiljaar: int | None = _setting(YEAR)  # show what existed in that year; None = this year
    voorbeeld: bool = _setting(Flag(), True)  # show the illustrative sample
    bron: list[str] = _setting(Names(), [])  # empty = all sources
    gebied: str | None = _setting(AREA_CODE)  # selected buurt/wijk code
    # Areas compared side by side on Kaart (council.compare): 2-4 codes of any level, from
    # any gemeente; [] = no comparison. Not Verandering's vergelijk_van/_tot.
    vergelijk: list[str] = _setting(AreaCodes(COMPARE_MIN, COMPARE_MAX), [], max_chars=4 * 12)
    lat: float | None = _setting(OrNone(Number(50.0, 54.0, ".5f")))
    lon: float | None = _setting(OrNone(Number(3.0, 7.5, ".5f")))
    # Fractional: the map snaps to quarter zoom levels.
    zoom: float | None = _setting(OrNone(Number(5, 19, "g", digits=2)))
    lang: str = _setting(Choice(("nl", "en")), "nl")
    # The change view (page Verandering); None = chosen from the data (change.default_period).
    van: int | None = _setting(YEAR)  # period from the start of this year ...
    tot: int | None = _setting(YEAR)  # ... to the end of this one
    statussen: list[str] = _setting(Codes(STATUSES), list(STATUSES))  # statuses drawn
    opvolging: bool = _setting(Flag(), True)  # lines from a closed provision to its successor
    soortgroep: list[str] = _setting(Codes(tuple(vocab.SOORT_CATEGORIES)), [])  # categories counted; empty = all
    # Areas coloured by net change ('balans') or a statistic ('statistiek').
    kleuring: str = _setting(Choice(KLEURINGEN), "balans")
    vergelijk_van: int | None = _setting(YEAR)  # statistic compared between these years; None = first / last
    vergelijk_tot: int | None = _setting(YEAR)
    # The Hoge nood ranking (page Kaart, council.ranking): the indicators of the need
    # profile with their weights ({} = the indicator the map is coloured by), and the
    # category of provisions whose reach is measured (None = every provision shown).
    nood: dict[str, int] = _setting(Weights(NEED_MAX_INDICATORS, NEED_MAX_WEIGHT), {})
    bereik: str | None = _setting(OrNone(Choice(LAYERS)))
    # Workshop mode (page Kaart): large type and a full-screen map, and the draaiboek
    # (a sequence of prepared views, encoded by draaiboek.encode) with its current step.
    presentatie: bool = _setting(Flag(), False)
    draaiboek: str | None = _setting(OrNone(Text(re.compile(r"^[A-Za-z0-9_-]+$"))), max_chars=DRAAIBOEK_MAX_CHARS)
    stap: int | None = _setting(OrNone(Whole(1, MAX_STEPS)))  # 1-based step shown; None = none chosen


# name -> (codec, longest value read); a field declared without _setting fails here.
_PARAMETERS: dict[str, tuple[Codec, int]] = {
    item.name: (item.metadata["codec"], item.metadata["max_chars"]) for item in dataclasses.fields(ViewState)
}
_DEFAULTS = ViewState()


def level(state: ViewState) -> str:
    """The level a view draws: its niveau, else buurten inside a gemeente and gemeenten
    for the whole country."""
    return state.niveau or ("buurt" if state.gemeente else "gemeente")


def level_in_gemeente(niveau: str | None) -> str | None:
    """A gemeente's level as the state keeps it: buurt, the default there, is None (so a
    link to a gemeente's buurten stays as short as it was)."""
    return None if niveau == "buurt" else niveau


def to_query(state: ViewState) -> dict[str, str]:
    """The query parameters for `state`: only what differs from the default."""
    query: dict[str, str] = {}
    for name, (codec, _) in _PARAMETERS.items():
        value = getattr(state, name)
        if value != getattr(_DEFAULTS, name):
            query[name] = "" if value is None else codec.write(value)
    return query


def from_query(query: dict[str, str]) -> tuple[ViewState, list[str]]:
    """The state a URL describes, and a note for each parameter that was ignored."""
    state, notes = ViewState(), []
    for name, raw in query.items():
        if name not in _PARAMETERS:
            continue  # other pages' parameters are not ours to judge
        codec, max_chars = _PARAMETERS[name]
        raw = str(raw)
        try:
            if len(raw) > max_chars:
                raise ValueError(name)
            setattr(state, name, codec.read(raw))
        except ValueError:
            notes.append(f"{name}={_shorten(raw)}")
    if state.gemeente:
        state.niveau = level_in_gemeente(state.niveau)
    return state, notes


def _shorten(raw: str) -> str:
    return raw if len(raw) <= NOTE_VALUE_CHARS else raw[: NOTE_VALUE_CHARS - 1] + "…"
