"""The Hoge nood ranking: where need is high and the social basis is thin or one-sided.

One row per area of a view, with every part of the judgement beside it: the need score
and its z-scores (council.need), the residents and the share of them within reach of a
provision (council.reach), the provisions counted inside the area (also per 1,000
inwoners) and the bonding/bridging × formeel/informeel matrix
(core.analysis.strategy_formality). The neediest NEED_SHARE of the scored areas are
ranked, those whose residents have the least provision within 500 m first (then 1 km,
then fewest per 1,000 inwoners, then highest need). Every other area keeps a `status`
saying why it is not ranked: areas of a gemeente without any known provisions are never
ranked as thin (no data on provisions is no finding), nor areas with too few inwoners or
without a score.

This is a signal for a conversation, not a verdict: the texts the page shows say so.
Pure: no Streamlit, no folium.
"""

from __future__ import annotations

from collections.abc import Collection

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkmap.config import NEED_MIN_INWONERS, NEED_SHARE, REACH_DISTANCES_M
from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.i18n import format_value, t
from wijkmap.council import need as need_model, reach as reach_model
from wijkmap.data import export_areas

RANKED = "gerangschikt"
LESS_NEED = "minder_nood"
NO_PROVISION_DATA = "geen_voorzieningsgegevens"
FEW_RESIDENTS = "te_weinig_inwoners"
NO_SCORE = "geen_score"
STATUSES = (RANKED, LESS_NEED, NO_PROVISION_DATA, FEW_RESIDENTS, NO_SCORE)
# The flag of a one-sided social basis: formal bonding provisions, no informal bridging one.
ONE_SIDED = "geen_informeel_bridging"
MATRIX = list(analysis.STRATEGY_FORMALITY_COLUMNS)


def ranking(
    areas: gpd.GeoDataFrame,
    statistics: pd.DataFrame,
    catalogue: pd.DataFrame,
    records: pd.DataFrame,
    jaar: int,
    profile: need_model.NeedProfile,
    niveau: str,
    *,
    covered: Collection[str] | None = None,
    categorie: str | None = None,
    located: pd.Series | None = None,
    layer_jaar: int | None = None,
    share: float = NEED_SHARE,
    min_inwoners: float = NEED_MIN_INWONERS,
) -> pd.DataFrame:
    """The ranking of `areas` (code, naam, gemeentecode, geometry: the areas of a view at
    `niveau`) by `profile` in `jaar`.

    `records`: the provisions shown, also those of neighbouring gemeenten (a provision
    across the border reaches residents; it is not counted inside an area). `covered`:
    the gemeenten with provisions known before any filter (default: those in
    `records`); areas elsewhere get status NO_PROVISION_DATA and no reach or counts.
    `categorie`: the soort category whose reach is measured (None = any). `located`:
    see analysis.counts_per_area.

    Index code, columns: naam, gemeentecode, rang (1.. for ranked areas, else <NA>),
    status (STATUSES), score, n_indicators, one z-score per indicator, inwoners,
    aandeel_<d> and the target groups' columns (council.reach), voorzieningen,
    per_1000, the matrix columns and ONE_SIDED. Ranked areas first, in rank order,
    then the rest by score. `attrs["jaren"]` holds the year of each indicator.
    At `niveau` 'gemeente' the reach columns are empty (NaN) and the ranking is by
    provisions per 1,000 inwoners."""
    codes = list(areas["code"])
    index = pd.Index(codes, name="code")
    # Only these areas' figures: the twenty lookups below each scanned all 415,000 rows.
    statistics = statistics[statistics["code"].isin(codes)]
    frame = pd.DataFrame(
        {"naam": areas["naam"].to_numpy(), "gemeentecode": areas["gemeentecode"].to_numpy()}, index=index
    )
    scores = need_model.need_scores(
        statistics, catalogue, codes, jaar, profile, layer_jaar=layer_jaar, min_inwoners=min_inwoners
    )
    frame = frame.join(scores)
    covered = set(records["gemeentecode"].dropna()) if covered is None else set(covered)
    known = frame["gemeentecode"].isin(covered).to_numpy()
    # Reach is a figure of buurten and wijken: the share of a whole gemeente within 500 m
    # says little, and over a national import it would take a minute. Gemeenten are
    # ranked by provisions per 1,000 inwoners.
    distances = () if niveau == "gemeente" else REACH_DISTANCES_M
    reached = reach_model.reach(areas, records, statistics, jaar, categorie, distances=distances)
    for distance in REACH_DISTANCES_M:
        if reach_model.share_column(distance) not in reached.columns:
            reached[reach_model.share_column(distance)] = np.nan
    frame = frame.join(reached)
    counts = analysis.counts_per_area(records, niveau, located).reindex(index).fillna(0)
    frame["voorzieningen"] = counts.astype(int).to_numpy()
    inwoners = frame[reach_model.INWONERS]
    frame["per_1000"] = frame["voorzieningen"] / inwoners.where(inwoners > 0) * 1000
    matrix = analysis.strategy_formality(records, niveau, located).reindex(index=index, columns=MATRIX).fillna(0)
    for column in MATRIX:
        frame[column] = matrix[column].astype(int).to_numpy()
    frame[ONE_SIDED] = (frame["bonding_formeel"] > 0) & (frame["bridging_informeel"] == 0)
    # Without data on provisions nothing about them is a finding: no counts, no reach.
    about_provisions = [c for c in reached.columns if "_aandeel_" in c or c.startswith("aandeel_")]
    about_provisions += ["voorzieningen", "per_1000", *MATRIX]
    frame.loc[~known, about_provisions] = np.nan
    frame[ONE_SIDED] = frame[ONE_SIDED].where(known, pd.NA).astype("boolean")
    status = pd.Series(LESS_NEED, index=index, dtype=object)
    # .loc: a bare array as key is first looked up as a label, and the failed lookup
    # printed the whole array into its error message.
    status.loc[frame[need_model.SCORE].isna().to_numpy()] = NO_SCORE
    status.loc[(inwoners.fillna(0) < max(min_inwoners, 1)).to_numpy()] = FEW_RESIDENTS
    status.loc[~known] = NO_PROVISION_DATA
    candidates = status == LESS_NEED
    if candidates.any():
        cutoff = frame.loc[candidates, need_model.SCORE].quantile(1 - share)
        status[candidates & (frame[need_model.SCORE] >= cutoff)] = RANKED
    frame["status"] = status
    first, second = (reach_model.share_column(d) for d in _two(REACH_DISTANCES_M))
    ranked = frame[status == RANKED].sort_values(
        [first, second, "per_1000", need_model.SCORE], ascending=[True, True, True, False], na_position="last"
    )
    rest = frame[status != RANKED].sort_values(need_model.SCORE, ascending=False, na_position="last")
    result = pd.concat([ranked, rest])
    ranks = pd.Series(list(range(1, len(ranked) + 1)) + [pd.NA] * len(rest), index=result.index, dtype="Int64")
    result.insert(2, "rang", ranks)
    status_column = result.pop("status")
    result.insert(3, "status", status_column)
    result.attrs["jaren"] = scores.attrs.get("jaren", {})
    return result


