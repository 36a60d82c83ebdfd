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
    "strategy": ("Strategie", "Strategy"),
    "actors": ("Actoren", "Actors"),
    "target_groups": ("Doelgroepen", "Target groups"),
    "years": ("Jaren", "Years"),
    "source": ("Bron", "Source"),
    "website": ("Website", "Website"),
    "sample_banner": ("Fictief voorbeeld (illustratie)", "Fictional example (illustration)"),
    "sample_short": ("fictief", "fictional"),
    "scheme_quantiles": ("kwantielen", "quantiles"),
    "scheme_equal_interval": ("gelijke intervallen", "equal intervals"),
    "scheme_natural_breaks": ("natuurlijke grenzen", "natural breaks"),
    "geometry_source": ("kaart: CBS, Kadaster", "map: CBS, Kadaster"),
    "indicator": ("Indicator", "Indicator"),
    "year": ("Jaar", "Year"),
    "this_area": ("Dit gebied", "This area"),
    "gemeente": ("Gemeente", "Municipality"),
    "netherlands": ("Nederland", "Netherlands"),
    "choose_gemeente": ("Gemeente", "Municipality"),
    "choose_gemeente_help": (
        "Typ om te zoeken. Of klik op de kaart van Nederland op een gemeente.",
        "Type to search, or click a municipality on the map of the Netherlands.",
    ),
    "all_gemeenten": ("Nederland — alle gemeenten", "Netherlands — all municipalities"),
    "level": ("Niveau", "Level"),
    "colour_by": ("Kleur de kaart naar", "Colour the map by"),
    "best_year": ("Best gevuld jaar", "Best covered year"),
    "classification": ("Klassenindeling en kleuren", "Classes and colours"),
    "scheme": ("Indeling", "Classification"),
    "classes": ("Aantal klassen", "Number of classes"),
    "palette": ("Kleurenschema", "Colour scheme"),
    "palette_blauw": ("Blauw", "Blue"),
    "palette_oranje": ("Oranje", "Orange"),
    "palette_paars": ("Paars", "Purple"),
    "palette_groen": ("Groen", "Green"),
    "palette_contrast": ("Hoog contrast (viridis)", "High contrast (viridis)"),
    "layers": ("Lagen op de kaart", "Layers on the map"),
    "filters": ("Filters", "Filters"),
    "strategy_help": (
        "Bonding: binden binnen een groep. Bridging: contact tussen groepen. "
        "Een initiatief dat beide doet, telt bij allebei.",
        "Bonding: ties within a group. Bridging: contact across groups. "
        "An initiative that does both counts for each.",
    ),
    "formality": ("Formeel / informeel", "Formal / informal"),
    "actortype": ("Actortype", "Actor type"),
    "kind": ("Soort", "Kind"),
    "fee": ("Tarief", "Fee"),
    "temporary": ("Tijdelijk (pop-up)", "Temporary (pop-up)"),
    "all": ("Alle", "All"),
    "yes": ("Ja", "Yes"),
    "no": ("Nee", "No"),
    "map_year": ("Toon de situatie in", "Show the situation in"),
    "now": ("Nu", "Now"),
    "map_year_help": (
        "Wat er in dat jaar bestond. Zonder openingsjaar geldt een voorziening als al aanwezig.",
        "What existed in that year. A provision without an opening year counts as already there.",
    ),
    "show_sample": ("Toon fictieve voorbeelddata", "Show fictional sample data"),
    "show_sample_help": (
        "De voorbeelddata (bron ‘voorbeeld’) is verzonnen, om te laten zien wat de kaart kan.",
        "The sample (source ‘voorbeeld’) is made up, to show what the map can do.",
    ),
    "sample_credit": ("fictieve voorbeelddata", "fictional sample data"),
    "no_figures": (
        "Voor deze indicator zijn hier geen cijfers. Kies een andere indicator.",
        "There are no figures for this indicator here. Choose another indicator.",
    ),
    "no_areas": ("Voor deze keuze zijn geen gebieden beschikbaar.", "No areas are available for this choice."),
    "ignored_parameters": ("Niet begrepen in de link, genegeerd: ", "Not understood in the link, ignored: "),
    "sample_on_map": (
        "Op de kaart staan ook **fictieve voorbeelden** (gestippelde symbolen, bron ‘voorbeeld’). "
        "Zet ze uit onder Filters → ‘Toon fictieve voorbeelddata’.",
        "The map also shows **fictional examples** (dashed symbols, source ‘voorbeeld’). "
        "Switch them off under Filters → ‘Show fictional sample data’.",
    ),
    "shown": ("Voorzieningen getoond", "Provisions shown"),
    "bonding": ("Bonding", "Bonding"),
    "bridging": ("Bridging", "Bridging"),
    "areas_drawn": ("Gebieden op de kaart", "Areas on the map"),
    "table_title": ("Wat de kaart toont", "What the map shows"),
    "share_hint": (
        "Deel deze weergave: de link hieronder (en in de adresbalk) opent precies deze kaart.",
        "Share this view: the link below (and in the address bar) opens exactly this map.",
    ),
    "click_area": ("Klik op een gebied op de kaart voor het profiel.", "Click an area on the map for its profile."),
    "in_this_area": ("Voorzieningen in dit gebied", "Provisions in this area"),
    "download_csv": ("Download CSV", "Download CSV"),
    "download_geojson": ("Download GeoJSON", "Download GeoJSON"),
    "col_name": ("Naam", "Name"),
    "col_kind": ("Soort", "Kind"),
    "col_strategy": ("Strategie", "Strategy"),
    "col_actors": ("Actoren", "Actors"),
    "col_opened": ("Geopend", "Opened"),
    "col_closed": ("Gesloten", "Closed"),
    "col_source": ("Bron", "Source"),
    "col_sample": ("Fictief", "Fictional"),
    "col_buurt": ("Buurt", "Neighbourhood"),
    "area": ("Gebied", "Area"),
    "provisions": ("Voorzieningen", "Provisions"),
    "per_1000": ("per 1.000 inw.", "per 1,000 res."),
    "thin_spots": ("Hoge nood, dunne sociale basis", "High need, thin social basis"),
    "thin_spots_help": (
        "Gebieden in het kwart met de hoogste nood op deze indicator, gerangschikt naar het aantal "
        "getoonde voorzieningen per 1.000 inwoners (minste eerst). Filters en lagen tellen mee.",
        "Areas in the quarter with the highest need on this indicator, ranked by provisions shown per "
        "1,000 residents (fewest first). Filters and layers count.",
    ),
    "no_need_indicator": (
        "Kies een indicator van nood (bv. 65+, eenpersoonshuishoudens, bijstand) om te zien waar de nood hoog "
        "en de sociale basis dun is.",
        "Choose an indicator of need (e.g. 65+, single-person households, social assistance) to see where need "
        "is high and the social basis thin.",
    ),
    "missing_value": ("geen gegevens of geheim (CBS)", "no data or confidential (CBS)"),
}


def t(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    dutch, english = TEXT[key]
    return english if lang == "en" else dutch


# The catalogue's units are Dutch; their English form.
UNITS_EN = {
    "aantal": "count",
    "per 1.000 inwoners": "per 1,000 residents",
    "x 1.000 euro": "x 1,000 euro",
}


def unit_label(unit: str, lang: str = DEFAULT_LANGUAGE) -> str:
    return UNITS_EN.get(unit, unit) if lang == "en" else unit


def format_value(value: float, unit: str, lang: str = DEFAULT_LANGUAGE, with_unit: bool = True) -> str:
    """A number as people read it: Dutch separators by default, a sensible precision
    for the unit ('12,5%', '1.035', '0,8 km'). Without `with_unit` only '%' stays, for
    places where the unit is said once (a legend's subtitle)."""
    whole = unit in ("aantal", "per km²")
    text = f"{value:,.0f}" if whole else f"{value:,.1f}"
    if lang != "en":
        text = text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
    if unit == "%":
        return f"{text}%"
    if unit in ("aantal", "") or not with_unit:
        return text
    return f"{text} {unit_label(unit, lang)}"
