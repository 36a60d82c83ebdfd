"""What the change page shows for a period, without Streamlit.

change.model decides statuses, successions, balances and comparisons; this module turns
them into what the map, the legend, the chart and the tables need, in the reader's
language, as plain text: the change map's layers (change.layers) escape it as they draw.
Like explorer.model for the map explorer, it is free of Streamlit and folium, so every step
is testable and the benchmark can time it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd

from wijkmap.change import model as change
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import format_value, t, unit_label
from wijkmap.core.records import date_text, is_sample, years_text
from wijkmap.core.style import CATEGORY_STYLE, DIVERGING, MISSING_COLOUR, LegendClass

AMSTERDAM_REPAIR_CAFES = "Repair Cafés in Amsterdam"


def period_text(a: int, b: int) -> str:
    return str(a) if a == b else f"{a}–{b}"


# --- which records a view draws -------------------------------------------------------


def in_scope(joined: pd.DataFrame, categories=()) -> pd.DataFrame:
    """The records of the chosen categories, and the successors they had (whatever their
    category), so that every line has both ends."""
    if not categories:
        return joined
    mine = joined["categorie"].isin(categories)
    successors = {s for row in joined.loc[mine, "opvolgers"] for s in row}
    return joined[mine | joined.index.isin(successors)]


def status_counts(joined: pd.DataFrame) -> dict[str, int]:
    counts = joined["status"].value_counts()
    return {status: int(counts.get(status, 0)) for status in change.STATUSES}


def _lookups(records_by_id: pd.DataFrame) -> tuple[dict, dict, dict, dict, dict]:
    return (
        records_by_id["naam"].to_dict(),
        records_by_id["geopend"].to_dict(),
        records_by_id["gesloten"].to_dict(),
        records_by_id["lat"].to_dict(),
        records_by_id["lon"].to_dict(),
    )


def markers(shown: pd.DataFrame, pairs: pd.DataFrame, records_by_id: pd.DataFrame, lang: str) -> list[dict]:
    """What StatusLayer draws for each shown record: its status, years and succession.

    `records_by_id` holds every record (indexed by id), so that a predecessor outside the
    period can still be named in its successor's popup."""
    names, opened, closed, _, _ = _lookups(records_by_id)
    drawn = set(shown.index)
    shift: dict[str, int] = {}
    same_place = pairs[pairs["zelfde_plek"] & pairs["van"].isin(drawn) & pairs["naar"].isin(drawn)]
    for van, naar in zip(same_place["van"], same_place["naar"]):
        shift[van] = 0 if shift.get(van) == 1 else -1
        shift[naar] = 0 if shift.get(naar) == -1 else 1
    same_place_ids = set(same_place["van"]) | set(same_place["naar"])

    out = []
    for row in shown.itertuples():
        record_id = row.Index
        relations = []
        for successor in row.opvolgers:
            kind = "verhuisd_naar" if successor == row.verhuisd_naar else "opgevolgd_door"
            relations.append((kind, names.get(successor, successor), date_text(opened.get(successor, ""), lang)))
        if row.keten_eind and row.keten_eind not in row.opvolgers:
            relations.append(("nu", names.get(row.keten_eind, ""), date_text(opened.get(row.keten_eind, ""), lang)))
        for successor in row.later_opvolgers:
            relations.append(
                ("later_opgevolgd_door", names.get(successor, successor), date_text(opened.get(successor, ""), lang))
            )
        for predecessor in row.voorgangers:
            kind = "verhuisd_van" if predecessor == row.verhuisd_van else "opvolger_van"
            relations.append((kind, names.get(predecessor, predecessor), date_text(closed.get(predecessor, ""), lang)))
        notes = []
        if row.ook_nieuw:
            notes.append(t("change_opened_and_closed", lang))
        if record_id in same_place_ids:
            notes.append(t("change_same_place", lang))
        out.append(
            {
                "lat": row.lat,
                "lon": row.lon,
                "status": row.status,
                "naam": row.naam,
                "soort": row.soort,
                "jaren": years_text(row.geopend, row.gesloten, lang),
                "bron": row.bron,
                "sample": is_sample(row.bron),
                "verschuiving": shift.get(record_id, 0),
                "relaties": relations,
                "notities": notes,
            }
        )
    return out


