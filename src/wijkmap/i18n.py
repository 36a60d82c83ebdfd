"""All interface text, Dutch first, English second. Pages ask `t(key, lang)`.

Codes of the vocabulary have their labels in vocabulary.py; this holds the rest.
"""

from __future__ import annotations

LANGUAGES = {"nl": "Nederlands", "en": "English"}
DEFAULT_LANGUAGE = "nl"

TEXT: dict[str, tuple[str, str]] = {
    "app_title": ("wijkmap — de sociale basis per buurt", "wijkmap — the social infrastructure per neighbourhood"),
    "page_map": ("Kaart", "Map"),
    "page_data": ("Gegevens", "Data"),
    "language": ("Taal", "Language"),
    "data_intro": (
        "Wat er in het gegevensbestand zit: gebieden, statistieken en voorzieningen, elk met hun bron.",
        "What the data store holds: areas, statistics and provisions, each with its source.",
    ),
    "areas": ("Gebieden", "Areas"),
    "layer": ("Laag", "Layer"),
    "count": ("Aantal", "Count"),
    "indicators": ("Indicatoren (CBS)", "Indicators (CBS)"),
    "records": ("Voorzieningen en initiatieven", "Provisions and initiatives"),
    "per_source": ("Per bron", "Per source"),
    "per_kind": ("Per soort", "Per kind"),
    "sample_warning": (
        "Records met bron ‘voorbeeld’ zijn **fictief**: een illustratieve steekproef om de kaart te laten zien. "
        "Echte gegevens komen uit open data, imports en bijdragen.",
        "Records with source ‘voorbeeld’ are **fictional**: an illustrative sample to demonstrate the map. "
        "Real data comes from open data, imports and contributions.",
    ),
    "sources": ("Bronnen", "Sources"),
    "store_missing": (
        "Er is nog geen gegevensbestand. Maak het met `python -m wijkmap build-data`.",
        "There is no data store yet. Build it with `python -m wijkmap build-data`.",
    ),
    "attribution": ("Bron: CBS, Kadaster", "Source: CBS, Kadaster"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    dutch, english = TEXT[key]
    return english if lang == "en" else dutch
