"""The record model: one provision or initiative, as the store keeps it.

Imports and contributions both turn user text into records here, so the rules for what
a valid record is (known codes, a name, possible dates) live in one place. Parsing never
raises on bad input: it returns the problems, each naming the field and the value.
"""

from __future__ import annotations

import calendar
import datetime
import functools
import hashlib
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from wijkmap.config import MAX_TEXT
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t

# Column order of the records layer in the store and of every export.
FIELDS = [
    "id",
    "naam",
    "soort",
    "strategie",
    "actortype",  # a list field (join_list)
    "doelgroep",  # a list field
    "tarief",
    "tijdelijk",  # "ja" / "nee" / "" (unknown)
    "geopend",  # "YYYY" or "YYYY-MM-DD"; "" when unknown
    "gesloten",  # idem; "" = still open
    "opvolger_van",  # id of the record this one replaced
    "omschrijving",
    "url",
    "bron",  # provenance: "voorbeeld" marks illustrative sample data
    "laatst_gecontroleerd",  # "YYYY-MM-DD": the day someone confirmed it still exists; "" = never
    "werkgebied",  # a list field of buurtcodes (the service area of a wijkteam)
    "buurtcode",
    "wijkcode",
    "gemeentecode",
    "lon",
    "lat",
]
# Fields that hold a list, kept as one text (a GeoPackage column, a CSV cell): see join_list.
LIST_FIELDS = ("actortype", "doelgroep", "werkgebied")
LIST_SEPARATOR = ";"
_LIST_PARTS = re.compile(r"[;,|]")
BUURTCODE = re.compile(r"^BU\d{8}$")
# Bidi overrides and isolates, as a regex character range: they make a text read as another.
BIDI_CONTROLS = "\u202a-\u202e\u2066-\u2069"

_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2})(?:-(\d{1,2}))?)?$")
_DMY = re.compile(r"^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$")
FIRST_YEAR, LAST_YEAR = 1800, 2100


@dataclass(frozen=True)
class Problem:
    """Something wrong with one value: where it is, what it is, and why."""

    field: str
    value: str
    message: str  # Dutch, addressed to the person who made the file


def join_list(items: Iterable[str]) -> str:
    """A list field as the store and every export keep it: its items joined with ";"."""
    return LIST_SEPARATOR.join(items)


def split_list(text: str | None) -> list[str]:
    """The items of a list field, as join_list wrote them or as a person typed them
    (separated by ";", "," or "|"), stripped, empty ones dropped. A missing value (None,
    NaN) is the empty list."""
    if not isinstance(text, str):
        return []
    return [item for item in (part.strip() for part in _LIST_PARTS.split(text)) if item]


def holds_any(column: pd.Series, items: Iterable[str]) -> pd.Series:
    """Whether each list field in `column` holds at least one of `items`."""
    wanted = set(items)
    return per_value(column, lambda text: not wanted.isdisjoint(split_list(text))).astype(bool)


def per_value(column: pd.Series, function: Callable[[Any], object]) -> pd.Series:
    """`function` of each value in `column`, called once per distinct value: a list
    field of 100,000 records holds a few hundred, and splitting each took seconds."""
    # One code per distinct value; every missing value (None, NaN, NA) is one of them.
    codes, values = pd.factorize(column, use_na_sentinel=False)
    answers = np.empty(len(values), dtype=object)  # filled, not built: answers may be lists
    answers[:] = [function(value) for value in values]
    return pd.Series(answers[codes], index=column.index, dtype=object)


def parse_date(text: str) -> str:
    """'2019', '2019-03', '2019-03-01', '1-3-2019' or '01/03/2019' to ISO ('2019', '2019-03-01').

    Raises ValueError for anything else, including impossible dates."""
    import datetime as dt

    text = text.strip()
    if text.endswith(".0") and text[:-2].isdigit():  # a year that went through a float column
        text = text[:-2]
    if " " in text or "T" in text:  # a timestamp from Excel: keep the date
        text = re.split(r"[ T]", text)[0]
    match = _DMY.match(text)
    if match:
        day, month, year = match.groups()
        text = f"{year}-{month}-{day}"
    match = _DATE.match(text)
    if not match:
        raise ValueError(text)
    year, month, day = match.groups()
    if not FIRST_YEAR <= int(year) <= LAST_YEAR:
        raise ValueError(text)
    if month is None:
        return year
    date = dt.date(int(year), int(month), int(day or 1))  # raises for 2019-02-30
    return date.isoformat() if day else f"{date.year:04d}-{date.month:02d}"


def year_of(date: str | None) -> int | None:
    return int(date[:4]) if date else None


MONTHS = {
    "nl": ("jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec"),
    "en": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"),
}


