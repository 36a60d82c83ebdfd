"""The Voorbeelden publication: approved contributions as cards, filtered, printable.

Reads only records (bron "bijdrage"), never the queue, so nothing pending can appear.
A card is built here as HTML in which every piece of text, from a contribution or from
the data, is HTML-escaped: the page shows it with st.html and the same cards make the
downloadable, printable HTML file. Nothing here imports Streamlit.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from wijkmap.core import analysis, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import split_list, years_text


@dataclass(frozen=True)
class Card:
    """One example as the publication shows it (labels, not codes; plain text)."""

    id: str
    naam: str
    verhaal: str
    soort: str
    categorie: str
    strategie: str
    actoren: str
    doelgroepen: str
    tarief: str
    tijdelijk: bool
    buurt: str
    gemeente: str
    jaren: str
    url: str


def examples(records: pd.DataFrame) -> pd.DataFrame:
    """The published contributions among `records`."""
    return records[records["bron"] == vocab.CONTRIBUTION_BRON]


def filter_examples(
    records: pd.DataFrame, gemeente: Iterable[str] = (), strategie: Iterable[str] = (),
    actortype: Iterable[str] = (), soort: Iterable[str] = (),
) -> pd.DataFrame:  # fmt: skip
    """The examples that pass each given filter, by name. The filters mean what they
    mean on the map (analysis.filter_records): 'beide' counts as bonding and bridging."""
    kept = analysis.filter_records(records, strategie=list(strategie), actortype=list(actortype), soort=list(soort))
    gemeente = list(gemeente)
    if gemeente:
        kept = kept[kept["gemeentecode"].isin(gemeente)]
    return kept.sort_values(["naam", "id"], key=lambda column: column.str.casefold(), kind="stable")


def cards(
    records: pd.DataFrame, buurt_names: Mapping[str, str], gemeente_names: Mapping[str, str], lang: str
) -> list[Card]:
    return [
        Card(
            id=row.id,
            naam=row.naam,
            verhaal=row.omschrijving,
            soort=vocab.label("soort", row.soort, lang),
            categorie=vocab.label("categorie", vocab.category_of(row.soort) or "", lang),
            strategie=vocab.label("strategie", row.strategie, lang) if row.strategie != "onbekend" else "",
            actoren=vocab.labels("actortype", split_list(row.actortype), lang),
            doelgroepen=vocab.labels("doelgroep", split_list(row.doelgroep), lang),
            tarief=vocab.label("tarief", row.tarief, lang) if row.tarief else "",
            tijdelijk=row.tijdelijk == "ja",
            buurt=buurt_names.get(row.buurtcode, row.buurtcode),
            gemeente=gemeente_names.get(row.gemeentecode, row.gemeentecode),
            jaren=years_text(row.geopend, row.gesloten, lang),
            url=row.url if row.url.lower().startswith(("http://", "https://")) else "",
        )
        for row in records.itertuples(index=False)
    ]


def _e(text) -> str:
    return html.escape("" if text is None else str(text), quote=True)


def card_html(card: Card, lang: str) -> str:
    """One card; every text is escaped, so a name like <img onerror=…> shows as written."""
    place = ", ".join(part for part in (card.buurt, card.gemeente) if part)
    rows = [
        (t("strategy", lang), card.strategie),
        (t("actors", lang), card.actoren),
        (t("target_groups", lang), card.doelgroepen),
        (t("fee", lang), card.tarief),
        (t("years", lang), card.jaren),
    ]
    facts = "".join(f"<dt>{_e(label)}</dt><dd>{_e(value)}</dd>" for label, value in rows if value)
    badges = f'<span class="wm-badge">{_e(card.soort)}</span>'
    if card.tijdelijk:
        badges += f'<span class="wm-badge wm-popup">{_e(t("popup_badge", lang))}</span>'
    link = (
        f'<p class="wm-link"><a href="{_e(card.url)}" target="_blank" rel="noopener noreferrer nofollow">'
        f"{_e(card.url)}</a></p>"
        if card.url
        else ""
    )
    return (
        f'<article class="wm-card" id="{_e(card.id)}">'
        f'<h3 class="wm-card-title">{_e(card.naam)}</h3>'
        f'<p class="wm-place">{_e(place)}</p>'
        f"<p>{badges}</p>"
        f'<p class="wm-story">{_e(card.verhaal)}</p>'
        f"<dl>{facts}</dl>{link}</article>"
    )


CARD_CSS = """
.wm-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(330px, 1fr)); gap: 16px; }
.wm-card { border: 1px solid #c8ccd2; border-radius: 8px; padding: 14px 16px; background: #fff;
           break-inside: avoid; page-break-inside: avoid; color: #1a1a1a; font-family: inherit; }
.wm-card-title { margin: 0 0 2px; font-size: 1.2rem; line-height: 1.3; overflow-wrap: anywhere; }
.wm-place { margin: 0 0 8px; color: #4a4f57; font-size: 0.9rem; }
.wm-story { white-space: pre-wrap; overflow-wrap: anywhere; margin: 8px 0; line-height: 1.45; }
.wm-badge { display: inline-block; border: 1px solid #009E73; color: #00573f; border-radius: 10px;
            padding: 0 8px; margin-right: 6px; font-size: 0.85rem; }
.wm-badge.wm-popup { border-color: #D55E00; color: #8a3c00; }
.wm-card dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 10px; margin: 6px 0 0;
              padding: 0; font-size: 0.9rem; }
.wm-card dt { color: #4a4f57; font-weight: 600; margin: 0; padding: 0; }
.wm-card dd { margin: 0; padding: 0; overflow-wrap: anywhere; }
.wm-link { margin: 8px 0 0; font-size: 0.9rem; overflow-wrap: anywhere; }
"""

# Printing from the app: only the cards, without the sidebar, the header and the buttons.
PRINT_CSS = """
@media print {
  section[data-testid="stSidebar"], header[data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stSidebarCollapsedControl"], .st-key-voorbeelden-actions, .stDownloadButton {
    display: none !important;
  }
  .wm-cards { display: block; }
  .wm-card { margin-bottom: 12px; border-color: #888; }
  .wm-link a::after { content: ""; }
}
"""


def cards_block(items: list[Card], lang: str) -> str:
    return f'<div class="wm-cards">{"".join(card_html(card, lang) for card in items)}</div>'


def document_html(items: list[Card], lang: str, note: str = "", today: dt.date | None = None) -> str:
    """A standalone, printable HTML file of the cards (no scripts, no external files)."""
    today = today or dt.date.today()
    title = t("examples_title", lang)
    return (
        f'<!DOCTYPE html><html lang="{_e(lang)}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>body {{ margin: 24px; font-family: sans-serif; }}"
        f"{CARD_CSS} @media print {{ .wm-cards {{ display: block; }} .wm-card {{ margin-bottom: 12px; }} }}</style>"
        f"</head><body><h1>{_e(title)}</h1>"
        f"<p>{_e(t('examples_document_intro', lang))} {_e(today.isoformat())}. {_e(note)}</p>"
        f"{cards_block(items, lang)}</body></html>"
    )
