"""A need profile: several CBS indicators, each standardised within its gemeente, and
their weighted mean, with every part kept so a table can show how a score came about.

Each indicator is turned into a z-score over the areas of one gemeente at one level
((value - mean) / standard deviation, the population standard deviation, so a
hand-made example is easy to check), signed so that a higher z means more need (the
catalogue's `hoger_is_meer_nood`). A z of 1 reads "one standard deviation needier than
the average area of this gemeente": the scale is relative to the gemeente, not to the
country. Areas with fewer than NEED_MIN_INWONERS inwoners get no score and do not count
in the mean and deviation: a percentage of a handful of people says little.

Pure: no Streamlit, no folium.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijkmap.config import NEED_MAX_INDICATORS, NEED_MAX_WEIGHT, NEED_MIN_INWONERS
from wijkmap.core import analysis, indeling

SCORE = "score"
N_INDICATORS = "n_indicators"


@dataclass(frozen=True)
class NeedProfile:
    """The indicators of a need score and their weights (a missing weight is 1)."""

    indicators: list[str]
    weights: dict[str, float] = field(default_factory=dict)

    def weight(self, indicator: str) -> float:
        return float(self.weights.get(indicator, 1.0))

    @classmethod
    def from_view(cls, nood: dict[str, int]) -> NeedProfile:
        """The profile of a ViewState's `nood` field (indicator -> whole weight)."""
        return cls(list(nood), {code: float(weight) for code, weight in nood.items()})


def need_indicators(catalogue: pd.DataFrame) -> pd.DataFrame:
    """The catalogue rows that say which way need goes (hoger_is_meer_nood set) and have
    figures: the indicators a need profile may hold."""
    direction = catalogue["hoger_is_meer_nood"]
    has_years = catalogue["jaren"].fillna("").astype(str) != ""
    return catalogue[direction.notna() & has_years]


def profile_for(nood: dict[str, int], indicator: str, catalogue: pd.DataFrame) -> tuple[NeedProfile | None, list[str]]:
    """The need profile of a view (its `nood` setting and the `indicator` its map is
    coloured by), and the indicators of `nood` left out (unknown, or saying nothing about
    need). Without a usable `nood`, the map's own indicator when it says which way need
    goes; else None (no ranking can be made)."""
    usable = set(need_indicators(catalogue)["indicator"])
    kept = {code: weight for code, weight in nood.items() if code in usable}
    dropped = [code for code in nood if code not in usable]
    if kept:
        return NeedProfile.from_view(kept), dropped
    if indicator in usable:
        return NeedProfile([indicator]), dropped
    return None, dropped


def check_profile(profile: NeedProfile, catalogue: pd.DataFrame) -> None:
    """Raise ValueError naming what is wrong with `profile`: an unknown indicator, one
    that says nothing about need, too many, or a weight out of range."""
    if not profile.indicators:
        raise ValueError("een nood-profiel heeft minstens één indicator nodig")
    if len(profile.indicators) > NEED_MAX_INDICATORS:
        raise ValueError(f"een nood-profiel heeft hoogstens {NEED_MAX_INDICATORS} indicatoren")
    known = set(catalogue["indicator"])
    usable = set(need_indicators(catalogue)["indicator"])
    for code in profile.indicators:
        if code not in known:
            raise ValueError(f'onbekende indicator "{code}" in het nood-profiel')
        if code not in usable:
            raise ValueError(f'indicator "{code}" zegt niets over nood (geen richting in de catalogus)')
        weight = profile.weight(code)
        if not 0 < weight <= NEED_MAX_WEIGHT:
            raise ValueError(f'gewicht {weight:g} van "{code}" ligt niet tussen 0 en {NEED_MAX_WEIGHT}')


def indicator_year(statistics: pd.DataFrame, indicator: str, jaar: int, codes: Collection[str]) -> int | None:
    """The year whose figures of `indicator` a score of `jaar` uses for these areas:
    `jaar` itself when it has any, else the newest earlier year, else the oldest later
    one (bijstand has 2015 and 2023 only); None without any figure."""
    rows = statistics[(statistics["indicator"] == indicator) & statistics["code"].isin(set(codes))]
    years = sorted({int(year) for year in rows.loc[rows["waarde"].notna(), "jaar"]})
    if not years:
        return None
    if jaar in years:
        return jaar
    earlier = [year for year in years if year < jaar]
    return earlier[-1] if earlier else years[0]