def date_text(text, lang: str = "nl") -> str:
    """A recorded date as people read it: '2008', 'aug 2025', '7 aug 2025' ('' when
    empty or unreadable)."""
    if not isinstance(text, str) or not text.strip():
        return ""
    try:
        match = _DATE.match(parse_date(text))
    except ValueError:
        return ""
    if match is None:  # not reached: parse_date writes only what _DATE reads
        return ""
    year, month, day = match.groups()
    if month is None:
        return year
    name = MONTHS["en" if lang == "en" else "nl"][int(month) - 1]
    return f"{int(day)} {name} {year}" if day else f"{name} {year}"


def years_text(geopend: str, gesloten: str, lang: str = "nl") -> str:
    """When a record was open, in words: '2019–2024', 'sinds 2019', 'tot 2024',
    'aug 2025 – 7 okt 2025'; '' when neither date is known. The one way every page
    writes a record's years."""
    opened, closed = date_text(geopend, lang), date_text(gesloten, lang)
    if opened and closed:
        # A dash between two years is closed up; between dates that have spaces it is spaced.
        return f"{opened}–{closed}" if " " not in opened + closed else f"{opened} – {closed}"
    if closed:
        return f"{t('until', lang)} {closed}"
    if opened:
        return f"{t('since', lang)} {opened}"
    return ""


def is_stale(checked: str, months: int, today: datetime.date) -> bool:
    """Whether a record last confirmed on `checked` ("YYYY-MM-DD") was confirmed more than
    `months` months before `today`, so a reader should doubt it still exists. A record
    never confirmed ("") is not stale: only the sources that confirm (a gemeente's
    register) set the date, and the others (CBS, OpenStreetMap) carry their own age."""
    match = _DATE.match(checked or "")
    if not match or not match.group(3):
        return False
    year, month, day = (int(part) for part in match.groups())
    due_month = year * 12 + month - 1 + months
    due_year, due_month = divmod(due_month, 12)
    last_day = calendar.monthrange(due_year, due_month + 1)[1]
    return today > datetime.date(due_year, due_month + 1, min(day, last_day))


def stale_count(records: pd.DataFrame, months: int, today: datetime.date) -> int:
    """How many of `records` are stale (is_stale): the map draws them faded and says how many."""
    checked = records["laatst_gecontroleerd"]
    stale = {value for value in checked.unique() if is_stale(value, months, today)}
    return int(checked.isin(stale).sum())


@functools.lru_cache(maxsize=4096)
def _lookup(vocabulary: str, text: str) -> str | None:
    """vocab.lookup, remembered: an import repeats the same few spellings thousands of times."""
    return vocab.lookup(vocabulary, text)


def _code(vocabulary: str, field: str, text: str, problems: list[Problem]) -> str:
    code = _lookup(vocabulary, text)
    if code is None:
        known = ", ".join(vocab.VOCABULARIES[vocabulary])
        problems.append(Problem(field, text, f"onbekende waarde; kies uit: {known}"))
        return ""
    return code


def _codes(vocabulary: str, field: str, text: str, problems: list[Problem]) -> str:
    codes = [_code(vocabulary, field, part, problems) for part in split_list(text)]
    return join_list(dict.fromkeys(c for c in codes if c))


def _flag(field: str, text: str, problems: list[Problem]) -> str:
    value = text.strip().casefold()
    if value in ("", "onbekend"):
        return ""
    if value in ("ja", "j", "yes", "y", "true", "waar", "1", "x"):
        return "ja"
    if value in ("nee", "n", "no", "false", "onwaar", "0"):
        return "nee"
    problems.append(Problem(field, text, "verwacht ja of nee"))
    return ""


def _checked_date(value: str, problems: list[Problem]) -> str:
    """laatst_gecontroleerd: a whole day (a confirmation happens on one), not in the future."""
    import datetime as dt

    if not value:
        return ""
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = ""
    if len(parsed) != len("2026-03-01"):
        problems.append(Problem("laatst_gecontroleerd", value, "geen geldige dag; gebruik bijvoorbeeld 2026-03-01"))
        return ""
    if parsed > dt.date.today().isoformat():
        problems.append(Problem("laatst_gecontroleerd", value, "ligt in de toekomst"))
        return ""
    return parsed


