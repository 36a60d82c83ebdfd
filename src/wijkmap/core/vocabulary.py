"""The shared vocabulary: every code the data uses, with its Dutch and English label.

Codes are lower_snake and are what the store, imports and URLs carry; labels are for
people. Every other module takes its codes from here, so a new soort or actortype is
added in exactly one place.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Term:
    code: str
    nl: str
    en: str
    group: str | None = None  # category of a soort, formality of an actortype

    def label(self, lang: str = "nl") -> str:
        return self.en if lang == "en" else self.nl


def _terms(*rows: tuple) -> dict[str, Term]:
    return {row[0]: Term(*row) for row in rows}


SOORT_CATEGORIES = _terms(
    ("klassiek", "Klassieke voorziening", "Classic provision"),
    ("popup", "Pop-up / nieuw", "Pop-up / new"),
    ("professioneel", "Professioneel", "Professional"),
    ("religieus", "Religieus", "Religious"),
    ("initiatief", "Initiatief", "Initiative"),
)

SOORTEN = _terms(
    ("buurthuis", "Buurthuis", "Community centre", "klassiek"),
    ("bibliotheek", "Bibliotheek (filiaal)", "Library branch", "klassiek"),
    ("bejaardenhuis", "Bejaardenhuis", "Care home for the elderly", "klassiek"),
    ("huis_van_de_wijk", "Huis/huiskamer van de wijk", "Neighbourhood living room", "popup"),
    ("repair_cafe", "Repair café", "Repair café", "popup"),
    ("buurtrestaurant", "Buurtrestaurant", "Neighbourhood restaurant", "popup"),
    ("naaiatelier", "Naaiatelier", "Sewing workshop", "popup"),
    ("wijkwerkplaats", "Wijkwerkplaats", "Neighbourhood workshop", "popup"),
    ("kringloopwinkel", "Kringloopwinkel", "Second-hand shop", "popup"),
    ("voedselbank", "Voedselbank", "Food bank", "popup"),
    ("koffiehoek", "Koffiehoek (supermarkt)", "Supermarket coffee corner", "popup"),
    ("broedplaats", "Broedplaats", "Creative incubator", "popup"),
    ("wijkteam", "Wijkteam", "Neighbourhood team", "professioneel"),
    ("wijkagent", "Wijkagent", "Community police officer", "professioneel"),
    ("wijkpastoraat", "Wijkpastoraat", "Neighbourhood chaplaincy", "professioneel"),
    ("kerk", "Kerk", "Church", "religieus"),
    ("moskee", "Moskee", "Mosque", "religieus"),
    ("religieuze_organisatie", "Religieuze organisatie", "Religious organisation", "religieus"),
    ("bewonersinitiatief", "Bewonersinitiatief", "Residents' initiative", "initiatief"),
    ("community_art", "Community art", "Community art", "initiatief"),
    ("dementievriendelijk", "Dementievriendelijk initiatief", "Dementia-friendly initiative", "initiatief"),
    ("ontvangende_buurt", "Ontvangende buurt", "Welcoming neighbourhood", "initiatief"),
)

ACTOR_FORMALITIES = _terms(
    ("formeel", "Formeel", "Formal"),
    ("informeel", "Informeel", "Informal"),
    ("tussenvorm", "Tussenvorm", "In between"),
)

ACTORTYPES = _terms(
    ("gemeente", "Gemeente", "Municipality", "formeel"),
    ("welzijnsorganisatie", "Welzijnsorganisatie", "Welfare organisation", "formeel"),
    ("woningcorporatie", "Woningcorporatie", "Housing corporation", "formeel"),
    ("zorgaanbieder", "Zorgaanbieder", "Care provider", "formeel"),
    ("bibliotheekorganisatie", "Bibliotheekorganisatie", "Library organisation", "formeel"),
    ("bewoners", "Bewoners", "Residents", "informeel"),
    ("vrijwilligersorganisatie", "Vrijwilligersorganisatie", "Volunteer organisation", "informeel"),
    ("religieuze_organisatie", "Religieuze organisatie", "Religious organisation", "informeel"),
    ("sociaal_ondernemer", "Sociaal ondernemer (zzp)", "Social entrepreneur", "tussenvorm"),
    ("kunstenaar", "Kunstenaar", "Artist", "tussenvorm"),
    ("commercieel", "Commercieel", "Commercial", "tussenvorm"),
)

STRATEGIES = _terms(
    ("bonding", "Bonding (binden)", "Bonding"),
    ("bridging", "Bridging (overbruggen)", "Bridging"),
    ("beide", "Beide", "Both"),
    ("onbekend", "Onbekend", "Unknown"),
)

DOELGROEPEN = _terms(
    ("ouderen", "Ouderen", "Older people"),
    ("beperking", "Mensen met een beperking", "People with a disability"),
    ("nieuwkomers", "Nieuwkomers", "Newcomers"),
    ("alleenstaanden", "Alleenstaanden", "People living alone"),
    ("jongeren", "Jongeren", "Young people"),
    ("armoede", "Mensen in armoede", "People in poverty"),
    ("iedereen", "Iedereen", "Everyone"),
)

TARIEVEN = _terms(
    ("gratis", "Gratis", "Free"),
    ("maatschappelijk", "Maatschappelijk tarief", "Social rate"),
    ("commercieel", "Commercieel tarief", "Commercial rate"),
    ("wisselend", "Wisselend", "Varies"),
)

CHANGE_STATUSES = _terms(
    ("verdwenen", "Verdwenen", "Disappeared"),
    ("teruggekeerd", "Teruggekeerd in andere vorm", "Came back in another form"),
    # A move to a new address (change.model says when a successor counts as one).
    ("verhuisd", "Verhuisd", "Moved"),
    ("nieuw", "Nieuw", "New"),
    ("blijvend", "Blijvend", "Lasting"),
)

AREA_LEVELS = _terms(
    ("gemeente", "Gemeente", "Municipality"),
    ("wijk", "Wijk", "District"),
    ("buurt", "Buurt", "Neighbourhood"),
)

# The bron of illustrative, fictional records. Anything carrying it must be shown as such.
SAMPLE_BRON = "voorbeeld"
# The bron of records imported from OpenStreetMap, and the credit its licence (ODbL) asks
# for wherever they are shown or exported.
OSM_BRON = "OpenStreetMap"
OSM_CREDIT = "© OpenStreetMap-bijdragers (ODbL)"
# The bron of examples sent in by practitioners and approved by a moderator.
CONTRIBUTION_BRON = "bijdrage"

VOCABULARIES: dict[str, dict[str, Term]] = {
    "soort": SOORTEN,
    "categorie": SOORT_CATEGORIES,
    "actortype": ACTORTYPES,
    "formaliteit": ACTOR_FORMALITIES,
    "strategie": STRATEGIES,
    "doelgroep": DOELGROEPEN,
    "tarief": TARIEVEN,
    "status": CHANGE_STATUSES,
    "niveau": AREA_LEVELS,
}


def label(vocabulary: str, code: str, lang: str = "nl") -> str:
    """The label of `code` in `vocabulary`; an unknown code is shown as itself."""
    term = VOCABULARIES[vocabulary].get(code)
    return term.label(lang) if term else code


def labels(vocabulary: str, codes: Iterable[str], lang: str = "nl") -> str:
    """The labels of `codes` (a list field, as records.split_list reads it), comma-separated."""
    return ", ".join(label(vocabulary, code, lang) for code in codes if code)


def soorten_in(category: str) -> list[str]:
    return [t.code for t in SOORTEN.values() if t.group == category]


def actortypes_with(formality: str) -> list[str]:
    return [t.code for t in ACTORTYPES.values() if t.group == formality]


def category_of(soort: str) -> str | None:
    term = SOORTEN.get(soort)
    return term.group if term else None


# Other names people use for a soort, in registers and in speech.
SYNONYMS: dict[str, str] = {
    "huiskamer van de wijk": "huis_van_de_wijk",
    "kamer van de wijk": "huis_van_de_wijk",
    "buurtkamer": "huis_van_de_wijk",
    "wijkhuis": "huis_van_de_wijk",
    "buurtcentrum": "buurthuis",
    "wijkcentrum": "buurthuis",
    "verzorgingshuis": "bejaardenhuis",
    "bieb": "bibliotheek",
    "community centre": "buurthuis",
    "library": "bibliotheek",
}


def _normalise(text: str) -> str:
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def lookup(vocabulary: str, text: str) -> str | None:
    """The code for a user's spelling of a term: its code or its Dutch or English label,
    ignoring case, spaces, hyphens and underscores. None when nothing matches."""
    wanted = _normalise(text)
    if not wanted:
        return None
    for term in VOCABULARIES[vocabulary].values():
        if wanted in (_normalise(term.code), _normalise(term.nl), _normalise(term.en)):
            return term.code
    if vocabulary == "soort":
        for synonym, code in SYNONYMS.items():
            if wanted == _normalise(synonym):
                return code
    return None


def nearest(vocabulary: str, text: str, n: int = 3) -> list[str]:
    """Up to `n` codes of `vocabulary` whose code or label (Dutch, English, a synonym)
    is spelled most like `text`, best first: the "bedoelde u …?" of an unknown value."""
    wanted = _normalise(text)
    if not wanted:
        return []
    spellings: dict[str, str] = {}
    for term in VOCABULARIES[vocabulary].values():
        for spelling in (term.code, term.nl, term.en):
            spellings.setdefault(_normalise(spelling), term.code)
    if vocabulary == "soort":
        for synonym, code in SYNONYMS.items():
            spellings.setdefault(_normalise(synonym), code)
    scores: dict[str, float] = {}
    for spelling, code in spellings.items():
        score = difflib.SequenceMatcher(None, wanted, spelling).ratio()
        if len(wanted) >= 3 and spelling.startswith(wanted):  # "bridg" is "bridging" cut short
            score += 0.2
        scores[code] = max(score, scores.get(code, 0.0))
    ranked = sorted((code for code in scores if scores[code] >= 0.6), key=lambda code: -scores[code])
    # A far better first match stands alone: "vrijwiligersorganisatie" is not "welzijnsorganisatie".
    return [code for code in ranked if scores[code] >= scores[ranked[0]] - 0.15][:n]