def lines(pairs: pd.DataFrame, shown: pd.DataFrame, records_by_id: pd.DataFrame, lang: str) -> list[dict]:
    """What SuccessionLayer draws: a line for each succession whose predecessor is shown."""
    names, opened, _, lat, lon = _lookups(records_by_id)
    out = []
    for pair in pairs[pairs["van"].isin(set(shown.index))].itertuples(index=False):
        verb = t("change_moved_to", lang) if pair.verhuizing else t("change_followed_by", lang)
        when = date_text(opened.get(pair.naar, ""), lang)
        out.append(
            {
                "van": (lat[pair.van], lon[pair.van]),
                "naar": (lat[pair.naar], lon[pair.naar]),
                "verhuizing": bool(pair.verhuizing),
                "zelfde_plek": bool(pair.zelfde_plek),
                "tekst": f"{names[pair.van]} — {verb} {names[pair.naar]}" + (f" ({when})" if when else ""),
            }
        )
    return out


def relation_labels(a: int, b: int, lang: str) -> dict:
    return {
        "period": f"({period_text(a, b)})",
        "sample": t("sample_banner", lang),
        "bron": t("source", lang),
        "relations": {
            "opgevolgd_door": t("change_followed_by", lang),
            "opvolger_van": t("change_successor_of", lang),
            "verhuisd_naar": t("change_moved_to", lang),
            "verhuisd_van": t("change_moved_from", lang),
            "later_opgevolgd_door": t("change_later_followed_by", lang),
            "nu": t("change_eventually", lang),
        },
    }


# --- areas: net change, or a statistic compared ----------------------------------------


@dataclass(frozen=True)
class AreaColouring:
    """What ChangeAreaColours and the legend need: per area code its class and tooltip."""

    info: dict[str, tuple[int, str]]
    colours: list[str]
    title: str
    subtitle: str
    classes: list[LegendClass]
    missing: LegendClass | None


# Net change classes: (upper bound of each class but the last, label). The same for every
# period, so the legend keeps its place while the period moves.
_NET_BREAKS = {"buurt": (-3, -2, -1, 0, 1, 2), "wijk": (-10, -5, -1, 0, 4, 9), "gemeente": (-20, -10, -1, 0, 9, 19)}


def _net_class(value: int, breaks: tuple[int, ...]) -> int:
    for index, upper in enumerate(breaks):
        if value <= upper:
            return index
    return len(breaks)


def _net_labels(breaks: tuple[int, ...], lang: str) -> list[str]:
    def signed(n: int) -> str:
        return f"+{n}" if n > 0 else str(n).replace("-", "−")

    labels, lower = [], None
    for upper in breaks:
        if lower is None:
            labels.append(f"{signed(upper)} {t('or_less', lang)}")
        elif upper == lower + 1:
            labels.append(signed(upper))
        else:
            labels.append(f"{signed(lower + 1)} {t('to', lang)} {signed(upper)}")
        lower = upper
    labels.append(f"{signed(lower + 1)} {t('or_more', lang)}")
    return labels


def balance_colouring(
    balance: pd.DataFrame, codes, niveau: str, a: int, b: int, lang: str, categories=()
) -> AreaColouring:
    """Areas coloured by net change of provisions over [a, b] (change.balance)."""
    breaks = _NET_BREAKS.get(niveau, _NET_BREAKS["wijk"])
    info = {}
    rows = balance.to_dict("index")
    for code in codes:
        if code not in rows:
            info[code] = (-1, t("change_no_provisions", lang))
            continue
        row = rows[code]
        net = int(row["netto"])
        text = t("change_area_tooltip", lang).format(
            netto=f"+{net}" if net > 0 else str(net),
            begin=int(row["open_begin"]),
            eind=int(row["open_eind"]),
            verdwenen=int(row["verdwenen"]),
            teruggekeerd=int(row["teruggekeerd"]),
            geopend=int(row["geopend"]),
            verhuisd=int(row["verhuisd_weg"] + row["verhuisd_hier"]),
            a=a,
            b=b,
        )
        info[code] = (_net_class(net, breaks), text)
    colours = DIVERGING[7]
    labels = _net_labels(breaks, lang)
    missing_count = sum(1 for k, _ in info.values() if k < 0)
    scope = (
        ", ".join(vocab.label("categorie", c, lang) for c in categories) if categories else t("all_categories", lang)
    )
    return AreaColouring(
        info=info,
        colours=colours,
        title=t("change_net_title", lang),
        subtitle=f"{period_text(a, b)} · {scope}",
        classes=[LegendClass(colour, label) for colour, label in zip(colours, labels)],
        missing=LegendClass(MISSING_COLOUR, f"{t('change_no_provisions', lang)} ({missing_count})")
        if missing_count
        else None,
    )