def parse_fields(raw: dict[str, str]) -> tuple[dict[str, str], list[Problem]]:
    """Check and normalise the descriptive fields of one record (not its location).

    `raw` maps field names of FIELDS to the text a user gave. Returns the normalised
    fields and the problems found; the fields are only usable when there are none."""
    problems: list[Problem] = []
    text = {key: ("" if value is None else str(value)).strip() for key, value in raw.items()}
    record: dict[str, str] = {}

    record["naam"] = text.get("naam", "")
    if not record["naam"]:
        problems.append(Problem("naam", "", "naam ontbreekt"))
    for field, limit in MAX_TEXT.items():
        if len(text.get(field, "")) > limit:
            problems.append(Problem(field, text[field][:40] + "…", f"langer dan {limit} tekens"))
    if "omschrijving" in text:  # a cell of several lines, as Windows or an old Mac ends them
        text["omschrijving"] = text["omschrijving"].replace("\r\n", "\n").replace("\r", "\n")
    # Control characters (C0, DEL, C1) and bidi overrides and isolates are invisible or act
    # on what shows the text: an escape code clears an admin's terminal, an override makes
    # a name read as another. Refused in the fields stored as written (the others become
    # codes, dates or buurtcodes, which refuse them anyway); newline and tab only in omschrijving.
    for field in ("naam", "omschrijving", "url", "bron", "id", "opvolger_van"):
        hidden = re.search(
            f"[\x00-\x08\x0b-\x1f\x7f-\x9f{BIDI_CONTROLS}]"
            if field == "omschrijving"
            else f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]",
            text.get(field, ""),
        )
        if hidden:
            character = hidden.group()
            kind = "een onzichtbaar stuurteken" if ord(character) < 0x2000 else "een teken dat de leesrichting omdraait"
            problems.append(Problem(
                field, text[field],
                f"tekst met {kind}; verwijder het teken U+{ord(character):04X} (zulke tekens horen niet in een register)",
            ))  # fmt: skip

    if text.get("soort"):
        record["soort"] = _code("soort", "soort", text["soort"], problems)
    else:
        problems.append(Problem("soort", "", "soort ontbreekt"))
    record["strategie"] = (
        _code("strategie", "strategie", text["strategie"], problems) if text.get("strategie") else "onbekend"
    )
    record["actortype"] = _codes("actortype", "actortype", text.get("actortype", ""), problems)
    record["doelgroep"] = _codes("doelgroep", "doelgroep", text.get("doelgroep", ""), problems)
    record["tarief"] = _code("tarief", "tarief", text["tarief"], problems) if text.get("tarief") else ""
    record["tijdelijk"] = _flag("tijdelijk", text.get("tijdelijk", ""), problems)

    for field in ("geopend", "gesloten"):
        value = text.get(field, "")
        try:
            record[field] = parse_date(value) if value else ""
        except ValueError:
            problems.append(Problem(field, value, "geen geldige datum; gebruik een jaar (2019) of 2019-03-01"))
            record[field] = ""
    if record["geopend"] and record["gesloten"] and record["gesloten"] < record["geopend"]:
        problems.append(Problem("gesloten", text["gesloten"], "gesloten ligt vóór geopend"))
    record["laatst_gecontroleerd"] = _checked_date(text.get("laatst_gecontroleerd", ""), problems)

    url = text.get("url", "")
    if url and not re.match(r"^https?://[^\s<>\"']+$", url, re.IGNORECASE):
        problems.append(
            Problem(
                "url", url, "geen webadres (begint met http:// of https://, zonder spaties, aanhalingstekens of < >)"
            )
        )
    record["url"] = url

    for field in ("omschrijving", "opvolger_van", "bron", "id"):
        record[field] = text.get(field, "")
    codes = [code.upper() for code in split_list(text.get("werkgebied", ""))]
    wrong = next((code for code in codes if not BUURTCODE.match(code)), None)
    if wrong is not None:  # the first only: one line per row, however long the list
        problems.append(Problem("werkgebied", wrong, "geen buurtcode; verwacht BU en 8 cijfers, zoals BU03440611"))
    record["werkgebied"] = join_list(codes)
    return record, problems


def make_id(bron: str, naam: str, soort: str, lon: float, lat: float) -> str:
    """A stable id for a record that has none, so that importing the same file twice
    updates instead of duplicating. About 10 m of position tolerance."""
    key = f"{bron.casefold()}|{naam.casefold()}|{soort}|{lon:.4f}|{lat:.4f}"
    return hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def is_sample(bron: str | None) -> bool:
    """Whether a record with this bron is part of the illustrative, fictional sample."""
    return isinstance(bron, str) and bron.strip().casefold() == vocab.SAMPLE_BRON


def sample_mask(records: pd.DataFrame) -> pd.Series:
    """is_sample for each record of `records`, at once (a boolean Series on its index)."""
    return per_value(records["bron"], is_sample).astype(bool)


# The credit a source's licence asks for, in place of its bare name.
CREDITS = {vocab.OSM_BRON: vocab.OSM_CREDIT}


def credit(bron: str) -> str:
    """The credit of one bron: what its licence asks for, or the bron itself."""
    return CREDITS.get(bron, bron)


def sources_credit(records: pd.DataFrame, lang: str) -> str:
    """The credit for the records on the map: every real source, and the sample as such.

    CBS/Kadaster are credited by the base map; this goes with the records' layer."""
    sample = sample_mask(records)
    real = sorted({credit(bron) for bron in records["bron"].to_numpy()[~sample.to_numpy()]})
    if sample.any():
        real.append(t("sample_credit", lang))
    return " · ".join(real)
