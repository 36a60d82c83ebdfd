"""build_report: the report on one area (and the areas it is compared with) as PDF.

content gathers what Kaart shows for the view, council.map_image and charts draw it, html fills
the escaped template and pdf prints it offline. The CLI (`wijkmap rapport`) and Kaart's
button (button.report_button) both call this."""

from __future__ import annotations

import dataclasses
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode

import pandas as pd

from wijkmap import config
from wijkmap.change import view as change_view
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import format_value, t
from wijkmap.core.records import credit, sample_mask
from wijkmap.core.view import ViewState, to_query
from wijkmap.council.report import content as report_content, html, pdf
from wijkmap.council.report.content import ReportError, StoreData

__all__ = ["ReportError", "build_report", "report_html"]


def build_report(
    codes: list[str],
    *,
    jaar: int | None = None,
    lang: str = "nl",
    link: str | None = None,
    store: Path | None = None,
    state: ViewState | None = None,
    data: StoreData | None = None,
) -> bytes:
    """The PDF report on `codes[0]` (a buurt, wijk or gemeente code), compared with the
    rest of `codes` when there are more (at most config.REPORT_MAX_AREAS in all).

    `state` is the view to report on (Kaart's: its indicator, classes, filters); without
    one, the default view of the area's gemeente. `link` reopens the view (default: the
    view's URL under config.PUBLIC_URL). `data` is the store already read (content.load),
    else it is read from `store` (default: the app's store). Raises ReportError with a
    message naming a code or year that cannot be reported on."""
    return pdf.html_to_pdf(report_html(codes, jaar=jaar, lang=lang, link=link, store=store, state=state, data=data))


def report_html(codes, *, jaar=None, lang="nl", link=None, store=None, state=None, data=None) -> str:
    """The report's HTML (what build_report prints)."""
    codes = [code.strip().upper() for code in codes if code and code.strip()]
    if not codes:
        raise ReportError("geen gebied gegeven (--gebied CODE)")
    if len(codes) > config.REPORT_MAX_AREAS:
        raise ReportError(f"hoogstens {config.REPORT_MAX_AREAS} gebieden in één rapport, niet {len(codes)}")
    data = report_content.load(store) if data is None else data
    for code in codes[1:]:
        report_content.find_area(data, code)  # a bad code is named before anything is drawn
    report = report_content.gather(data, codes[0], state=state, jaar=jaar, lang=lang)
    link = link or view_link(report.state, codes[1:])
    return html.render(_context(report, codes, data, link, lang))


def view_link(state: ViewState, vergelijk: list[str]) -> str:
    """The address that reopens the view on Kaart."""
    if vergelijk:
        state = dataclasses.replace(state, vergelijk=[state.gebied or state.gemeente or "", *vergelijk])
    return f"{config.public_url()}?{urlencode(to_query(state))}"


def _context(report, codes: list[str], data: StoreData, link: str, lang: str) -> dict:
    # Here, not at the top: Kaart imports this module for its button, and matplotlib and
    # vl-convert are needed only when a report is made.
    from wijkmap.council import map_image
    from wijkmap.council.report import charts

    area = report.area
    choropleth = report.choropleth
    niveau_label = vocab.label("niveau", area.niveau, lang)
    if area.niveau == "gemeente":
        subtitle = t("report_subtitle_gemeente", lang).format(code=area.code)
    else:
        subtitle = t("report_subtitle", lang).format(niveau=niveau_label, code=area.code, gemeente=area.gemeentenaam)
    here = report.here
    groups = report_content.provisions_table(here, lang)
    listed = sum(len(group["rows"]) for group in groups)
    more = len(here) - listed
    made = report.made.strftime("%d-%m-%Y %H:%M")
    ranking = report.ranking
    ranking_table = None
    if ranking is not None:
        ranking_table = html.table(ranking, [code == area.code for code in ranking.index])
    profile = report.profile
    if area.niveau == "gemeente" and len(profile):
        profile = profile.drop(columns=[t("gemeente", lang)])
    comparison, comparison_caption = _comparison(codes, data, report, lang)
    change_part = None
    if report.change is not None:
        c = report.change
        change_part = {
            "period": f"{t('change_summary', lang)} {change_view.period_text(c.a, c.b)}.",
            "summary": c.summary,
            "counts": [(vocab.label("status", s, lang), n) for s, n in c.counts.items()],
            "charts": [html.data_url(png) for png in charts.chart_pngs(c.charts)],
        }
    niveaus = {"buurt": ("buurten", "neighbourhoods"), "wijk": ("wijken", "districts")}[report.niveau]
    return {
        "lang": lang,
        "title": t("report_title", lang).format(naam=area.naam),
        "subtitle": subtitle,
        "page_label": t("report_page", lang),
        "footer": f"wijkmap · {area.naam} · {made}",
        "sample": report.sample,
        "sample_here": bool(sample_mask(here).any()),
        "map_src": html.data_url(map_image.map_png(report, lang)),
        "map_caption": t("report_map_caption", lang).format(
            niveaus=niveaus[1 if lang == "en" else 0],
            indicator=choropleth.legend_title,
            jaar=report.jaar,
            bron=choropleth.source + ".",
        )
        + (
            ""
            if report.asked_jaar is None
            else " "
            + t("report_map_year_note", lang).format(
                indicator=choropleth.legend_title, gevraagd=report.asked_jaar, jaar=report.jaar
            )
        ),
        "made": made,
        "link": link,
        "profile": html.table(profile),
        "comparison": comparison,
        "comparison_caption": comparison_caption,
        "provisions": groups,
        "provisions_count": len(here),
        "provisions_more": t("report_more_provisions", lang).format(n=more, max=config.REPORT_MAX_RECORDS)
        if more > 0
        else "",
        "change": change_part,
        "ranking": ranking_table,
        "ranking_notes": report.ranking_notes,
        "sources": _sources(report, lang),
        "text": _texts(lang),
    }