def nice_step(value: float) -> float:
    """A round number near `value`: 1, 2, 2.5 or 5 times a power of ten."""
    if not value or not math.isfinite(value) or value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    for factor in (1, 2, 2.5, 5, 10):
        if value <= factor * power:
            return factor * power
    return 10 * power


def difference_text(value: float, unit: str, lang: str) -> str:
    """'+1,5 procentpunt', '−120', '+0,3 km', '0'."""
    sign = "+" if value > 0 else "−" if value < 0 else ""
    if unit == "%":
        return f"{sign}{format_value(abs(value), '', lang)} {t('percentage_points', lang)}"
    return f"{sign}{format_value(abs(value), unit, lang)}"


def flag_text(row, jaar_a: int, jaar_b: int, lang: str) -> str:
    flag = row["vlag"]
    if flag == "code_a":
        return t("flag_code_missing", lang).format(jaar=jaar_a)
    if flag == "code_b":
        return t("flag_code_missing", lang).format(jaar=jaar_b)
    if flag == "grens_geometrie":
        return t("flag_geometry", lang).format(
            pct=f"{row['geometrie_verschil']:.0%}", drempel=f"{change.GEOMETRY_CHANGE:.0%}"
        )
    if flag == "grens":
        change_pct = row["inwoners_verandering"] * 100
        pct = (
            f"{'+' if change_pct >= 0 else '−'}{abs(change_pct):.0f}%"
            if math.isfinite(change_pct)
            else t("newly_inhabited", lang)
        )
        return t("flag_boundary", lang).format(
            pct=pct,
            a=format_value(row["inwoners_a"], "aantal", lang),
            b=format_value(row["inwoners_b"], "aantal", lang),
            drempel=f"{change.BOUNDARY_CHANGE:.0%}",
        )
    if flag == "geen_waarde":
        return t("flag_no_value", lang)
    return ""


def comparison_colouring(frame: pd.DataFrame, item: dict, jaar_a: int, jaar_b: int, lang: str) -> AreaColouring:
    """Areas coloured by the difference of a statistic between two years; flagged areas
    (change.compare_statistics) are grey and dashed, their tooltip says why."""
    unit = item["eenheid"]
    present = frame["verschil"].dropna()
    step = nice_step(float(present.abs().quantile(0.9)) / 3 if len(present) else 1.0)
    breaks = (-2 * step, -step, 0.0, step, 2 * step)
    info = {}
    for code, row in frame.iterrows():
        if row["vlag"]:
            info[code] = (-1, f"{t('not_compared', lang)}: {flag_text(row, jaar_a, jaar_b, lang)}")
            continue
        value = row["verschil"]
        k = sum(1 for edge in breaks if value >= edge)
        info[code] = (
            k,
            f"{jaar_a}: {format_value(row['waarde_a'], unit, lang)} · {jaar_b}: {format_value(row['waarde_b'], unit, lang)}"
            f" · {t('difference', lang).lower()} {difference_text(value, unit, lang)}",
        )
    colours = DIVERGING[6]

    def fmt(value: float) -> str:  # the unit is said once, in the subtitle
        sign = "+" if value > 0 else "−" if value < 0 else ""
        return sign + format_value(abs(value), "" if unit == "%" else unit, lang, with_unit=False)

    labels = [
        f"< {fmt(breaks[0])}",
        f"{fmt(breaks[0])} {t('to', lang)} {fmt(breaks[1])}",
        f"{fmt(breaks[1])} {t('to', lang)} 0",
        f"0 {t('to', lang)} {fmt(breaks[3])}",
        f"{fmt(breaks[3])} {t('to', lang)} {fmt(breaks[4])}",
        f"≥ {fmt(breaks[4])}",
    ]
    flagged = int((frame["vlag"] != "").sum())
    label = item["label_en"] if lang == "en" else item["label_nl"]
    in_unit = t("percentage_points", lang) if unit == "%" else unit_label(unit, lang)
    return AreaColouring(
        info=info,
        colours=colours,
        title=f"{label}: {t('difference', lang).lower()}",
        subtitle=f"{jaar_a} → {jaar_b} · {in_unit}",
        classes=[LegendClass(colour, text) for colour, text in zip(colours, labels)],
        missing=LegendClass(MISSING_COLOUR, f"{t('not_compared', lang)} ({flagged})") if flagged else None,
    )


