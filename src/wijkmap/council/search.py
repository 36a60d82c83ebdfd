"""Finding an area by name, code or postcode, offline: every buurt, wijk and gemeente.

The index holds, per level, the areas of the newest indeling in the store, and the codes
of older indelingen that no newer one has (a gemeente that merged, a wijk that was
renumbered): a link or a register may still use them, and the store still draws them.
Buurten come from the store's buurt layers and from the 2024 names of the KWB subset
(store.POSTCODES), which also gives each buurt's most frequent postcode (PC4).

Names are compared folded: accents and case ignored, every run of punctuation (hyphens,
apostrophes, dots) read as one space, so "Oud-Zuid", "oud zuid" and "OUD ZUÏD" are one
name. Ranking, best first: the code itself; the whole name; the name's beginning; the
beginning of a later word of it; every word of the query beginning a word of the name
or of its gemeente ("zuid utrecht"); anywhere inside the name. Within a rank gemeenten
come before wijken before buurten, then shorter names, then alphabetical.

Four digits (1000-9999, optionally with the two letters of a full postcode) find the
buurten that have it as their most frequent postcode: a postcode area and a buurt do not
coincide, so such a hit is approximate, and says so (`via` = 'postcode'). Four digits
below 1000 are a gemeentecode ("0344", as spreadsheets write them).

Some gemeenten are known by another name than CBS's: "Den Haag" is 's-Gravenhage,
"Den Bosch" 's-Hertogenbosch. ALIASES lists such well-known names (only unambiguous
ones: no "Bergen", of which there are two); they match like the area's own name, and
the hit shows CBS's name.

Pure: no Streamlit; the page builds one index per store version (council.cache).
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijkmap.core import indeling

MAX_QUERY_CHARS = 100  # a name is at most ~60 characters; anything longer is no search
MAX_HITS = 50
LEVELS = ("gemeente", "wijk", "buurt")
_LEVEL_ORDER = {level: rank for rank, level in enumerate(LEVELS)}
_PREFIX_LEVEL = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
_CODE_START = re.compile(r"^(GM|WK|BU)\d{2,}$")
_POSTCODE = re.compile(r"^(\d{4})(?:\s?[A-Z]{2})?$")
_NOT_WORD = re.compile(r"[^0-9a-z]+")

# Well-known other names of gemeenten (code -> names), searched like their own name.
# Only names that point to one gemeente; a name CBS uses already needs no entry.
ALIASES: dict[str, tuple[str, ...]] = {
    "GM0518": ("Den Haag", "The Hague"),  # 's-Gravenhage
    "GM0796": ("Den Bosch",),  # 's-Hertogenbosch
}


@functools.lru_cache(maxsize=200_000)
def fold(text: str) -> str:
    """`text` as the index compares it: no accents, lower case, punctuation as single spaces."""
    text = str(text)
    if not text.isascii():  # most names are: skip taking them apart
        decomposed = unicodedata.normalize("NFKD", text)
        text = "".join(char for char in decomposed if not unicodedata.combining(char))
    return _NOT_WORD.sub(" ", text.casefold().replace("ß", "ss")).strip()


@dataclass(frozen=True)
class Hit:
    """One area found. `via` says what matched: 'naam', 'code' or 'postcode' (then
    approximate: the postcode is the buurt's most frequent one, `postcode`). `kaart`:
    the store has boundaries for the code, so the map can select it."""

    code: str
    naam: str
    niveau: str
    gemeentecode: str
    gemeentenaam: str
    via: str
    postcode: str = ""
    kaart: bool = True

    @property
    def approximate(self) -> bool:
        return self.via == "postcode"


@dataclass(frozen=True)
class _Entry:
    code: str
    naam: str
    niveau: str
    gemeentecode: str
    gemeentenaam: str
    kaart: bool
    names: tuple[str, ...]  # folded: the shown name first, then older names of the code, then ALIASES
    words: str  # " " + the folded words of the names and of the gemeente's name


class QueryTooLong(ValueError):
    """A query longer than MAX_QUERY_CHARS."""


class AreaIndex:
    """Every area a person can look for; built once, then `find` answers in milliseconds."""

    def __init__(self, entries: Iterable[_Entry], postcodes: Mapping[str, list[str]]):
        self._entries = {entry.code: entry for entry in entries}
        self._postcodes = {pc: [code for code in codes if code in self._entries] for pc, codes in postcodes.items()}
        self._postcode_of = {code: pc for pc, codes in self._postcodes.items() for code in codes}

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, code: str) -> bool:
        return code in self._entries

    @classmethod
    def from_frames(cls, layers: Mapping[str, pd.DataFrame], postcodes: pd.DataFrame | None = None) -> AreaIndex:
        """An index of `layers` (layer name `<niveau>_<jaar>` -> code, naam, gemeentecode,
        as store.read_area_names gives them; which of them have boundaries) and
        `postcodes` (store.read_postcodes: the 2024 buurten with name and PC4)."""
        # (code) -> list of (jaar, naam, gemeentecode, kaart), newest first once sorted
        found: dict[str, list[tuple[int, str, str, bool]]] = {}
        for name, frame in layers.items():
            parts = indeling.layer_parts(name)
            if parts is None:
                continue
            _, jaar = parts
            for code, naam, gemeentecode in zip(frame["code"], frame["naam"], frame["gemeentecode"]):
                if isinstance(code, str) and _CODE.match(code):
                    found.setdefault(code, []).append((jaar, _text(naam), _text(gemeentecode) or code[:6], True))
        by_postcode: dict[str, list[str]] = {}
        if postcodes is not None and not postcodes.empty:
            for code, naam, gemeentecode, postcode, jaar in zip(
                postcodes["code"],
                postcodes["naam"],
                postcodes["gemeentecode"],
                postcodes["postcode"],
                postcodes["jaar"],
            ):
                if not (isinstance(code, str) and _CODE.match(code)):
                    continue
                found.setdefault(code, []).append((int(jaar), _text(naam), _text(gemeentecode), False))
                if isinstance(postcode, str) and len(postcode) == 4:
                    by_postcode.setdefault(postcode, []).append(code)
        gemeente_names: dict[str, str] = {}
        for code, versions in found.items():
            if code.startswith("GM"):
                gemeente_names[code] = _newest(versions)[1]
        entries = []
        for code, versions in found.items():
            jaar, naam, gemeentecode, _ = _newest(versions)
            gemeentecode = "GM" + code[2:6] if code.startswith("GM") else gemeentecode or "GM" + code[2:6]
            gemeentenaam = gemeente_names.get(gemeentecode, "")
            given = [naam, *(v[1] for v in versions), *ALIASES.get(code, ())]
            names = tuple(dict.fromkeys(fold(n) for n in given if fold(n)))
            words = " " + " ".join(dict.fromkeys(w for n in (*names, fold(gemeentenaam)) for w in n.split()))
            kaart = any(on_map for *_, on_map in versions)
            entries.append(
                _Entry(code, naam or code, _PREFIX_LEVEL[code[:2]], gemeentecode, gemeentenaam, kaart, names, words)
            )
        return cls(entries, {pc: sorted(codes) for pc, codes in by_postcode.items()})

    @classmethod
    def from_store(cls, path: Path | None = None) -> AreaIndex:
        """The index of the store at `path` (default: the app's store)."""
        from wijkmap.data import store

        layers = {name: store.read_area_names(name, path) for name in store.area_layers(path)}
        return cls.from_frames(layers, store.read_postcodes(path))

    def get(self, code: str) -> Hit | None:
        """The area with this code (any level), or None."""
        entry = self._entries.get(str(code).strip().upper())
        return self._hit(entry, "code") if entry else None

    def find(self, query: str, limit: int = 10) -> list[Hit]:
        """The areas `query` names, best first, at most `limit` (<= MAX_HITS).

        Raises QueryTooLong for a query over MAX_QUERY_CHARS (the search box allows no more)."""
        text = str(query).strip()
        if len(text) > MAX_QUERY_CHARS:
            raise QueryTooLong(f"zoekterm van {len(text)} tekens; hoogstens {MAX_QUERY_CHARS}")
        limit = max(1, min(int(limit), MAX_HITS))
        if not text:
            return []
        upper = re.sub(r"\s+", " ", text.upper())
        postcode = _POSTCODE.match(upper)
        if postcode and int(postcode.group(1)) >= 1000:
            return self._by_postcode(postcode.group(1), limit)
        if postcode:  # 0001-0999: a gemeentecode without GM
            entry = self._entries.get("GM" + postcode.group(1))
            return [self._hit(entry, "code")] if entry else []
        compact = upper.replace(" ", "")
        if _CODE.match(compact):
            entry = self._entries.get(compact)
            return [self._hit(entry, "code")] if entry else []
        if _CODE_START.match(compact):  # the start of a code: its areas in code order
            codes = sorted(code for code in self._entries if code.startswith(compact))[:limit]
            return [self._hit(self._entries[code], "code") for code in codes]
        return self._by_name(fold(text), limit)

    def _by_postcode(self, postcode: str, limit: int) -> list[Hit]:
        codes = self._postcodes.get(postcode, [])
        entries = sorted((self._entries[code] for code in codes), key=lambda e: (not e.kaart, e.naam, e.code))
        return [self._hit(entry, "postcode") for entry in entries[:limit]]

    def _by_name(self, folded: str, limit: int) -> list[Hit]:
        if not folded:
            return []
        query_words = folded.split()
        ranked = []
        for entry in self._entries.values():
            rank = _rank(entry, folded, query_words)
            if rank is not None:
                ranked.append(
                    (rank, _LEVEL_ORDER[entry.niveau], not entry.kaart, len(entry.naam), entry.naam, entry.code)
                )
        ranked.sort()
        return [self._hit(self._entries[item[-1]], "naam") for item in ranked[:limit]]

    def _hit(self, entry: _Entry, via: str) -> Hit:
        return Hit(
            entry.code,
            entry.naam,
            entry.niveau,
            entry.gemeentecode,
            entry.gemeentenaam,
            via,
            self._postcode_of.get(entry.code, ""),
            entry.kaart,
        )


def _rank(entry: _Entry, folded: str, query_words: list[str]) -> int | None:
    """How well `folded` matches the entry's names (0 best), None when not at all."""
    best = None
    for name in entry.names:
        if name == folded:
            rank = 0
        elif name.startswith(folded):
            rank = 1
        elif f" {folded}" in f" {name}":
            rank = 2
        elif folded in name:
            rank = 4
        else:
            continue
        best = rank if best is None else min(best, rank)
    if best is not None and best <= 2:
        return best
    if len(query_words) > 1 and all(f" {q}" in entry.words for q in query_words):
        return 3
    return best


def _newest(versions: list[tuple[int, str, str, bool]]) -> tuple[int, str, str, bool]:
    """The newest version of a code; among one year's, one with boundaries first."""
    return max(versions, key=lambda version: (version[0], version[3]))


def _text(value) -> str:
    return value.strip() if isinstance(value, str) else ""