def _comparison(codes: list[str], data: StoreData, report, lang: str):
    """The comparison of all the report's areas (council.compare, over the report's
    change period), as one table per part and a caption; (None, '') for one area."""
    if len(codes) < 2:
        return None, ""
    from wijkmap.council import compare
    from wijkmap.council.search import AreaIndex

    # As Kaart's comparison counts (council.cache.comparison): the view's filters, every
    # year, the report's one period, provisions that existed in the view's year.
    known = data.records if report.state.voorbeeld else data.records[~sample_mask(data.records)]
    try:
        comparison = compare.compare(
            codes,
            statistics=data.statistics,
            catalogue=data.catalogue,
            records=compare.records_for(data.records, report.state),
            lang=lang,
            periode=report.periode,
            peiljaar=report.state.peiljaar,
            index=AreaIndex.from_store(data.path),  # the report's store, not the default one
            shapes=report.focus_shapes,
            covered=set(known["gemeentecode"]),
        )
    except ValueError as error:
        raise ReportError(str(error)) from error
    names = ", ".join(f"{a.naam} ({a.code})" for a in comparison.areas)
    caption = t("report_comparison_caption", lang).format(gebieden=names, jaar=comparison.jaar or "–")
    return _comparison_parts(compare.comparison_table(comparison, lang), lang), caption


def _comparison_parts(table: pd.DataFrame, lang: str) -> list[dict]:
    """comparison_table split by its first column (the part), each value formatted in its
    unit, for print: [{'title', 'table'}]."""
    section, subject, unit, year = table.columns[:4]
    values = list(table.columns[4:])
    parts = []
    for title, rows in table.groupby(section, sort=False):
        shown = pd.DataFrame({subject: rows[subject], year: rows[year].map(_year_text)})
        for column in values:
            shown[column] = [
                "–" if pd.isna(v) else format_value(float(v), u, lang) if isinstance(v, (int, float)) else str(v)
                for v, u in zip(rows[column], rows[unit])
            ]
        parts.append({"title": str(title), "table": html.table(shown)})
    return parts


def _year_text(value) -> str:
    return "" if pd.isna(value) else str(int(value)) if isinstance(value, (int, float)) else str(value)


def _sources(report, lang: str) -> list[str]:
    """The sources page: CBS and Kadaster for figures and boundaries, then every source
    of the provisions shown with its count (OpenStreetMap with its licence's credit)."""
    lines = [report.choropleth.source]
    profile_sources = ", ".join(report.profile_sources)
    if profile_sources:
        lines.append(t("report_sources_profile", lang).format(bron=profile_sources))
    shown = report.shown
    sample = sample_mask(shown)
    counts = Counter(credit(bron) for bron in shown.loc[~sample, "bron"])
    for name, n in sorted(counts.items()):
        lines.append(t("report_sources_records", lang).format(bron=name, n=n))
    if sample.any():
        lines.append(t("report_sources_records", lang).format(bron=t("sample_credit", lang), n=int(sample.sum())))
    return lines


def _texts(lang: str) -> dict[str, str]:
    keys = {
        "page": "report_page",
        "sample_warning": "report_sample_warning",
        "map_alt": "report_map_alt",
        "made": "report_made",
        "link": "report_link",
        "profile": "report_profile",
        "profile_caption": "report_profile_caption",
        "comparison": "report_comparison",
        "provisions": "report_provisions",
        "sample_rows": "report_sample_rows",
        "no_provisions": "report_no_provisions",
        "change": "report_change",
        "change_sample": "report_change_sample",
        "cycle": "change_cycle",
        "cycle_caption": "change_cycle_caption",
        "no_change": "report_no_change",
        "ranking": "thin_spots",
        "sources": "sources",
        "sample_sources": "report_sample_sources",
        "name": "col_name",
        "kind": "col_kind",
        "strategy": "strategy",
        "actors": "actors",
        "source": "source",
        "fictional": "sample_short",
    }
    return {name: t(key, lang) for name, key in keys.items()}