def comparison_table(frame: pd.DataFrame, names: dict, item: dict, jaar_a: int, jaar_b: int, lang: str) -> pd.DataFrame:
    """The comparison as people read it: one row per area, flagged ones first."""
    unit = item["eenheid"]
    ordered = frame.assign(_flagged=frame["vlag"] == "").sort_values(["_flagged", "verschil"], na_position="first")

    def value(v):
        return format_value(v, unit, lang) if pd.notna(v) else "–"

    return pd.DataFrame(
        {
            t("col_area", lang): [names.get(code, "") for code in ordered.index],
            t("col_code", lang): list(ordered.index),
            str(jaar_a): [value(v) for v in ordered["waarde_a"]],
            str(jaar_b): [value(v) for v in ordered["waarde_b"]],
            t("difference", lang): [
                difference_text(v, unit, lang) if pd.notna(v) else "–" for v in ordered["verschil"]
            ],
            t("col_flag", lang): [flag_text(row, jaar_a, jaar_b, lang) for _, row in ordered.iterrows()],
        }
    )


def balance_table(balance: pd.DataFrame, names: dict, lang: str) -> pd.DataFrame:
    """Net change per area, most lost first."""
    ordered = balance.sort_values(["netto", "verdwenen"], ascending=[True, False])
    return pd.DataFrame(
        {
            t("col_area", lang): [names.get(code, code) for code in ordered.index],
            t("col_code", lang): list(ordered.index),
            t("col_begin", lang): ordered["open_begin"].to_list(),
            vocab.label("status", "verdwenen", lang): ordered["verdwenen"].to_list(),
            vocab.label("status", "teruggekeerd", lang): ordered["teruggekeerd"].to_list(),
            t("col_opened_in_period", lang): ordered["geopend"].to_list(),
            t("col_moved", lang): [f"{w} / {h}" for w, h in zip(ordered["verhuisd_weg"], ordered["verhuisd_hier"])],
            t("col_end", lang): ordered["open_eind"].to_list(),
            t("col_net", lang): ordered["netto"].to_list(),
        }
    )


