"""How a problem in a register file is told: the error that refuses a whole file, one
problem of a row (file, row, column, value, what is wrong), and a user's value as shown
in a message."""

from __future__ import annotations

import logging
import unicodedata
from dataclasses import dataclass, field

import pandas as pd

from wijkmap.config import (
    MAX_SHOWN,
)
from wijkmap.core.records import FIELDS

log = logging.getLogger("wijkmap.data.sources.register")


class RegisterError(Exception):
    """A whole file cannot be read (corrupt, empty, unknown type, required column missing).

    Raised and caught inside this module only: `read_register` turns it into one
    `RowProblem` without a row, so callers have a single way to see what went wrong."""


@dataclass(frozen=True)
class RowProblem:
    """One thing wrong with a register file, addressed to the person who made it.

    `row` is the row number a spreadsheet shows (header = row 1) or, for GeoJSON and
    GeoPackage, the feature number (1-based, `unit` "object"); None for the whole file.
    `column` is the header as the user wrote it (`other_column` for a pair such as lat
    and lon); `value` is the offending text; `message` is the full Dutch explanation.
    `suggestions` are the nearest known codes for a value that is none (best first); the
    message ends with them ("bedoelde u vrijwilligersorganisatie?")."""

    file: str
    row: int | None
    column: str | None
    value: str
    message: str
    unit: str = "rij"
    other_column: str | None = None
    suggestions: tuple[str, ...] = ()

    def __str__(self) -> str:
        where = self.file
        if self.row is not None:
            where += f", {self.unit} {self.row}"
        if self.column and self.other_column:
            where += f', kolommen "{self.column}" en "{self.other_column}"'
        elif self.column:
            where += f', kolom "{self.column}"'
        return visible(f"{where}: {self.message}")


@dataclass
class RegisterResult:
    """The valid records of a file (columns records.FIELDS), what was wrong, and notes.

    `warnings` are things worth knowing that do not block an import (ignored columns).
    `headers` are the file's column headers as written (empty when it could not be read);
    `unknown_headers` those that are neither a template column nor mapped to one, so a
    page can offer to map them (also when the file was refused for a missing naam)."""

    records: pd.DataFrame
    problems: list[RowProblem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    unknown_headers: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


def shown(text: str) -> str:
    """A user's value as repeated in a message: cut short, so a huge cell is no huge
    message, and with its invisible characters made visible (see `visible`)."""
    return visible(text if len(text) <= MAX_SHOWN else text[: MAX_SHOWN - 1] + "…")


_INVISIBLE = ("Cc", "Cf", "Cs", "Zl", "Zp")  # control, format, lone surrogate, line/paragraph separator


def visible(text: str) -> str:
    """`text` with every control or format character written as Python writes it
    ("\\x1b", "\\n", "\\u202e"): an escape code from a cell must not reach the terminal
    that shows the message, and a zero-width or bidi character is then seen, not hidden."""
    if text.isascii() and text.isprintable():
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if unicodedata.category(ch) in _INVISIBLE else ch for ch in text
    )


def dutch_count(number: int) -> str:
    return f"{number:,}".replace(",", ".")


def empty_records() -> pd.DataFrame:
    frame = pd.DataFrame({name: pd.Series(dtype=object) for name in FIELDS})
    return frame.astype({"lon": float, "lat": float})
