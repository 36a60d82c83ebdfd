"""Areas side by side: two to four buurten, wijken or gemeenten, from any gemeente.

For the council: the figures of each area in the newest year they all have, against
each area's own gemeente and the country; the provisions in each per category and
strategy; the bonding/bridging x formal/informal counts; and what changed in a period
(the Verandering logic, change.model). Pure: no Streamlit, no folium; the page
(compare_view), the exports (compare_export) and the report call this.

Which records lie in an area: those that carry its code (records are placed in the
buurten of the newest buurt layer of their gemeente, with that buurt's wijk and
gemeente). An area whose code no record carries (a wijk of 2024 where records carry
the 2015 wijkcodes) is counted by where the records lie, given its boundary (`shapes`).
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkmap.change import model as change_model
from wijkmap.config import RD_NEW
from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import sample_mask, sources_credit
from wijkmap.core.view import COMPARE_MAX, COMPARE_MIN
from wijkmap.council.search import AreaIndex

_CODE = re.compile(r"^(GM\d{4}|WK\d{6}|BU\d{8})$")
STRATEGY_COLUMNS = ["bonding", "bridging", "beide", "onbekend"]
PROVISION_COLUMNS = ["code", "categorie", *STRATEGY_COLUMNS, "totaal", "voorbeeld"]
CHANGE_COLUMNS = change_model.BALANCE_COLUMNS
REFERENCE_NL = "nederland"


@dataclass(frozen=True)
class Area:
    """An area compared; `kaart`: the store has its boundaries (for the small map)."""

    code: str
    naam: str
    niveau: str
    gemeentecode: str
    gemeentenaam: str
    kaart: bool = True

    def label(self) -> str:
        return f"{self.naam} ({self.code})"


@dataclass
class Comparison:
    """What compare() found. `indicators`: one row per indicator (indicator, label,
    eenheid), then one column per area code, then `gemeente:<GMcode>` per gemeente of the
    areas and `nederland`, all of year `jaar`; `provisions`: PROVISION_COLUMNS, a row per
    area and category; `matrix`: analysis.strategy_formality per area code; `change`:
    change.model.balance per area code over `periode` (None without a period)."""

    areas: list[Area]
    jaar: int | None
    indicators: pd.DataFrame
    provisions: pd.DataFrame
    matrix: pd.DataFrame
    change: pd.DataFrame | None
    periode: tuple[int, int] | None = None
    peiljaar: int | None = None
    sources: list[str] = field(default_factory=list)
    sample: bool = False  # the fictional sample is among the provisions counted
    # Areas in a gemeente of which no provisions are known: their counts are no finding
    # (NaN in comparison_table, with a note), not zeros.
    unknown: list[str] = field(default_factory=list)
    # Areas no boundary of the store has (a 2024 buurt): records carry only codes of the
    # store's layers, so none can be counted there (NaN too, with its own note).
    unplaced: list[str] = field(default_factory=list)
    # indicator -> (Dutch, English) label, so the table can be read in either language
    labels: dict[str, tuple[str, str]] = field(default_factory=dict)

    @property
    def codes(self) -> list[str]:
        return [area.code for area in self.areas]


def check_codes(codes: Iterable[str]) -> list[str]:
    """The codes as compare() takes them (capitals, repeats dropped); a ValueError (Dutch)
    naming what is wrong: too few, too many, or one that is no CBS area code."""
    typed = [str(code).strip() for code in codes if str(code).strip()]
    for code in typed:
        if not _CODE.match(code.upper()):
            raise ValueError(f'"{code}" is geen gebiedscode (zoals GM0344, WK034401 of BU03440111)')
    wanted = list(dict.fromkeys(code.upper() for code in typed))
    if not COMPARE_MIN <= len(wanted) <= COMPARE_MAX:
        raise ValueError(f"vergelijk {COMPARE_MIN} tot {COMPARE_MAX} gebieden, niet {len(wanted)}")
    return wanted


def load_areas(codes: Iterable[str], index: AreaIndex | None = None, path: Path | None = None) -> list[Area]:
    """The areas with these codes (any level, any gemeente), in the order given.

    Raises ValueError naming a bad or unknown code. `index` (search.AreaIndex) saves
    building one from the store at `path`."""
    wanted = check_codes(codes)
    index = AreaIndex.from_store(path) if index is None else index
    areas = []
    for code in wanted:
        hit = index.get(code)
        if hit is None:
            raise ValueError(f"onbekend gebied {code}: het gegevensbestand kent die code niet")
        areas.append(Area(hit.code, hit.naam, hit.niveau, hit.gemeentecode, hit.gemeentenaam, hit.kaart))
    return areas


def records_for(records: pd.DataFrame, state) -> pd.DataFrame:
    """The records a view (core.view.ViewState) counts in a comparison: its filters and
    switched-on layers, every year (compare() picks the year), every gemeente."""
    return analysis.view_records(records, state, peiljaar=None)


def common_year(statistics: pd.DataFrame, codes: Iterable[str]) -> int | None:
    """The newest year in which every code has at least one figure (None: there is none)."""
    codes = list(codes)
    rows = statistics[statistics["code"].isin(set(codes))]
    years_per_code = rows.groupby("code")["jaar"].apply(set)
    if len(years_per_code) < len(set(codes)):
        return None
    common = set.intersection(*years_per_code.tolist()) if len(years_per_code) else set()
    return int(max(common)) if common else None


def compare(
    codes: Iterable[str] | list[Area],
    *,
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    records: pd.DataFrame,
    lang: str = "nl",
    periode: tuple[int, int] | None = None,
    peiljaar: int | None = None,
    index: AreaIndex | None = None,
    shapes: gpd.GeoDataFrame | None = None,
    covered: Iterable[str] | None = None,
) -> Comparison:
    """Compare the areas `codes` (or Areas from load_areas).

    `records`: the provisions to count, with every filter of the view applied except the
    year: those that existed in `peiljaar` (default this year) are counted, and the
    change over `periode` (a, b) uses them all. `shapes` (code, geometry) are the
    boundaries of areas whose code no record carries (see the module notes). `covered`:
    the gemeenten with provisions known before the view's filters (default: those of
    `records`); areas elsewhere are marked unknown, not counted as having none."""
    items = list(codes)
    given = [item for item in items if isinstance(item, Area)]
    areas: list[Area] = given if items and len(given) == len(items) else load_areas(map(str, items), index)
    area_codes = [area.code for area in areas]
    peiljaar = datetime.date.today().year if peiljaar is None else int(peiljaar)
    jaar = common_year(statistics, area_codes)
    indicators = _indicators(statistics, catalogue, areas, jaar, lang)
    existing = records[analysis.existed_in(records, peiljaar)] if len(records) else records
    provisions, matrix, counted = _provisions(existing, areas, shapes)
    change = _change(records, areas, periode, shapes) if periode else None
    year_rows = statistics[
        statistics["code"].isin(set(area_codes) | {a.gemeentecode for a in areas}) & (statistics["jaar"] == jaar)
    ]
    sources = [t("attribution", lang), *sorted(set(year_rows["bron"]))]
    known = set(records["gemeentecode"]) if covered is None else set(covered)
    credit = sources_credit(counted, lang) if len(counted) else ""
    if credit:
        sources.append(credit)
    return Comparison(
        areas=list(areas),
        jaar=jaar,
        indicators=indicators,
        provisions=provisions,
        matrix=matrix,
        change=change,
        periode=(min(periode), max(periode)) if periode else None,
        peiljaar=peiljaar,
        sources=sources,
        sample=bool(len(counted) and sample_mask(counted).any()),
        unknown=[area.code for area in areas if area.gemeentecode not in known],
        unplaced=[
            area.code for area in areas if not area.kaart and (shapes is None or area.code not in set(shapes["code"]))
        ],
        labels={
            item["indicator"]: (item["label_nl"], item["label_en"])
            for item in catalogue[["indicator", "label_nl", "label_en"]].to_dict("records")
        },
    )


def _indicators(statistics, catalogue, areas: list[Area], jaar: int | None, lang: str) -> pd.DataFrame:
    codes = [area.code for area in areas]
    gemeenten = list(dict.fromkeys(area.gemeentecode for area in areas))
    columns = ["indicator", "label", "eenheid", *codes, *(f"gemeente:{g}" for g in gemeenten), REFERENCE_NL]
    if jaar is None:
        return pd.DataFrame(columns=columns)
    # Masks first, one take each: the table has ~415,000 rows.
    in_year = statistics["jaar"].to_numpy() == jaar
    gemeente_rows = statistics[in_year & statistics["code"].str.startswith("GM").to_numpy()]
    mine = statistics[in_year & statistics["code"].isin(set(codes) | set(gemeenten)).to_numpy()]
    values = mine.pivot_table(index="indicator", columns="code", values="waarde", aggfunc="first")
    present = set(mine.loc[mine["code"].isin(set(codes)), "indicator"])
    rows = []
    for item in catalogue.to_dict("records"):
        indicator = item["indicator"]
        if indicator not in present:
            continue
        row = {
            "indicator": indicator,
            "label": item["label_en"] if lang == "en" else item["label_nl"],
            "eenheid": item["eenheid"],
        }
        for code in [*codes, *gemeenten]:
            value = values.at[indicator, code] if code in values.columns and indicator in values.index else None
            row[code if code in codes else f"gemeente:{code}"] = float(value) if pd.notna(value) else float("nan")
        for code in gemeenten:  # a gemeente compared is its own reference
            if code in codes:
                row[f"gemeente:{code}"] = row[code]
        national = analysis.national_value(gemeente_rows, indicator, jaar, item["eenheid"])
        row[REFERENCE_NL] = float("nan") if national is None else national
        rows.append(row)
    return pd.DataFrame(rows, columns=columns)


def _in_area(frame: pd.DataFrame, area: Area, shapes: gpd.GeoDataFrame | None) -> pd.Series:
    """Which rows of `frame` (records, or change rows with their fields) lie in `area`."""
    column = {"buurt": "buurtcode", "wijk": "wijkcode", "gemeente": "gemeentecode"}[area.niveau]
    carried = frame[column] == area.code
    if carried.any() or shapes is None or frame.empty:
        return carried
    shape = shapes.loc[shapes["code"] == area.code, "geometry"]
    if shape.empty:
        return carried
    # By position, in metres (RD New), inside the outline.
    outline = gpd.GeoSeries(shape.to_numpy(), crs=shapes.crs).to_crs(RD_NEW).union_all()
    points = gpd.GeoSeries(gpd.points_from_xy(frame["lon"], frame["lat"]), crs="EPSG:4326", index=frame.index)
    return points.to_crs(RD_NEW).within(outline)


def _provisions(records: pd.DataFrame, areas: list[Area], shapes) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Per area the provisions per category and strategy, the strategy x formality
    matrix, and all records counted (for the credit line and the sample mark)."""
    rows, matrices, counted = [], [], []
    for area in areas:
        here = records[_in_area(records, area, shapes).to_numpy()] if len(records) else records
        counted.append(here)
        categories = here["soort"].map(vocab.category_of) if len(here) else pd.Series(dtype=object)
        sample = sample_mask(here) if len(here) else pd.Series(dtype=bool)
        for categorie in vocab.SOORT_CATEGORIES:
            mine = (categories == categorie).to_numpy() if len(here) else pd.Series(dtype=bool)
            strategie = here["strategie"][mine] if len(here) else pd.Series(dtype=object)
            row: dict[str, str | int] = {"code": area.code, "categorie": categorie}
            row |= {s: int((strategie == s).sum()) for s in STRATEGY_COLUMNS}
            row["totaal"] = int(len(strategie))
            row["voorbeeld"] = int(sample[mine].sum()) if len(here) else 0
            rows.append(row)
        ids = here["id"] if "id" in here.columns else pd.Series(here.index, index=here.index)
        located = pd.Series(area.code, index=pd.Index(ids.to_numpy(), name="id"))
        matrix = analysis.strategy_formality(here, area.niveau, located=located)
        matrices.append(matrix.reindex([area.code], fill_value=0))
    matrix = pd.concat(matrices) if matrices else pd.DataFrame(columns=analysis.STRATEGY_FORMALITY_COLUMNS)
    matrix.index.name = "code"
    all_counted = pd.concat(counted) if counted else records.iloc[0:0]
    return pd.DataFrame(rows, columns=PROVISION_COLUMNS), matrix.astype(int), all_counted