def status_table(shown: pd.DataFrame, records_by_id: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The records of the view with their status and what replaced them (text, not HTML)."""

    def names(ids) -> str:
        return ", ".join(records_by_id.at[i, "naam"] for i in ids if i in records_by_id.index)

    order = {status: index for index, status in enumerate(change.STATUSES)}
    ordered = shown.assign(_o=shown["status"].map(order)).sort_values(["_o", "naam"])
    return pd.DataFrame(
        {
            t("col_status", lang): [vocab.label("status", s, lang) for s in ordered["status"]],
            t("col_name", lang): ordered["naam"].to_list(),
            t("col_kind", lang): [vocab.label("soort", s, lang) for s in ordered["soort"]],
            t("col_opened", lang): ordered["geopend"].to_list(),
            t("col_closed", lang): ordered["gesloten"].to_list(),
            t("change_followed_by", lang).capitalize(): [names(ids) for ids in ordered["opvolgers"]],
            t("change_successor_of", lang).capitalize(): [names(ids) for ids in ordered["voorgangers"]],
            t("col_buurt", lang): ordered["buurtcode"].to_list(),
            t("col_sample", lang): [t("yes", lang) if is_sample(b) else "" for b in ordered["bron"]],
        }
    )


# --- the cycle chart --------------------------------------------------------------------


def chart_years(records: pd.DataFrame, a: int, b: int, this_year: int) -> tuple[int, int]:
    """The years the cycle chart spans: up to 25 years before the period, to its end or
    the last event (no later than this year)."""
    first, last = change.year_span(records, this_year)
    events = change.event_years(records)
    last_event = min(max(events), this_year) if events else b
    return max(first, a - 25), max(b, last_event)


def cycle_chart(yearly: pd.DataFrame, a: int, b: int, lang: str, categories=()):
    """Two Vega-Lite charts on one year axis, as (data, spec) pairs for st.vega_lite_chart:
    open provisions per category per year (lines), and openings and closings per year
    (bars up and down), the chosen period shaded.

    Plain specs rather than Altair: Altair validates every chart against its JSON schema,
    which costs about 0.1 s a rerun. Two charts rather than one concatenated chart, since
    only a single view stretches to the page's width. Streamlit's own Vega draws them:
    nothing is fetched (no fonts, no schema)."""
    data = yearly if not categories else yearly[yearly["categorie"].isin(categories)]
    order = [c for c in vocab.SOORT_CATEGORIES if c in set(data["categorie"])]
    label_of = {c: vocab.label("categorie", c, lang) for c in order}
    data = data.assign(label=data["categorie"].map(label_of))
    years = {"domain": [int(data["jaar"].min()), int(data["jaar"].max())], "nice": False, "zero": False}
    x = {
        "field": "jaar",
        "type": "quantitative",
        "title": None,
        "scale": years,
        "axis": {"format": "d", "tickMinStep": 1},
    }
    colour = {
        "field": "label",
        "type": "nominal",
        "title": None,
        "scale": {"domain": [label_of[c] for c in order], "range": [CATEGORY_STYLE[c][0] for c in order]},
    }
    band = {
        "data": {"values": [{"a": a - 0.5, "b": b + 0.5}]},
        "mark": {"type": "rect", "opacity": 0.12, "color": "#555555"},
        "encoding": {"x": {"field": "a", "type": "quantitative", "scale": years}, "x2": {"field": "b"}},
    }
    tooltip = [
        {"field": "jaar", "type": "quantitative", "title": t("year", lang)},
        {"field": "label", "type": "nominal", "title": t("col_category", lang)},
    ]
    top_spec = {
        "height": 230,
        "layer": [
            band,
            {
                "mark": {"type": "line", "strokeWidth": 2.5, "interpolate": "step-after"},
                "encoding": {
                    "x": x,
                    "y": {"field": "open", "type": "quantitative", "title": t("chart_open", lang)},
                    "color": colour | {"legend": {"orient": "top"}},
                    "tooltip": [*tooltip, {"field": "open", "type": "quantitative", "title": t("chart_open", lang)}],
                },
            },
        ],
        "config": {"view": {"stroke": None}},
    }
    events = pd.concat(
        [
            data.assign(aantal=data["geopend"], gebeurtenis=t("chart_opened", lang)),
            data.assign(aantal=-data["gesloten"], gebeurtenis=t("chart_closed", lang)),
        ]
    )
    events = events.loc[events["aantal"] != 0, ["jaar", "label", "aantal", "gebeurtenis"]]
    bottom_spec = {
        "height": 130,
        "layer": [
            band,
            {
                "mark": {"type": "bar", "size": 6},
                "encoding": {
                    "x": x,
                    "y": {
                        "aggregate": "sum",
                        "field": "aantal",
                        "type": "quantitative",
                        "title": t("chart_events", lang),
                        "axis": {"tickMinStep": 1},
                    },
                    "color": colour | {"legend": None},
                    "tooltip": [
                        *tooltip,
                        {"field": "gebeurtenis", "type": "nominal", "title": " "},
                        {"field": "aantal", "type": "quantitative", "title": t("count", lang)},
                    ],
                },
            },
        ],
        "config": {"view": {"stroke": None}},
    }
    return (data[["jaar", "label", "open"]], top_spec), (events, bottom_spec)


# --- caveats ------------------------------------------------------------------------------


def caveats(records: pd.DataFrame, lang: str) -> list[str]:
    """Warnings a reader needs for the records in view: the Amsterdam repair cafés."""
    notes = []
    if (records["bron"] == AMSTERDAM_REPAIR_CAFES).any():
        notes.append(t("caveat_repair_cafes", lang))
    return notes
