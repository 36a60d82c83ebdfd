"""The Voorbeelden publication: which records it shows, its filters, and escaping."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from wijkmap.contributions import publication
from wijkmap.core.records import FIELDS


def record(**values) -> dict:
    base = {name: "" for name in FIELDS}
    base.update(
        id="bijdrage-1", naam="Huiskamer", soort="huis_van_de_wijk", strategie="bonding", bron="bijdrage",
        omschrijving="Koffie.", buurtcode="BU03440611", wijkcode="WK034406", gemeentecode="GM0344",
        lon=5.12, lat=52.09,
    )  # fmt: skip
    base.update(values)
    return base


RECORDS = pd.DataFrame(
    [
        record(id="bijdrage-1", naam="Zwaluw", strategie="beide", actortype="bewoners;kunstenaar"),
        record(id="bijdrage-2", naam="aap", soort="repair_cafe", strategie="bridging", gemeentecode="GM0599"),
        record(id="bijdrage-3", naam="Moskee", soort="moskee", strategie="bonding", actortype="religieuze_organisatie"),
        record(id="v-1", naam="Fictief", bron="voorbeeld"),
        record(id="r-1", naam="Register", bron="register gemeente"),
    ]
)[FIELDS]


def test_only_contributions_are_examples_sorted_by_name():
    shown = publication.filter_examples(publication.examples(RECORDS))
    assert list(shown["naam"]) == ["aap", "Moskee", "Zwaluw"]


def test_filters_mean_what_they_mean_on_the_map():
    examples = publication.examples(RECORDS)
    names = lambda **f: list(publication.filter_examples(examples, **f)["naam"])  # noqa: E731
    assert names(strategie=["bonding"]) == ["Moskee", "Zwaluw"]  # 'beide' bonds too
    assert names(gemeente=["GM0599"]) == ["aap"]
    assert names(actortype=["kunstenaar"]) == ["Zwaluw"]
    assert names(soort=["moskee", "repair_cafe"]) == ["aap", "Moskee"]
    assert names(strategie=["bridging"], gemeente=["GM0344"]) == ["Zwaluw"]


def test_cards_carry_labels_places_and_years():
    rows = pd.DataFrame([record(actortype="bewoners;woningcorporatie", doelgroep="ouderen", geopend="2019-03-01",
                                gesloten="2024", tijdelijk="ja", url="https://example.org")])[FIELDS]  # fmt: skip
    (card,) = publication.cards(rows, {"BU03440611": "Domplein"}, {"GM0344": "Utrecht"}, "nl")
    assert (card.soort, card.strategie, card.actoren) == ("Huis/huiskamer van de wijk", "Bonding (binden)",
                                                          "Bewoners, Woningcorporatie")  # fmt: skip
    assert (card.buurt, card.gemeente, card.jaren, card.tijdelijk) == ("Domplein", "Utrecht", "1 mrt 2019 – 2024", True)
    (english,) = publication.cards(rows, {}, {}, "en")
    assert english.soort == "Neighbourhood living room" and english.gemeente == "GM0344"


def test_every_text_on_a_card_is_escaped():
    hostile = "<img src=x onerror=alert(1)>\"'&"
    rows = pd.DataFrame([record(naam=hostile, omschrijving=f"<script>alert(2)</script>\n{hostile}",
                                url='https://example.org/"onmouseover="alert(3)')])[FIELDS]  # fmt: skip
    cards = publication.cards(rows, {"BU03440611": "<b>buurt</b>"}, {}, "nl")
    html = publication.cards_block(cards, "nl") + publication.document_html(cards, "nl")
    assert "<img" not in html and "<script" not in html and "<b>" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;&quot;&#x27;&amp;" in html
    assert 'href="https://example.org/&quot;onmouseover=&quot;alert(3)"' in html


def test_a_link_is_only_ever_http():
    rows = pd.DataFrame([record(url="javascript:alert(1)")])[FIELDS]
    (card,) = publication.cards(rows, {}, {}, "nl")
    assert card.url == "" and "href" not in publication.card_html(card, "nl")


def test_the_download_is_a_standalone_page_without_scripts():
    cards = publication.cards(publication.examples(RECORDS), {}, {}, "nl")
    document = publication.document_html(cards, "nl", today=dt.date(2026, 5, 1))
    assert document.startswith("<!DOCTYPE html>") and "2026-05-01" in document
    assert "<script" not in document and "http" not in document.split("<body>")[0]  # nothing fetched
    assert document.count('class="wm-card"') == 3
