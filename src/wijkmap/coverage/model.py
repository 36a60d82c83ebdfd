"""What the store holds for a gemeente (or the country), without Streamlit.

Three questions a user asks before trusting a map: which figures are there (indicators
per level and year), on which boundaries can they be drawn (area layers per level and
indeling year), and which provisions are known (per source, how many, of which dates,
and whether they are the illustrative sample). The pages show the answer; this module
computes it from the store's reads, so it is tested without a browser.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from wijkmap.core import indeling
from wijkmap.core.records import CREDITS, is_sample

# CBS codes carry their gemeente: GM0344, WK034406, BU03440611 all belong to GM0344.
LEVELS = {"GM": "gemeente", "WK": "wijk", "BU": "buurt"}
LEVEL_ORDER = ("buurt", "wijk", "gemeente")

# Licence or credit of a provision source, by bron (the credits a licence asks for, and the
# bundled repair cafés' licence); a register's own terms are its owner's.
SOURCE_TERMS = {**CREDITS, "Repair Cafés in Amsterdam": "GPL-3.0 (repaircafes-in-amsterdam)"}


@dataclass(frozen=True)
class Figures:
    """The indicators with a value at one level in one year, and for how many areas."""

    niveau: str
    jaar: int
    indicators: tuple[str, ...]
    areas: int  # with at least one figure
    bronnen: tuple[str, ...]
    areas_per_indicator: tuple[tuple[str, int], ...] = ()


@dataclass(frozen=True)
class Boundaries:
    """One area layer (a level as drawn in one indeling year) and how many areas of it lie here."""

    niveau: str
    jaar: int
    layer: str
    areas: int


@dataclass(frozen=True)
class ProvisionSource:
    """The provisions of one source: how many, their oldest and newest date, and whether
    they are the fictional sample."""

    bron: str
    count: int
    open_now: int
    first: str  # the oldest geopend/gesloten ("YYYY" or "YYYY-MM-DD"), "" when none has a date
    newest: str
    sample: bool
    terms: str


@dataclass(frozen=True)
class Coverage:
    gemeente: str | None  # None: the whole country
    figures: tuple[Figures, ...]
    boundaries: tuple[Boundaries, ...]
    sources: tuple[ProvisionSource, ...]

    @property
    def real_sources(self) -> tuple[ProvisionSource, ...]:
        return tuple(source for source in self.sources if not source.sample)

    @property
    def has_sample(self) -> bool:
        return any(source.sample for source in self.sources)


def level_of(codes: pd.Series) -> pd.Series:
    return codes.astype(str).str[:2].map(LEVELS).fillna("")


def figures(statistics: pd.DataFrame, gemeente: str | None = None) -> tuple[Figures, ...]:
    """Per level and year: the indicators with a value, and the number of areas with one."""
    rows = statistics
    if gemeente:
        rows = rows[indeling.gemeente_of(rows["code"]) == gemeente]
    rows = rows.assign(niveau=level_of(rows["code"]))
    rows = rows[rows["niveau"] != ""]
    result = []
    for (niveau, _), group in rows.groupby(["niveau", "jaar"], sort=False):
        result.append(
            Figures(
                niveau=str(niveau),
                jaar=int(group["jaar"].iloc[0]),
                indicators=tuple(sorted(group["indicator"].unique())),
                areas=int(group["code"].nunique()),
                bronnen=tuple(sorted(group["bron"].dropna().unique())),
                areas_per_indicator=tuple(
                    (str(code), int(count)) for code, count in group.groupby("indicator")["code"].nunique().items()
                ),
            )
        )
    return tuple(sorted(result, key=lambda item: (LEVEL_ORDER.index(item.niveau), -item.jaar)))


def boundaries(area_names: dict[str, pd.DataFrame], gemeente: str | None = None) -> tuple[Boundaries, ...]:
    """The area layers with areas here. `area_names` maps a layer name to its areas'
    code and gemeentecode (store.read_area_names)."""
    result = []
    for layer, names in area_names.items():
        parts = indeling.layer_parts(layer)
        if parts is None:
            continue
        count = int((names["gemeentecode"] == gemeente).sum()) if gemeente else len(names)
        if count:
            result.append(Boundaries(niveau=parts[0], jaar=parts[1], layer=layer, areas=count))
    return tuple(sorted(result, key=lambda item: (LEVEL_ORDER.index(item.niveau), -item.jaar)))


def provision_sources(
    records: pd.DataFrame, gemeente: str | None = None, today: str = ""
) -> tuple[ProvisionSource, ...]:
    """Per source: the count, how many are open (no gesloten, or one after `today`), and
    the span of their dates. Real sources first, the sample last."""
    if gemeente:
        records = records[records["gemeentecode"] == gemeente]
    result = []
    for bron, group in records.groupby("bron", sort=True):
        dates = pd.concat([group["geopend"], group["gesloten"]]).fillna("").astype(str)
        dates = dates[dates != ""]
        closed = group["gesloten"].fillna("").astype(str)
        open_now = closed.eq("") | (closed > today if today else False)
        result.append(
            ProvisionSource(
                bron=str(bron),
                count=len(group),
                open_now=int(open_now.sum()),
                first=dates.min() if len(dates) else "",
                newest=dates.max() if len(dates) else "",
                sample=is_sample(str(bron)),
                terms=SOURCE_TERMS.get(str(bron), ""),
            )
        )
    return tuple(sorted(result, key=lambda source: (source.sample, -source.count, source.bron)))


def coverage(
    statistics: pd.DataFrame,
    area_names: dict[str, pd.DataFrame],
    records: pd.DataFrame,
    gemeente: str | None = None,
    today: str = "",
) -> Coverage:
    """What the store holds for `gemeente` (a GM code), or for the country when None."""
    return Coverage(
        gemeente=gemeente,
        figures=figures(statistics, gemeente),
        boundaries=boundaries(area_names, gemeente),
        sources=provision_sources(records, gemeente, today),
    )


def date_span(source: ProvisionSource) -> str:
    """The years a source's dates cover: '2024–2026', '2019', or '' without dates."""
    first, last = source.first[:4], source.newest[:4]
    if not first:
        return ""
    return first if first == last else f"{first}–{last}"
