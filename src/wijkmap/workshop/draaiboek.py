"""The draaiboek: a sequence of prepared views for a workshop, as a file and as a link.

A step is a title, a short note for the room and a view: the URL query dict that
`view.to_query` makes, so a step holds exactly what a link to that view holds. A
draaiboek is saved as JSON::

    {"format": "wijkmap-draaiboek", "version": 1,
     "steps": [{"title": "Jouw wijk", "note": "…", "view": {"gemeente": "GM0344", …}}, …]}

and travels in a link as base64url of that JSON, zlib-compressed (`encode`/`decode`).
Reading is strict, unlike a plain view link: a draaiboek is prepared on purpose, so an
unknown field or a bad value refuses the whole file with one Dutch line per problem
naming the step and the field, instead of silently showing another view in front of a
room. Nothing here imports Streamlit.
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
import json
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

from wijkmap.config import (
    DRAAIBOEK_MAX_CHARS as MAX_LINK_CHARS,
    DRAAIBOEK_MAX_DEPTH as MAX_DEPTH,
    DRAAIBOEK_MAX_FILE_BYTES as MAX_FILE_BYTES,
    DRAAIBOEK_MAX_NOTE as MAX_NOTE,
    DRAAIBOEK_MAX_STEPS as MAX_STEPS,
    DRAAIBOEK_MAX_TITLE as MAX_TITLE,
)
from wijkmap.core import view as view_state
from wijkmap.core.view import ViewState

FORMAT = "wijkmap-draaiboek"
VERSION = 1
# Lists and objects inside each other (DRAAIBOEK_MAX_DEPTH): Python's JSON reader recurses
# per level and fails past ~1000 with a RecursionError.
# Settings of the session, not of a view: a step never carries them.
NOT_IN_A_STEP = ("presentatie", "draaiboek", "stap", "lang")
VIEW_FIELDS = tuple(f.name for f in dataclasses.fields(ViewState) if f.name not in NOT_IN_A_STEP)
_TOP_FIELDS = ("format", "version", "steps")
_STEP_FIELDS = ("title", "note", "view")


class DraaiboekError(ValueError):
    """A draaiboek that cannot be read; `problems` holds one Dutch line per problem."""

    def __init__(self, problems: Iterable[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


@dataclass(frozen=True)
class Step:
    title: str
    note: str
    view: dict[str, str]  # the query parameters of the view (view.to_query)

    def state(self, base: ViewState | None = None) -> ViewState:
        """The view of this step; the session settings (language, presentation, the
        draaiboek itself) are taken from `base`."""
        restored, _ = view_state.from_query(self.view)
        if base is not None:
            restored = dataclasses.replace(restored, **{name: getattr(base, name) for name in NOT_IN_A_STEP})
        return restored


@dataclass(frozen=True)
class Draaiboek:
    steps: tuple[Step, ...] = ()

    def __len__(self) -> int:
        return len(self.steps)

    def add(self, step: Step) -> Draaiboek:
        if len(self.steps) >= MAX_STEPS:
            raise DraaiboekError([f"Een draaiboek heeft hoogstens {MAX_STEPS} stappen."])
        _check_step_text(step.title, step.note, len(self.steps) + 1)
        return Draaiboek((*self.steps, step))

    def remove(self, index: int) -> Draaiboek:
        """Without step `index` (0-based)."""
        return Draaiboek(tuple(s for i, s in enumerate(self.steps) if i != index))

    def move(self, index: int, offset: int) -> Draaiboek:
        """Step `index` moved `offset` places (-1: one up), kept within the list."""
        target = min(max(index + offset, 0), len(self.steps) - 1)
        steps = list(self.steps)
        steps.insert(target, steps.pop(index))
        return Draaiboek(tuple(steps))


def step_from_state(state: ViewState, title: str, note: str = "") -> Step:
    """A step showing `state`, with its title and note (stripped)."""
    query = view_state.to_query(state)
    view = {name: query[name] for name in VIEW_FIELDS if name in query}
    title, note = title.strip(), note.strip()
    _check_step_text(title, note, None)
    return Step(title, note, view)


def _check_step_text(title: str, note: str, number: int | None) -> None:
    where = f"Stap {number}: " if number else ""
    problems = []
    if not title:
        problems.append(f"{where}geef de stap een titel.")
    elif len(title) > MAX_TITLE:
        problems.append(f"{where}de titel is {len(title)} tekens; hoogstens {MAX_TITLE}.")
    if len(note) > MAX_NOTE:
        problems.append(f"{where}de toelichting is {len(note)} tekens; hoogstens {MAX_NOTE}.")
    if problems:
        raise DraaiboekError(problems)


# --- file --------------------------------------------------------------------------------


def to_dict(draaiboek: Draaiboek) -> dict:
    return {
        "format": FORMAT,
        "version": VERSION,
        "steps": [{"title": s.title, "note": s.note, "view": dict(s.view)} for s in draaiboek.steps],
    }


def to_json(draaiboek: Draaiboek) -> str:
    """The draaiboek as a readable JSON file (UTF-8, one field per line)."""
    return json.dumps(to_dict(draaiboek), ensure_ascii=False, indent=2) + "\n"


def from_json(data: bytes | str) -> Draaiboek:
    """Read a draaiboek file; raises DraaiboekError naming every problem."""
    if isinstance(data, bytes):
        if len(data) > MAX_FILE_BYTES:
            raise DraaiboekError(
                [
                    f"Het bestand is te groot ({len(data) // 1000} kB); een draaiboek is hoogstens "
                    f"{MAX_FILE_BYTES // 1000} kB."
                ]
            )
        try:
            data = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise DraaiboekError(["Het bestand is geen tekst in UTF-8; is het wel een draaiboek (.json)?"]) from None
    elif len(data) > MAX_FILE_BYTES:
        raise DraaiboekError([f"Het draaiboek is te groot; hoogstens {MAX_FILE_BYTES // 1000} kB."])
    # A byte order mark left in text (decoded without "-sig", or saved twice by an editor)
    # is no JSON, and Python's reader refuses it in English.
    data = data.lstrip("\ufeff")
    _check_depth(data)
    try:
        document = json.loads(data, parse_int=_parse_int)
    except json.JSONDecodeError as error:
        raise DraaiboekError(
            [f"Het bestand is geen geldige JSON (regel {error.lineno}, kolom {error.colno}: {error.msg})."]
        ) from None
    try:  # JSON may write half of a UTF-16 pair (\ud800): no text holds one, and the page cannot show it
        json.dumps(document, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        raise DraaiboekError(
            ["Het draaiboek bevat een ongeldig teken (een losse helft van een \\u-paar, zoals \\ud800)."]
        ) from None
    return from_dict(document)


def _parse_int(text: str) -> int:
    # Python refuses to read an integer of more than 4300 digits with a ValueError.
    if len(text) > 20:
        raise DraaiboekError(
            [
                f"Het draaiboek bevat een getal van {len(text)} cijfers; een draaiboek heeft geen "
                "getallen langer dan 20 cijfers."
            ]
        )
    return int(text)


_NESTING = re.compile(r'"(?:[^"\\]|\\.)*"|[\[{\]}]')  # a string (skipped whole), or a bracket


def _check_depth(text: str) -> None:
    depth = 0
    for match in _NESTING.finditer(text):
        token = match.group()
        if token in ("[", "{"):
            depth += 1
            if depth > MAX_DEPTH:
                line = text.count("\n", 0, match.start()) + 1
                column = match.start() - text.rfind("\n", 0, match.start())
                raise DraaiboekError(
                    [
                        f"Het draaiboek is te diep genest (regel {line}, kolom {column}: meer dan "
                        f"{MAX_DEPTH} lijsten of objecten in elkaar; een draaiboek heeft er 4)."
                    ]
                )
        elif token in ("]", "}"):
            depth -= 1


def from_dict(document) -> Draaiboek:
    if not isinstance(document, dict):
        raise DraaiboekError(["Een draaiboek is een JSON-object met de velden format, version en steps."])
    problems = [
        f"Onbekend veld ‘{_show(name)}’ in het draaiboek (toegestaan: {', '.join(_TOP_FIELDS)})."
        for name in document
        if name not in _TOP_FIELDS
    ]
    if document.get("format") != FORMAT:
        problems.append(
            f"Veld format: verwacht ‘{FORMAT}’, niet {_value(document.get('format'))}; "
            "is dit wel een wijkmap-draaiboek?"
        )
    version = document.get("version")
    if type(version) is not int or version != VERSION:  # true and 1.0 equal 1 in Python, not in JSON
        problems.append(f"Veld version: deze versie van wijkmap leest versie {VERSION}, niet {_value(version)}.")
    steps = document.get("steps")
    if not isinstance(steps, list):
        problems.append("Veld steps: verwacht een lijst met stappen.")
        raise DraaiboekError(problems)
    if not steps:
        problems.append("Het draaiboek heeft geen stappen.")
    if len(steps) > MAX_STEPS:
        problems.append(f"Het draaiboek heeft {len(steps)} stappen; hoogstens {MAX_STEPS}.")
    read = []
    for number, raw in enumerate(steps, start=1):
        step, step_problems = _read_step(raw, number)
        problems.extend(step_problems)
        read.append(step)
    if problems:
        raise DraaiboekError(problems)
    return Draaiboek(tuple(read))


def _read_step(raw, number: int) -> tuple[Step | None, list[str]]:
    where = f"Stap {number}"
    if not isinstance(raw, dict):
        return None, [f"{where}: verwacht een object met title, note en view, niet {_value(raw)}."]
    problems = [
        f"{where}: onbekend veld ‘{_show(name)}’ (toegestaan: {', '.join(_STEP_FIELDS)})."
        for name in raw
        if name not in _STEP_FIELDS
    ]
    title, note, view = raw.get("title"), raw.get("note", ""), raw.get("view")
    if not isinstance(title, str) or not title.strip():
        problems.append(f"{where}, veld title: verwacht een titel (tekst), niet {_value(title)}.")
    elif len(title.strip()) > MAX_TITLE:
        problems.append(f"{where}, veld title: {len(title.strip())} tekens; hoogstens {MAX_TITLE}.")
    if not isinstance(note, str):
        problems.append(f"{where}, veld note: verwacht tekst, niet {_value(note)}.")
    elif len(note.strip()) > MAX_NOTE:
        problems.append(f"{where}, veld note: {len(note.strip())} tekens; hoogstens {MAX_NOTE}.")
    if not isinstance(view, dict):
        problems.append(
            f"{where}, veld view: verwacht een object met de instellingen van de kaart, niet {_value(view)}."
        )
        return None, problems
    for name, value in view.items():
        field = f"view.{_show(name)}"
        if name in NOT_IN_A_STEP:
            problems.append(f"{where}, veld {field}: hoort niet in een stap (het is een instelling van de sessie).")
        elif name not in VIEW_FIELDS:
            problems.append(f"{where}: onbekend veld ‘{field}’.")
        elif not isinstance(value, str):
            problems.append(f"{where}, veld {field}: verwacht tekst zoals in een link, niet {_value(value)}.")
        elif view_state.from_query({name: value})[1]:
            problems.append(f"{where}, veld {field}: ongeldige waarde {_value(value)}.")
    if problems:
        return None, problems
    return Step(title.strip(), note.strip(), dict(view)), []


def _show(text, limit: int = 60) -> str:
    text = str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _value(value) -> str:
    """A value as a message shows it: JSON, shortened."""
    return "niets" if value is None else _show(json.dumps(value, ensure_ascii=False))


# --- link ----------------------------------------------------------------------------------


def encode(draaiboek: Draaiboek) -> str:
    """The draaiboek as compact URL-safe text: base64url of zlib-compressed JSON.

    Raises DraaiboekError when the result would be too long for a link."""
    compact = json.dumps(to_dict(draaiboek), ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    text = base64.urlsafe_b64encode(zlib.compress(compact, 9)).decode("ascii").rstrip("=")
    if len(text) > MAX_LINK_CHARS:
        raise DraaiboekError(
            [
                f"Het draaiboek is te lang voor een link ({len(text)} tekens; hoogstens "
                f"{MAX_LINK_CHARS}), en wijkmap houdt een draaiboek in de link bij. Maak de "
                "toelichtingen korter of gebruik minder stappen."
            ]
        )
    return text


def decode(text: str) -> Draaiboek:
    """The draaiboek in a link; raises DraaiboekError for anything that is not one."""
    text = text.strip()
    if len(text) > MAX_LINK_CHARS:
        raise DraaiboekError(
            [f"De link met het draaiboek is te lang ({len(text)} tekens; hoogstens {MAX_LINK_CHARS})."]
        )
    inflater = zlib.decompressobj()
    try:
        packed = base64.b64decode(text + "=" * (-len(text) % 4), altchars=b"-_", validate=True)
        data = inflater.decompress(packed, MAX_FILE_BYTES)  # bounded: no zip bomb
    except (binascii.Error, ValueError, zlib.error):
        raise DraaiboekError(["Het draaiboek in de link is beschadigd (is de link volledig gekopieerd?)."]) from None
    if inflater.unconsumed_tail:
        raise DraaiboekError([f"Het draaiboek in de link is te groot; hoogstens {MAX_FILE_BYTES // 1000} kB."])
    if not inflater.eof:
        raise DraaiboekError(["Het draaiboek in de link is onvolledig (is de link volledig gekopieerd?)."])
    return from_json(data)


# --- does a step still fit the data? -------------------------------------------------------------


@dataclass(frozen=True)
class Known:
    """What the data holds now, to check a step against."""

    gemeenten: dict[str, str]  # code -> name
    indicators: frozenset[str]  # indicators with figures
    bronnen: frozenset[str]
    areas: frozenset[str] | None = None  # every area code of the store; None: not checked


def missing_in_data(state: ViewState, known: Known, area_codes: Iterable[str] | None = None) -> list[str]:
    """What a step's view refers to that the data no longer holds, as Dutch sentences.

    `area_codes` (the areas the map shows) checks the selected gebied; None skips it."""
    notes = []
    if state.gemeente and state.gemeente not in known.gemeenten:
        notes.append(f"Gemeente {state.gemeente} staat niet (meer) in de gegevens; de kaart toont heel Nederland.")
    if state.indicator not in known.indicators:
        notes.append(f"De indicator ‘{state.indicator}’ is er niet (meer); de kaart kleurt naar een andere.")
    if area_codes is not None and state.gebied and state.gebied not in set(area_codes):
        notes.append(f"Het gebied {state.gebied} staat niet (meer) op deze kaart; er is geen gebied gekozen.")
    lost = [code for code in state.vergelijk if known.areas is not None and code not in known.areas]
    if lost:
        notes.append(
            f"De vergelijking noemt {', '.join(lost)}, dat niet (meer) in de gegevens staat; er wordt niet vergeleken."
        )
    gone = [bron for bron in state.bron if bron not in known.bronnen]
    if gone:
        notes.append("Deze bron is er niet (meer): " + ", ".join(f"‘{b}’" for b in gone) + ".")
    return notes
