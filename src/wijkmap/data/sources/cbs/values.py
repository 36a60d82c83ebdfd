"""CBS values: missing markers read as missing, and the recipes that turn columns into indicators.

Missing and secret values (-99999999 in the 2015 files, "." in the KWB exports, empty
cells, null in CBS's OData) always become missing and are left out of the statistics,
never turned into zero: a zero on the map would read as "none here".
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

# How CBS marks a value that is unknown or kept secret.
MISSING_TEXT = frozenset({"", "."})
MISSING_NUMBERS = (-99999999.0, -99999997.0)


def to_number(values: pd.Series, where: str = "") -> pd.Series:
    """Floats from a CBS column, with every missing or secret marker as NaN.

    Any other text raises, naming `where` and the value, so a marker we do not know about
    is noticed rather than silently read as missing (or worse, as zero).
    """
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype(float)
    else:
        text = values.astype(object).where(values.notna(), "").astype(str).str.strip()
        text = text.mask(text.isin(MISSING_TEXT))
        numbers = pd.to_numeric(text, errors="coerce").astype(float)
        bad = numbers.isna() & text.notna()
        if bad.any():
            # The first bad row by position: its label for the message, its text by position
            # (a label from idxmax is only Hashable, which pandas' indexers are not typed to take).
            position = int(bad.to_numpy().argmax())
            raise ValueError(
                f"{where or 'CBS-kolom'}: geen getal in rij {bad.index[position]}: {text.iloc[position]!r}"
            )
    return numbers.mask(numbers.isin(MISSING_NUMBERS))


@dataclass(frozen=True)
class Published:
    """A figure as CBS published it, missing where its base count is 0 or missing.

    CBS 2015 prints percentages for buurten whose rounded population or household count
    is 0 (up to 100% of one or two people); those say nothing about a neighbourhood.
    """

    column: str
    base: str

    @property
    def columns(self) -> set[str]:
        return {self.column, self.base}

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        return frame[self.column].where(frame[self.base] > 0)


@dataclass(frozen=True)
class Sum:
    """The sum of counts, missing if any part is missing (a partial sum is not a total)."""

    parts: tuple[str, ...]

    @property
    def columns(self) -> set[str]:
        return set(self.parts)

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        return frame[list(self.parts)].sum(axis=1, skipna=False)


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator x scale; missing where the denominator is 0 or missing."""

    numerator: Expression
    denominator: Expression
    scale: float = 100.0

    @property
    def columns(self) -> set[str]:
        return columns_of(self.numerator) | columns_of(self.denominator)

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        denominator = evaluate(self.denominator, frame)
        return evaluate(self.numerator, frame) / denominator.where(denominator > 0) * self.scale


# A recipe for one indicator: a column name, or one of the classes above.
Expression = str | Published | Sum | Ratio


def evaluate(expression: Expression, frame: pd.DataFrame) -> pd.Series:
    return frame[expression] if isinstance(expression, str) else expression.evaluate(frame)


def columns_of(expression: Expression) -> set[str]:
    return {expression} if isinstance(expression, str) else expression.columns