def zscores(values: pd.Series, groups: pd.Series) -> pd.Series:
    """(value - mean) / population standard deviation within each group, by index.

    A group of one value, or of equal values, says nobody stands out: z = 0 there."""
    frame = pd.DataFrame({"v": values.astype(float), "g": groups.reindex(values.index)})
    grouped = frame.groupby("g")["v"]
    mean = grouped.transform("mean")
    std = grouped.transform(lambda v: v.std(ddof=0))
    z = (frame["v"] - mean) / std.where(std > 0)
    return z.where(~(frame["v"].notna() & (std.fillna(0) == 0)), 0.0)


def need_scores(
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    codes: Collection[str],
    jaar: int,
    profile: NeedProfile,
    layer_jaar: int | None = None,
    min_inwoners: float = NEED_MIN_INWONERS,
) -> pd.DataFrame:
    """The need score of each area code: one z-score column per indicator of `profile`
    (higher = more need, standardised within the area's gemeente; gemeenten over all
    gemeenten given), `score` (their mean
    weighted by the profile, over the indicators the area has a figure for) and
    `n_indicators` (how many that is). The frame's `attrs["jaren"]` says which year each
    indicator's figures are of (indicator_year).

    With `layer_jaar` (the indeling of the areas drawn), figures of another year count
    only where indeling.comparable allows, as on the map."""
    check_profile(profile, catalogue)
    codes = list(dict.fromkeys(codes))
    index = pd.Index(codes, name="code")
    gemeente = pd.Series(indeling.gemeente_of(pd.Series(codes, dtype=str)).to_numpy(), index=index)
    # Gemeenten (the national view) are standardised over all of them.
    groups = gemeente.where(~index.str.startswith("GM"), "NL")
    direction = catalogue.set_index("indicator")["hoger_is_meer_nood"]
    inwoners = _inwoners(statistics, codes, jaar)
    big_enough = inwoners >= max(min_inwoners, 1)
    table = pd.DataFrame(index=index)
    years: dict[str, int | None] = {}
    for indicator in profile.indicators:
        year = indicator_year(statistics, indicator, jaar, codes)
        years[indicator] = year
        if year is None:
            table[indicator] = np.nan
            continue
        values = analysis.indicator_values(statistics, indicator, year, codes).astype(float)
        if layer_jaar is not None and year != layer_jaar:
            reasons = indeling.comparable(statistics, indicator, year, codes, layer_jaar, gemeente)
            values = values.where((reasons == "").to_numpy())
        values = values.where(big_enough.to_numpy())
        sign = 1.0 if _truthy(direction[indicator]) else -1.0
        table[indicator] = (sign * zscores(values, groups)).to_numpy()
    parts = table[profile.indicators]
    weights = pd.Series({code: profile.weight(code) for code in profile.indicators})
    present = parts.notna()
    weighted = (parts.fillna(0) * weights).sum(axis=1)
    total = (present * weights).sum(axis=1)
    table[SCORE] = (weighted / total.where(total > 0)).to_numpy()
    table[N_INDICATORS] = present.sum(axis=1).astype(int).to_numpy()
    table.attrs["jaren"] = years
    return table


def _truthy(value) -> bool:
    """hoger_is_meer_nood as stored: a bool, or text ('True', '1', 'ja') from a file."""
    if isinstance(value, str):
        return value.strip().lower() in ("true", "1", "ja", "yes")
    return bool(value)


def _inwoners(statistics: pd.DataFrame, codes: list[str], jaar: int) -> pd.Series:
    """Inwoners of each area in the year the figures use (indicator_year)."""
    year = indicator_year(statistics, "inwoners", jaar, codes)
    if year is None:
        return pd.Series(np.nan, index=pd.Index(codes, name="code"))
    return analysis.indicator_values(statistics, "inwoners", year, codes).astype(float).rename_axis("code")