def _two(distances) -> tuple[int, int]:
    distances = list(distances)
    return distances[0], distances[-1]


# --- as people read it, and as a file ------------------------------------------------


def indicator_label(catalogue: pd.DataFrame, indicator: str, lang: str) -> str:
    rows = catalogue.loc[catalogue["indicator"] == indicator]
    if rows.empty:
        return indicator
    return str(rows.iloc[0]["label_en" if lang == "en" else "label_nl"])


def share_text(value, lang: str) -> str:
    return (
        "–" if pd.isna(value) else format_value(100 * float(value), "%", lang).replace(",0%", "%").replace(".0%", "%")
    )


def z_text(value, lang: str) -> str:
    if pd.isna(value):
        return "–"
    text = f"{float(value):+.1f}"
    return text if lang == "en" else text.replace(".", ",")


def ranking_table(frame: pd.DataFrame, catalogue: pd.DataFrame, indicators: list[str], lang: str) -> pd.DataFrame:
    """The ranked rows of `frame` (ranking) as the page shows them: rank, area, the need
    score with its parts (a z column per indicator), reach within 500 m and 1 km, the
    provisions per 1,000 inwoners and the one-sided flag. Text only; the index keeps the
    area codes, so a selected row names its area."""
    ranked = frame[frame["status"] == RANKED]
    first, second = _two(REACH_DISTANCES_M)
    table = pd.DataFrame(index=ranked.index)
    table[t("rank", lang)] = ranked["rang"].astype(int).to_numpy()
    table[t("area", lang)] = ranked["naam"].to_numpy()
    table[t("need_score", lang)] = [z_text(v, lang) for v in ranked[need_model.SCORE]]
    for indicator in indicators:
        column = f"z · {indicator_label(catalogue, indicator, lang)}"
        table[column] = [z_text(v, lang) for v in ranked[indicator]]
    table[t("reach_within", lang).format(afstand=distance_text(first, lang))] = [
        share_text(v, lang) for v in ranked[reach_model.share_column(first)]
    ]
    table[t("reach_within", lang).format(afstand=distance_text(second, lang))] = [
        share_text(v, lang) for v in ranked[reach_model.share_column(second)]
    ]
    table[t("per_1000", lang)] = [format_value(v, "", lang) if pd.notna(v) else "–" for v in ranked["per_1000"]]
    table[t("one_sided", lang)] = [t("yes", lang) if flag else "" for flag in ranked[ONE_SIDED].fillna(False)]
    return table


def distance_text(metres: int, lang: str) -> str:
    return f"{metres // 1000} km" if metres % 1000 == 0 else f"{metres} m"