def change_rows(records: pd.DataFrame, periode: tuple[int, int], links: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every record's change over the period (change.model.with_records(status(...))):
    the one computation behind the comparison's change and the report's Verandering.
    `links` (change.model.succession_links of `records`) saves recomputing them."""
    a, b = sorted(int(year) for year in periode)
    return change_model.with_records(change_model.status(records, a, b, links), records)


def in_area(frame: pd.DataFrame, area: Area, shapes: gpd.GeoDataFrame | None = None) -> pd.Series:
    """Which rows of `frame` (records, or change_rows) the comparison counts in `area`:
    those carrying its code, else (given its boundary in `shapes`) those inside it."""
    return _in_area(frame, area, shapes)


def _change(records: pd.DataFrame, areas: list[Area], periode: tuple[int, int], shapes) -> pd.DataFrame:
    """change.model.balance per area over the period: what was there at its start and
    end, what disappeared, came back in another form (a successor), moved and opened."""
    frames = []
    if len(records):
        joined = change_rows(records, periode)
        for area in areas:
            here = joined[_in_area(joined, area, shapes).to_numpy()].assign(gebiedcode=area.code)
            frames.append(change_model.balance(here, "gebied").reindex([area.code], fill_value=0))
    table = pd.concat(frames) if frames else pd.DataFrame(0, index=[a.code for a in areas], columns=CHANGE_COLUMNS)
    table.index.name = "code"
    return table.reindex([area.code for area in areas], fill_value=0).astype(int)


# --- the table people see and download -------------------------------------------------


def reference_label(column: str, areas: list[Area], lang: str) -> str:
    """The heading of a reference column: the gemeente (by name) or the country."""
    if column == REFERENCE_NL:
        return t("netherlands", lang)
    code = column.split(":", 1)[1]
    naam = next((area.gemeentenaam for area in areas if area.gemeentecode == code and area.gemeentenaam), code)
    return f"{t('gemeente', lang)} {naam} ({code})"


def comparison_table(comparison: Comparison, lang: str = "nl") -> pd.DataFrame:
    """Everything compared, one row per figure: onderdeel (section), onderwerp (what),
    eenheid, jaar, then one column per area (its name and code), then the references of
    the figures (each gemeente, the country). Numbers stay numbers (NaN where missing):
    the page formats them, the CSV and Excel files write them plain."""
    areas = comparison.areas
    area_columns = {area.code: area.label() for area in areas}
    if len(set(area_columns.values())) < len(area_columns):  # never two columns of one name
        area_columns = {code: f"{label} [{i + 1}]" for i, (code, label) in enumerate(area_columns.items())}
    references = [c for c in comparison.indicators.columns if c.startswith("gemeente:") or c == REFERENCE_NL]
    reference_columns = {c: reference_label(c, areas, lang) for c in references}
    figures = t("cmp_figures", lang)
    head = [t("cmp_section", lang), t("cmp_subject", lang), t("cmp_unit", lang), t("year", lang)]
    rows: list[list] = []

    unknown = set(comparison.unknown) | set(comparison.unplaced)

    def add(section: str, subject: str, unit: str, jaar, values: dict, refs: dict | None = None) -> None:
        if section != figures:
            values = {code: (float("nan") if code in unknown else v) for code, v in values.items()}
        rows.append(
            [section, subject, unit, jaar]
            + [values.get(code, float("nan")) for code in area_columns]
            + [(refs or {}).get(c, float("nan")) for c in reference_columns]
        )

    for item in comparison.indicators.to_dict("records"):
        dutch, english = comparison.labels.get(item["indicator"], (item["label"], item["label"]))
        add(
            figures,
            english if lang == "en" else dutch,
            item["eenheid"],
            comparison.jaar,
            {code: item[code] for code in area_columns},
            {c: item[c] for c in reference_columns},
        )
    provisions = comparison.provisions
    section = t("cmp_provisions", lang).format(jaar=comparison.peiljaar)
    totals = provisions.groupby("code")[["totaal", "voorbeeld"]].sum()
    add(section, t("cmp_total", lang), "aantal", comparison.peiljaar, totals["totaal"].to_dict())
    if comparison.sample:
        add(section, t("cmp_sample_part", lang), "aantal", comparison.peiljaar, totals["voorbeeld"].to_dict())
    for categorie in vocab.SOORT_CATEGORIES:
        mine = provisions[provisions["categorie"] == categorie].set_index("code")
        if not mine["totaal"].any():
            continue
        label = vocab.label("categorie", categorie, lang)
        for strategie in STRATEGY_COLUMNS:
            if mine[strategie].any():
                subject = f"{label} · {vocab.label('strategie', strategie, lang)}"
                add(section, subject, "aantal", comparison.peiljaar, mine[strategie].to_dict())
    matrix_section = t("cmp_matrix", lang)
    for column in analysis.STRATEGY_FORMALITY_COLUMNS:
        strategie, formaliteit = column.split("_", 1)
        subject = f"{vocab.label('strategie', strategie, lang)} · {vocab.label('formaliteit', formaliteit, lang)}"
        add(matrix_section, subject, "aantal", comparison.peiljaar, comparison.matrix[column].to_dict())
    if comparison.change is not None and comparison.periode:
        a, b = comparison.periode
        change_section = t("cmp_change", lang).format(van=a, tot=b)
        for column in CHANGE_COLUMNS:
            add(
                change_section,
                t(f"cmp_change_{column}", lang),
                "aantal",
                f"{a}-{b}",
                comparison.change[column].to_dict(),
            )
    table = pd.DataFrame(rows, columns=head + list(area_columns.values()) + list(reference_columns.values()))
    return table