def export_table(frame: pd.DataFrame, jaar: int, sources: str, sample: bool) -> pd.DataFrame:
    """`frame` (ranking) as a flat table for CSV and Excel: one row per area, codes as
    columns, numbers as numbers, the sources in the `bron` column of every row (so a
    row copied elsewhere still says where it came from) and, with the fictional sample
    among the provisions, a column that says so."""
    table = frame.reset_index()
    table.insert(3, "jaar", int(jaar))
    table["rang"] = table["rang"].astype("Float64").astype(float)
    table[ONE_SIDED] = table[ONE_SIDED].map(lambda flag: "" if pd.isna(flag) else ("ja" if flag else "nee"))
    table["bron"] = sources
    if sample:
        table["let_op"] = "voorzieningen deels fictief voorbeeld (bron = voorbeeld), geen echte gegevens"
    return table


def export_legend(table: pd.DataFrame, catalogue: pd.DataFrame, profile: need_model.NeedProfile, years) -> pd.DataFrame:
    """What each column of `table` (export_table) means, in Dutch, for the Excel sheet."""
    meaning = {
        "code": ("CBS-code van het gebied", ""),
        "naam": ("naam van het gebied", ""),
        "gemeentecode": ("CBS-code van de gemeente", ""),
        "jaar": ("jaar van de cijfers (zie per indicator)", ""),
        "rang": ("plaats in de rangorde (leeg: niet gerangschikt, zie status)", ""),
        "status": (
            "gerangschikt (hoogste nood-score); minder_nood; geen_voorzieningsgegevens (geen rangorde: geen "
            "gegevens over voorzieningen); te_weinig_inwoners (minder dan "
            f"{NEED_MIN_INWONERS}); geen_score",
            "",
        ),
        need_model.SCORE: ("gewogen gemiddelde van de z-scores: een signaal, geen oordeel", "z"),
        need_model.N_INDICATORS: ("aantal indicatoren met een cijfer voor dit gebied", "aantal"),
        reach_model.INWONERS: ("inwoners (CBS)", "aantal"),
        "voorzieningen": ("getoonde voorzieningen binnen de grens van het gebied", "aantal"),
        "per_1000": ("voorzieningen per 1.000 inwoners", "per 1.000 inwoners"),
        ONE_SIDED: ("formele bonding-voorzieningen, geen informele bridging-voorziening", "ja/nee"),
        "bron": ("bronnen van de cijfers en de voorzieningen", ""),
        "let_op": ("waarschuwing over fictieve voorbeeldgegevens", ""),
    }
    for indicator in profile.indicators:
        year = years.get(indicator)
        label = indicator_label(catalogue, indicator, "nl")
        meaning[indicator] = (
            f"z-score van {label} ({year}) binnen de gemeente, hoger = meer nood; gewicht {profile.weight(indicator):g}",
            "z",
        )
    for column in MATRIX:
        strategie, formaliteit = column.split("_")
        meaning[column] = (
            f"voorzieningen {vocab.label('strategie', strategie, 'nl')} × "
            f"{vocab.label('formaliteit', formaliteit, 'nl').lower()} (beide telt bij beide)",
            "aantal",
        )
    for column in table.columns:
        if column in meaning:
            continue
        group, _, distance = column.partition("_aandeel_")
        if distance:
            meaning[column] = (
                f"aandeel {vocab.label('doelgroep', group, 'nl').lower()} binnen {distance} m hemelsbreed van een "
                "voorziening voor die groep of iedereen (gelijk over de buurt verspreid; looproutes niet meegerekend)",
                "0-1",
            )
        elif column.startswith("aandeel_"):
            meaning[column] = (
                f"aandeel inwoners binnen {column[8:]} m hemelsbreed van een voorziening (gelijk over de buurt "
                "verspreid; looproutes niet meegerekend)",
                "0-1",
            )
        elif column in reach_model.GROUPS:
            meaning[column] = (f"inwoners in de groep {vocab.label('doelgroep', column, 'nl').lower()}", "aantal")
    return pd.DataFrame(
        {
            "indicator": list(table.columns),
            "omschrijving": [meaning.get(column, ("", ""))[0] for column in table.columns],
            "eenheid": [meaning.get(column, ("", ""))[1] for column in table.columns],
        }
    )


def export_bytes(
    table: pd.DataFrame, fmt: str, legend: pd.DataFrame | None = None, boundaries: gpd.GeoDataFrame | None = None
) -> bytes:
    """The export as CSV, XLSX or GeoPackage (export_areas.write_areas: formulas
    neutralised; the GeoPackage joins `boundaries`, code + geometry)."""
    if fmt not in export_areas.AREA_FORMATS:
        raise ValueError(f'onbekend exportformaat "{fmt}"; kies uit: {", ".join(export_areas.AREA_FORMATS)}')
    return export_areas.write_areas(table, fmt, boundaries, legend)
