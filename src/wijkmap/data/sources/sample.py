"""An illustrative, fictional sample of the sociale basis in Utrecht and Rotterdam.

No open source has initiatives with a strategy, or the closures of buurthuizen and
library branches, yet the product must be able to show them. This module makes such
records up, deterministically and unmistakably: every record has bron "voorbeeld", a name
ending in " (fictief)" and an omschrijving starting with "Fictief voorbeeld — ". It must
never be mixed silently with real records; the app shows it as fiction and can leave it out.

What is made, per gemeente (GM0344 Utrecht, GM0599 Rotterdam):
- wijkteams: one office per wijk; wijken with very few inhabitants are served by the
  nearest team, large wijken get two. Their werkgebieden partition the gemeente's buurten.
- classic provisions (buurthuis, bibliotheek, bejaardenhuis) opened 1955–1985, many of
  them closed 2005–2020, some followed 0–3 years later by a provision of a new kind, in
  the same building or nearby (`opvolger_van`), a few of those in a chain of two.
- churches, mosques, religious organisations and wijkpastoraat, some churches reused.
- pop-up provisions and residents' initiatives, placed more often where need is high
  (inhabitants, 65+, one-person households, bijstand, migration background: whatever the
  statistics hold), except in a few high-need buurten that are deliberately left thin.

Placement is plausible, not real: a random point inside a real 2015 buurt.
Same inputs and seed give byte-identical output: one numpy Generator per gemeente, every
iteration over sorted codes, no set order and no hash().
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.strtree import STRtree

from wijkmap.config import WGS84
from wijkmap.core.records import FIELDS, join_list
from wijkmap.core.vocabulary import SAMPLE_BRON

GEMEENTEN = ("GM0344", "GM0599")  # Utrecht, Rotterdam
STATISTICS_YEAR = 2015
LAST_YEAR = 2025  # no made-up event lies after this year
PREFIX = "Fictief voorbeeld — "
SUFFIX = " (fictief)"

NEED_INDICATORS = ("pct_65plus", "pct_eenpersoonshuishoudens", "bijstand_per_1000", "pct_niet_westers")
POPULATED = 100  # inhabitants; below this a buurt gets no initiatives (harbour, industry)
THIN_SHARE = 0.25  # share of high-need buurten left with a thin social basis
TEAM_MIN_INWONERS = 3000  # a smaller wijk is served by the nearest wijkteam
TEAM_SPLIT_INWONERS = 45000  # a larger wijk gets two wijkteams

# How many records of each soort are drawn freely per gemeente; successors of closed
# provisions and the wijkteams come on top (about 40 and 10-20 more).
PLAN: dict[str, dict[str, int]] = {
    "GM0344": {
        "buurthuis": 30, "bibliotheek": 11, "bejaardenhuis": 14,
        "kerk": 17, "moskee": 9, "religieuze_organisatie": 5, "wijkpastoraat": 4,
        "huis_van_de_wijk": 15, "repair_cafe": 14, "buurtrestaurant": 9, "naaiatelier": 7,
        "wijkwerkplaats": 6, "kringloopwinkel": 6, "voedselbank": 6, "koffiehoek": 10,
        "broedplaats": 5,
        "bewonersinitiatief": 56, "community_art": 17, "dementievriendelijk": 13,
        "ontvangende_buurt": 14,
    },
    "GM0599": {
        "buurthuis": 25, "bibliotheek": 10, "bejaardenhuis": 12,
        "kerk": 15, "moskee": 10, "religieuze_organisatie": 4, "wijkpastoraat": 4,
        "huis_van_de_wijk": 11, "repair_cafe": 10, "buurtrestaurant": 7, "naaiatelier": 6,
        "wijkwerkplaats": 5, "kringloopwinkel": 5, "voedselbank": 6, "koffiehoek": 6,
        "broedplaats": 5,
        "bewonersinitiatief": 42, "community_art": 12, "dementievriendelijk": 10,
        "ontvangende_buurt": 10,
    },
}
CLASSIC = ("buurthuis", "bibliotheek", "bejaardenhuis")
RELIGIOUS = ("kerk", "moskee", "religieuze_organisatie", "wijkpastoraat")
POPUP = (
    "huis_van_de_wijk", "repair_cafe", "buurtrestaurant", "naaiatelier", "wijkwerkplaats",
    "kringloopwinkel", "voedselbank", "koffiehoek", "broedplaats",
)
INITIATIVE = ("bewonersinitiatief", "community_art", "dementievriendelijk", "ontvangende_buurt")

# What replaces a closed provision, with weights; the chance it is replaced at all.
SUCCESSORS = {
    "buurthuis": (0.5, (("huis_van_de_wijk", 6), ("buurtrestaurant", 3), ("wijkwerkplaats", 1))),
    "bibliotheek": (0.5, (("huis_van_de_wijk", 7), ("wijkwerkplaats", 3))),
    "bejaardenhuis": (0.45, (("huis_van_de_wijk", 6), ("buurtrestaurant", 4))),
    "kerk": (0.6, (("broedplaats", 4), ("huis_van_de_wijk", 4), ("moskee", 2))),
}
CLOSING = {  # chance of closing, and the years it happens in
    "buurthuis": (0.6, (2005, 2018)),
    "bibliotheek": (0.6, (2009, 2016)),
    "bejaardenhuis": (0.55, (2010, 2020)),
    "kerk": (0.3, (2000, 2020)),
}
CHAINS = 3  # per gemeente: buurthuis → huis van de wijk (closed again) → buurtrestaurant

# Word parts for plainly fictional but plausible Dutch names.
_COMPOUND_HEADS = (
    "Zonne", "Linden", "Klaver", "Vlinder", "Eiken", "Berken", "Kastanje", "Rozen", "Lelie",
    "Meidoorn", "Wilgen", "Molen", "Sterren", "Duiven", "Merel", "Zwaluw", "Appel", "Hazel",
    "Vlier", "Korenbloem", "Heide", "Beuken", "Iepen", "Regenboog", "Morgen", "Zomer",
    "Lente", "Brug", "Poort", "Toren", "Lantaarn", "Zilver", "Kompas", "Anker", "Parel",
    "Buren", "Samen", "Klokken", "Water", "Hoeve",
)
_COMPOUND_TAILS = (
    ("hof", "De"), ("hoek", "De"), ("huis", "Het"), ("stek", "De"), ("nest", "Het"),
    ("kamer", "De"), ("plek", "De"), ("tuin", "De"), ("werf", "De"), ("kring", "De"),
    ("haven", "De"), ("erf", "Het"), ("veld", "Het"), ("dreef", "De"),
)
_SINGLE_NAMES = (
    "De Zonnebloem", "De Vlinder", "De Linde", "De Kastanje", "De Meidoorn", "De Klaproos",
    "De Madelief", "De Merel", "De Spreeuw", "De Zwaluw", "De Egel", "De Vonk", "De Bron",
    "De Sleutel", "De Lantaarn", "De Kade", "De Drempel", "De Steiger", "De Overkant",
    "De Ontmoeting", "De Schakel", "De Wending", "De Kiem", "De Regenboog", "De Horizon",
    "Het Anker", "Het Kompas", "Het Baken", "Het Trefpunt", "Het Klaverblad", "Het Plein",
    "Het Hofje", "Het Buurtnest", "De Wilg", "De Notenboom", "De Vijverhoek", "De Uitkijk",
)
_STREET_HEADS = (
    "Merel", "Lijster", "Spreeuw", "Vinken", "Meeuwen", "Zwaluw", "Linden", "Kastanje",
    "Eiken", "Berken", "Iepen", "Esdoorn", "Tulp", "Narcis", "Hyacint", "Krokus", "Anjer",
    "Goudsbloem", "Klaproos", "Zonnebloem", "Jasmijn", "Vlier", "Hazelaar", "Wilgen",
)
_STREET_TAILS = ("straat", "laan", "plein", "hof", "kade", "singel", "dreef", "pad")
_SAINTS = ("Martinus", "Jozef", "Antonius", "Nicolaas", "Willibrord", "Bonifatius", "Dominicus", "Lambertus")
_VIRTUES = ("An-Nur", "Al-Huda", "Ar-Rahma", "As-Salaam", "Al-Iman", "Al-Ihsan", "Al-Amal", "Al-Fajr", "Yeni Cami", "Ulu Cami")


@dataclass(frozen=True)
class Kind:
    """How a soort is made up: names, actors, strategy, target groups, tariff, years."""

    templates: tuple[str, ...]  # "{naam}" = a made-up name, "{straat}" = a made-up street
    actor_main: tuple[tuple[str, float], ...]  # the first actortype, weighted
    actor_extra: tuple[str, ...] = ()  # further actortypes, 0-2 of these
    strategie: tuple[tuple[str, float], ...] = (("onbekend", 1),)
    doel_main: tuple[tuple[str, float], ...] = (("iedereen", 1),)  # "iedereen" stands alone
    doel_extra: tuple[str, ...] = ()
    tarief: tuple[tuple[str, float], ...] = ()  # empty: no tariff recorded
    opened: tuple[int, int] = (2005, 2024)
    popup_share: float = 0.0  # chance of tijdelijk "ja" (pop-ups only)
    blurbs: tuple[str, ...] = ("",)
    paired: bool = False  # blurbs[i] describes templates[i]; else any blurb fits any name


KINDS: dict[str, Kind] = {
    "buurthuis": Kind(
        ("Buurthuis {naam}", "Wijkcentrum {naam}", "Clubhuis {naam}"),
        (("welzijnsorganisatie", 7), ("vrijwilligersorganisatie", 2), ("bewoners", 1)),
        ("gemeente", "vrijwilligersorganisatie", "bewoners"),
        (("beide", 5), ("bonding", 3), ("onbekend", 2)),
        (("iedereen", 6), ("ouderen", 2), ("jongeren", 2)), ("ouderen", "jongeren", "alleenstaanden"),
        (("maatschappelijk", 6), ("wisselend", 4)), (1955, 1985),
        blurbs=(
            "koffieochtend, biljartclub, kinderwerk en een zaal voor verenigingen.",
            "uit de tijd van het opbouwwerk, met een beheerder in dienst van de welzijnsstichting.",
            "met een bar, een toneelzaal en cursussen voor de buurt.",
        ),
    ),
    "bibliotheek": Kind(
        ("Bibliotheekfiliaal {naam}", "Buurtbibliotheek {naam}"),
        (("bibliotheekorganisatie", 1),), ("gemeente",),
        (("bridging", 7), ("beide", 3)),
        (("iedereen", 7), ("jongeren", 2), ("ouderen", 1)), ("jongeren", "ouderen", "nieuwkomers"),
        (("maatschappelijk", 1),), (1955, 1985),
        blurbs=(
            "leestafel, voorleesuurtjes en een taalspreekuur.",
            "klein filiaal van de stadsbibliotheek.",
        ),
    ),
    "bejaardenhuis": Kind(
        ("Bejaardenhuis {naam}", "Verzorgingshuis {naam}", "Bejaardenoord {naam}"),
        (("zorgaanbieder", 8), ("religieuze_organisatie", 2)), ("woningcorporatie", "vrijwilligersorganisatie"),
        (("bonding", 7), ("beide", 3)),
        (("ouderen", 1),), ("alleenstaanden", "beperking"),
        (("wisselend", 6), ("commercieel", 4)), (1955, 1980),
        blurbs=(
            "met een recreatiezaal waar ook ouderen uit de buurt kwamen eten.",
            "met een eigen kapsalon, een winkeltje en een zondagse dienst.",
        ),
    ),
    "huis_van_de_wijk": Kind(
        ("Huiskamer {naam}", "Huis van de Wijk {naam}", "Buurtkamer {naam}", "Kamer van de Wijk {naam}"),
        (("welzijnsorganisatie", 4), ("woningcorporatie", 3), ("bewoners", 3)),
        ("bewoners", "vrijwilligersorganisatie", "woningcorporatie", "welzijnsorganisatie", "gemeente"),
        (("beide", 5), ("bridging", 3), ("bonding", 2)),
        (("iedereen", 5), ("alleenstaanden", 2), ("ouderen", 2), ("beperking", 1)),
        ("ouderen", "alleenstaanden", "beperking", "armoede"),
        (("gratis", 7), ("wisselend", 3)), (2010, 2024), 0.35,
        blurbs=(
            "open inloop in een benedenwoning van de corporatie, elke ochtend met koffie en een krant.",
            "plek voor een open inloop, spreekuren en een gezamenlijke maaltijd.",
            "door bewoners zelf opengehouden, met een kleine vergoeding van de gemeente.",
        ),
    ),
    "repair_cafe": Kind(
        ("Repair Café {naam}", "Reparatiecafé {naam}"),
        (("vrijwilligersorganisatie", 8), ("bewoners", 2)), ("bewoners", "welzijnsorganisatie"),
        (("bridging", 6), ("beide", 4)),
        (("iedereen", 1),), (),
        (("gratis", 1),), (2010, 2024), 0.3,
        blurbs=(
            "maandelijks repair café: vrijwilligers repareren apparaten, kleding en fietsen.",
            "repair café met koffie; wie wacht, raakt aan de praat met de buren.",
        ),
    ),
    "buurtrestaurant": Kind(
        ("Buurtrestaurant {naam}", "Buurtkeuken {naam}", "Eettafel {naam}"),
        (("sociaal_ondernemer", 4), ("vrijwilligersorganisatie", 3), ("welzijnsorganisatie", 3)),
        ("bewoners", "zorgaanbieder", "woningcorporatie"),
        (("bridging", 5), ("beide", 4), ("bonding", 1)),
        (("iedereen", 4), ("alleenstaanden", 3), ("ouderen", 2), ("armoede", 1)),
        ("alleenstaanden", "ouderen", "armoede", "beperking"),
        (("maatschappelijk", 8), ("wisselend", 2)), (2008, 2024), 0.35,
        blurbs=(
            "voor een kleine prijs samen eten; de koks zijn buurtbewoners.",
            "twee avonden per week open, met een leer-werkplek in de keuken.",
        ),
    ),
    "naaiatelier": Kind(
        ("Naaiatelier {naam}", "Naaikamer {naam}", "Stikkerij {naam}"),
        (("sociaal_ondernemer", 4), ("vrijwilligersorganisatie", 3), ("bewoners", 3)),
        ("kunstenaar", "welzijnsorganisatie", "woningcorporatie"),
        (("bonding", 4), ("beide", 4), ("bridging", 2)),
        (("nieuwkomers", 3), ("armoede", 2), ("iedereen", 2), ("alleenstaanden", 1)),
        ("nieuwkomers", "armoede", "alleenstaanden"),
        (("gratis", 5), ("maatschappelijk", 5)), (2008, 2024), 0.4,
        blurbs=(
            "in een leeg winkelpand: naailes, reparaties en een kopje thee.",
            "vrouwen uit de buurt maken en herstellen er samen kleding.",
        ),
    ),
    "wijkwerkplaats": Kind(
        ("Wijkwerkplaats {naam}", "Buurtwerkplaats {naam}", "Maakplaats {naam}"),
        (("sociaal_ondernemer", 5), ("woningcorporatie", 2), ("welzijnsorganisatie", 2), ("zorgaanbieder", 1)),
        ("zorgaanbieder", "vrijwilligersorganisatie", "bewoners"),
        (("bridging", 6), ("beide", 4)),
        (("iedereen", 4), ("beperking", 3), ("jongeren", 3)), ("beperking", "jongeren", "armoede"),
        (("maatschappelijk", 6), ("gratis", 4)), (2010, 2024), 0.3,
        blurbs=(
            "gereedschap om te lenen, houtbewerking en dagbesteding.",
            "jongeren en gepensioneerde vakmensen klussen er samen.",
        ),
    ),
    "kringloopwinkel": Kind(
        ("Kringloop {naam}", "Kringloopwinkel {naam}", "Weggeefwinkel {naam}"),
        (("sociaal_ondernemer", 5), ("vrijwilligersorganisatie", 3), ("commercieel", 2)),
        ("zorgaanbieder", "vrijwilligersorganisatie", "religieuze_organisatie"),
        (("beide", 5), ("bridging", 3), ("onbekend", 2)),
        (("iedereen", 6), ("armoede", 4)), ("armoede", "beperking"),
        (("maatschappelijk", 6), ("commercieel", 4)), (1995, 2022), 0.25,
        blurbs=(
            "tweedehands spullen en een koffiehoek die ook een beetje buurthuis is.",
            "gerund door vrijwilligers, met werkplekken voor mensen met afstand tot werk.",
        ),
    ),
    "voedselbank": Kind(
        ("Voedselbank uitgiftepunt {naam}", "Uitdeelpunt {naam}"),
        (("vrijwilligersorganisatie", 8), ("religieuze_organisatie", 2)), ("religieuze_organisatie", "welzijnsorganisatie"),
        (("bonding", 5), ("onbekend", 5)),
        (("armoede", 1),), ("alleenstaanden", "nieuwkomers"),
        (("gratis", 1),), (2004, 2020), 0.2,
        blurbs=(
            "uitgiftepunt van de voedselbank, wekelijks, met een spreekuur over schulden.",
            "uitdeelpunt in een kerkzaal; vrijwilligers schenken koffie tijdens het wachten.",
        ),
    ),
    "koffiehoek": Kind(
        ("Koffiehoek bij Buurtsuper {naam}", "Koffietafel Supermarkt {naam}"),
        (("commercieel", 1),), ("welzijnsorganisatie", "vrijwilligersorganisatie"),
        (("bonding", 5), ("beide", 5)),
        (("iedereen", 5), ("ouderen", 3), ("alleenstaanden", 2)), ("ouderen", "alleenstaanden"),
        (("gratis", 1),), (2015, 2024), 0.3,
        blurbs=(
            "koffiehoek in de supermarkt: een tafel, gratis koffie, en vaak dezelfde mensen.",
            "koffietafel bij de kassa, waar een ouderenwerker eens per week aanschuift.",
        ),
    ),
    "broedplaats": Kind(
        ("Broedplaats {naam}", "Atelierhuis {naam}"),
        (("kunstenaar", 5), ("sociaal_ondernemer", 3), ("woningcorporatie", 2)),
        ("gemeente", "woningcorporatie", "sociaal_ondernemer"),
        (("bridging", 7), ("beide", 3)),
        (("iedereen", 6), ("jongeren", 4)), ("jongeren",),
        (("wisselend", 6), ("commercieel", 2), ("maatschappelijk", 2)), (2000, 2022), 0.45,
        blurbs=(
            "ateliers in een leegstaand pand, met een open middag voor de buurt.",
            "werkplekken voor makers en een buurtcafé op vrijdag.",
        ),
    ),
    "wijkteam": Kind(
        ("Wijkteam {naam}", "Buurtteam {naam}"),
        (("gemeente", 4), ("welzijnsorganisatie", 4), ("zorgaanbieder", 2)),
        ("welzijnsorganisatie", "zorgaanbieder", "gemeente"),
        (("onbekend", 1),),
        (("iedereen", 1),), (),
        (("gratis", 1),), (2015, 2015),
        blurbs=(
            "sociaal werkers, wijkverpleging en schuldhulp, met een inloopspreekuur.",
            "team voor ondersteuning thuis, jeugd en gezin, geldzorgen.",
        ),
    ),
    "kerk": Kind(
        ("{saint}kerk", "Ontmoetingskerk {naam}", "Wijkgemeente {naam}", "Pinkstergemeente {naam}"),
        (("religieuze_organisatie", 1),), ("vrijwilligersorganisatie",),
        (("bonding", 6), ("beide", 4)),
        (("iedereen", 6), ("ouderen", 3), ("nieuwkomers", 1)), ("ouderen", "alleenstaanden", "nieuwkomers"),
        (), (1890, 1975),
        blurbs=(
            "kerk met een diaconie die ook buren buiten de gemeente helpt.",
            "kerkgebouw met een open kerk op doordeweekse middagen en een soepmaaltijd.",
        ),
    ),
    "moskee": Kind(
        ("Moskee {deugd}", "Moskee en ontmoetingscentrum {deugd}"),
        (("religieuze_organisatie", 1),), ("vrijwilligersorganisatie",),
        (("bonding", 6), ("beide", 4)),
        (("iedereen", 4), ("jongeren", 3), ("nieuwkomers", 2), ("ouderen", 1)), ("jongeren", "ouderen", "nieuwkomers"),
        (), (1975, 2015),
        blurbs=(
            "moskee met huiswerkbegeleiding en een open dag voor de buurt.",
            "moskee met een vrouwengroep en een maandelijkse buurtmaaltijd.",
        ),
    ),
    "religieuze_organisatie": Kind(
        ("Diaconaal Centrum {naam}", "Interreligieus Huis {naam}", "Stichting Kerk in de Buurt {naam}"),
        (("religieuze_organisatie", 1),), ("vrijwilligersorganisatie", "welzijnsorganisatie"),
        (("bridging", 5), ("beide", 5)),
        (("iedereen", 4), ("armoede", 3), ("nieuwkomers", 3)), ("armoede", "nieuwkomers", "alleenstaanden"),
        (("gratis", 1),), (1980, 2020),
        blurbs=(
            "diaconaal centrum met inloop, maaltijden en hulp bij formulieren.",
            "samenwerking van kerken en moskeeën in de wijk, met een gezamenlijke buurtmaaltijd.",
        ),
    ),
    "wijkpastoraat": Kind(
        ("Wijkpastoraat {naam}", "Straatpastoraat {naam}", "Buurtpastor {naam}"),
        (("religieuze_organisatie", 1),), ("welzijnsorganisatie", "vrijwilligersorganisatie"),
        (("bridging", 6), ("beide", 4)),
        (("iedereen", 3), ("alleenstaanden", 3), ("armoede", 3), ("ouderen", 1)), ("alleenstaanden", "armoede", "ouderen"),
        (("gratis", 1),), (1995, 2020),
        blurbs=(
            "wijkpastor die huisbezoeken doet en een inloop houdt, voor iedereen, gelovig of niet.",
            "straatpastoraat: aanwezig zijn op straat en in de huiskamer van de wijk.",
        ),
    ),
    "bewonersinitiatief": Kind(
        ("Lief en Leed {straat}", "Opzoomeren {straat}", "Buurtmoestuin {naam}", "Burenhulp {naam}",
         "Straatfeest {straat}", "Buurtbieb {straat}", "Wandelclub {naam}", "Buurtapp {straat}"),
        (("bewoners", 1),), ("welzijnsorganisatie", "woningcorporatie", "gemeente", "vrijwilligersorganisatie"),
        (("bonding", 6), ("beide", 3), ("bridging", 1)),
        (("iedereen", 5), ("ouderen", 2), ("alleenstaanden", 2), ("jongeren", 1)), ("ouderen", "alleenstaanden", "jongeren"),
        (("gratis", 9), ("wisselend", 1)), (1995, 2024),
        blurbs=(  # one per template, in the same order
            "bewoners van een straat houden een potje bij voor lief en leed: een bloemetje bij ziekte, een kaart bij een geboorte.",
            "een straat die samen opzoomert: bankjes buiten, plantenbakken, een jaarlijkse straatdag.",
            "moestuin op een braakliggend veldje, onderhouden door buren.",
            "buren helpen elkaar: boodschappen, een lift naar het ziekenhuis, een klusje.",
            "een jaarlijks straatfeest, met een lange tafel waar iedereen iets meebrengt.",
            "een kastje met boeken aan de straat, bijgehouden door twee buurvrouwen.",
            "wekelijks een rondje door de wijk, en daarna koffie.",
            "een appgroep van de straat: wie heeft er een ladder, wie kan even bij de buurvrouw kijken.",
        ),
        paired=True,
    ),
    "community_art": Kind(
        ("Kunstproject {naam}", "Buurtkoor {naam}", "Wijktheater {naam}", "Muurschildering {straat}", "Buurtmozaïek {naam}"),
        (("kunstenaar", 1),), ("bewoners", "woningcorporatie", "sociaal_ondernemer", "welzijnsorganisatie"),
        (("bridging", 6), ("beide", 4)),
        (("iedereen", 6), ("jongeren", 2), ("nieuwkomers", 2)), ("jongeren", "nieuwkomers", "ouderen"),
        (("gratis", 9), ("wisselend", 1)), (2005, 2024),
        blurbs=(  # one per template, in the same order
            "een kunstenaar maakt met bewoners portretten van de buurt, tentoongesteld in de etalages.",
            "een koor van buren van verschillende komaf, dat repeteert in de huiskamer van de wijk.",
            "kunstenaars maken met bewoners een voorstelling over de geschiedenis van de buurt.",
            "een muurschildering op een blinde gevel, ontworpen met de kinderen uit de straat.",
            "een mozaïek op de gevel van een flat, gelegd door buren van verschillende komaf.",
        ),
        paired=True,
    ),
    "dementievriendelijk": Kind(
        ("Dementievriendelijk {naam}", "Ontmoetingsgroep {naam}", "Geheugencafé {naam}"),
        (("zorgaanbieder", 3), ("welzijnsorganisatie", 3), ("vrijwilligersorganisatie", 2), ("bewoners", 2)),
        ("bewoners", "vrijwilligersorganisatie", "commercieel"),
        (("bonding", 5), ("beide", 5)),
        (("ouderen", 1),), ("alleenstaanden",),
        (("gratis", 1),), (2014, 2024),
        blurbs=(  # one per template, in the same order
            "winkeliers en buren leren signalen van dementie herkennen en weten wie ze kunnen bellen.",
            "een wekelijkse groep voor mensen met dementie en hun mantelzorgers, met koffie en muziek.",
            "maandelijkse avond met uitleg en gesprek over leven met dementie.",
        ),
        paired=True,
    ),
    "ontvangende_buurt": Kind(
        ("Welkom in de Buurt {naam}", "Taalcafé {naam}", "Maatjes {naam}", "Ontvangende buurt {naam}"),
        (("bewoners", 4), ("vrijwilligersorganisatie", 4), ("welzijnsorganisatie", 2)),
        ("religieuze_organisatie", "gemeente", "welzijnsorganisatie", "bewoners"),
        (("bridging", 8), ("beide", 2)),
        (("nieuwkomers", 1),), ("jongeren", "armoede"),
        (("gratis", 1),), (2015, 2024),
        blurbs=(  # one per template, in the same order
            "buren heten nieuwe bewoners welkom en wijzen de weg: de huisarts, de school, de markt.",
            "nieuwkomers en buurtbewoners praten elke week samen Nederlands.",
            "een buurtbewoner als maatje voor een statushouder, het eerste jaar.",
            "de buurt bereidt zich met de gemeente voor op statushouders die er komen wonen.",
        ),
        paired=True,
    ),
}


# ---------------------------------------------------------------------------------------
# Inputs: the buurten of one gemeente with their weights
# ---------------------------------------------------------------------------------------


def _wide_statistics(statistics: pd.DataFrame, codes: list[str]) -> pd.DataFrame:
    """One row per buurtcode, one column per indicator; 2015 where present, else the
    latest year. Absent indicators are simply absent; CBS secrecy codes become NaN."""
    wanted = ["inwoners", *NEED_INDICATORS]
    empty = pd.DataFrame(index=pd.Index(codes, name="code"))
    if statistics is None or statistics.empty or not {"code", "indicator", "waarde"} <= set(statistics.columns):
        return empty
    rows = statistics[statistics["code"].isin(codes) & statistics["indicator"].isin(wanted)].copy()
    if rows.empty:
        return empty
    rows["waarde"] = pd.to_numeric(rows["waarde"], errors="coerce")
    rows.loc[rows["waarde"] < 0, "waarde"] = np.nan  # -99999999: secret or unknown
    if "jaar" in rows.columns:
        year = pd.to_numeric(rows["jaar"], errors="coerce").fillna(0)
        rows["_rank"] = np.where(year == STATISTICS_YEAR, 10_000, year)
        rows = rows.sort_values(["code", "indicator", "_rank"], kind="stable")
        rows = rows.drop_duplicates(["code", "indicator"], keep="last")
    else:
        rows = rows.drop_duplicates(["code", "indicator"], keep="first")
    wide = rows.pivot(index="code", columns="indicator", values="waarde")
    return wide.reindex(index=codes, columns=sorted(wide.columns)).rename_axis("code")


def _percentile(values: pd.Series, mask: np.ndarray) -> np.ndarray:
    """Rank of each value among the masked (populated) buurten, 0..1; 0.5 when unknown."""
    ranks = values.where(mask).rank(pct=True, method="average")
    return ranks.fillna(0.5).to_numpy(dtype=float)


@dataclass
class Area:
    """The buurten of one gemeente, in code order, with what placement needs."""

    gemeentecode: str
    frame: gpd.GeoDataFrame  # code, naam, wijkcode, geometry; sorted by code
    inwoners: np.ndarray
    populated: np.ndarray
    need: np.ndarray  # 0..1
    old: np.ndarray  # 0..1, share of 65+ (or need)
    migration: np.ndarray  # 0..1, non-western migration background (or need)
    thin: np.ndarray  # deliberately thin social basis
    neighbours: list[list[int]]
    rng: np.random.Generator
    shrunk: list = field(default_factory=list)  # geometries kept off the buurt edge

    @property
    def codes(self) -> list[str]:
        return self.frame["code"].tolist()


def _area(buurten: gpd.GeoDataFrame, statistics: pd.DataFrame, gemeentecode: str, seed: int) -> Area | None:
    frame = buurten[buurten["gemeentecode"] == gemeentecode]
    if "niveau" in frame.columns:
        frame = frame[frame["niveau"].fillna("buurt") == "buurt"]
    frame = frame[~frame.geometry.is_empty & frame.geometry.notna()]
    if frame.empty:
        return None
    frame = frame.to_crs(WGS84) if frame.crs is not None else frame
    frame = frame.sort_values("code", kind="stable").reset_index(drop=True)
    frame = frame.assign(geometry=shapely.make_valid(frame.geometry.to_numpy()))
    codes = frame["code"].tolist()
    wide = _wide_statistics(statistics, codes)

    if "inwoners" in wide.columns and wide["inwoners"].notna().any():
        known = wide["inwoners"]
        inwoners = known.fillna(known.median()).to_numpy(dtype=float)
        populated = inwoners >= POPULATED
    else:  # no population figures: every buurt counts the same
        inwoners = np.full(len(codes), 1000.0)
        populated = np.ones(len(codes), dtype=bool)
    parts = [_percentile(wide[name], populated) for name in NEED_INDICATORS if name in wide.columns]
    need = np.mean(parts, axis=0) if parts else np.full(len(codes), 0.5)
    old = _percentile(wide["pct_65plus"], populated) if "pct_65plus" in wide.columns else need
    migration = (
        _percentile(wide["pct_niet_westers"], populated) if "pct_niet_westers" in wide.columns else need
    )

    rng = np.random.default_rng([seed, int(gemeentecode[2:])])
    thin = np.zeros(len(codes), dtype=bool)
    candidates = np.flatnonzero(populated & (inwoners >= 1000))
    if candidates.size:
        threshold = np.quantile(need[candidates], 0.75)
        high = candidates[need[candidates] >= threshold]
        count = max(2, int(round(THIN_SHARE * high.size))) if high.size >= 2 else high.size
        thin[rng.choice(high, size=min(count, high.size), replace=False)] = True

    geometries = frame.geometry.to_numpy()
    tree = STRtree(geometries)
    neighbours = []
    for index, geometry in enumerate(geometries):
        hits = tree.query(geometry.buffer(0.0005), predicate="intersects")
        neighbours.append(sorted(int(hit) for hit in hits if hit != index))
    shrunk = []
    for geometry in geometries:
        inner = geometry.buffer(-0.00015)
        shrunk.append(inner if not inner.is_empty and inner.area > 0.2 * geometry.area else geometry)
    for geometry in shrunk:
        shapely.prepare(geometry)
    return Area(gemeentecode, frame, inwoners, populated, need, old, migration, thin, neighbours, rng, shrunk)


# ---------------------------------------------------------------------------------------
# Small random helpers (all draws go through the gemeente's Generator)
# ---------------------------------------------------------------------------------------


def _pick(rng: np.random.Generator, weighted: tuple[tuple[str, float], ...]) -> str:
    weights = np.array([w for _, w in weighted], dtype=float)
    return weighted[int(rng.choice(len(weighted), p=weights / weights.sum()))][0]


def _some(rng: np.random.Generator, pool: tuple[str, ...], exclude: list[str], most: int) -> list[str]:
    """0..most further codes from `pool`, in the pool's order."""
    options = [code for code in pool if code not in exclude]
    count = min(len(options), int(rng.choice(3, p=[0.45, 0.4, 0.15])), most)
    if count == 0:
        return []
    chosen = set(rng.choice(len(options), size=count, replace=False).tolist())
    return [code for index, code in enumerate(options) if index in chosen]


def _date(rng: np.random.Generator, year: int, full_share: float = 0.25) -> str:
    """A year, or now and then a full date in that year."""
    if rng.random() >= full_share:
        return f"{year:04d}"
    return dt.date(year, int(rng.integers(1, 13)), int(rng.integers(1, 29))).isoformat()


def _date_after(rng: np.random.Generator, earlier: str, year: int) -> str:
    """A date in `year` that is not before `earlier` (a year or a full date)."""
    date = _date(rng, year)
    if len(earlier) == 10 and int(earlier[:4]) == year and (len(date) == 4 or date < earlier):
        start = dt.date.fromisoformat(earlier)
        room = (dt.date(year, 12, 31) - start).days
        date = (start + dt.timedelta(days=int(rng.integers(0, room + 1)))).isoformat()
    return date


def _year(date: str) -> int:
    return int(date[:4])


def _point(area: Area, index: int) -> tuple[float, float]:
    """A random point (6 decimals) inside buurt `index`, kept a little off its edge."""
    rng = area.rng
    geometry = area.frame.geometry.iloc[index]
    inner = area.shrunk[index]
    minx, miny, maxx, maxy = inner.bounds
    for _ in range(20_000):
        lon = round(float(rng.uniform(minx, maxx)), 6)
        lat = round(float(rng.uniform(miny, maxy)), 6)
        if shapely.contains_xy(inner, lon, lat) and shapely.contains_xy(geometry, lon, lat):
            return lon, lat
    anchor = geometry.representative_point()  # a sliver: fall back to a point surely inside
    return round(anchor.x, 6), round(anchor.y, 6)


def _draw(area: Area, weights: np.ndarray) -> int:
    weights = np.where(np.isfinite(weights) & (weights > 0), weights, 0.0)
    if weights.sum() <= 0:
        weights = area.populated.astype(float) + 1e-9
    return int(area.rng.choice(len(weights), p=weights / weights.sum()))


def _weights(area: Area, soort: str) -> np.ndarray:
    """Where a soort tends to be: by inhabitants, need, age or migration background.
    Initiatives and pop-ups avoid the deliberately thin buurten."""
    inw = np.where(area.populated, area.inwoners, 0.0)
    thin = np.where(area.thin, 0.03, 1.0)
    if soort in ("buurthuis", "bibliotheek"):
        return inw
    if soort == "bejaardenhuis":
        return inw * (0.4 + area.old) ** 2
    if soort in ("kerk", "wijkpastoraat", "religieuze_organisatie"):
        return np.sqrt(inw)
    if soort == "moskee":
        return inw * (0.2 + area.migration) ** 3
    if soort == "broedplaats":
        return np.sqrt(inw) * thin
    if soort == "dementievriendelijk":
        return inw * (0.3 + area.old) ** 2 * thin
    if soort in ("ontvangende_buurt", "naaiatelier"):
        return inw * (0.3 + (area.migration + area.need) / 2) ** 2 * thin
    if soort == "koffiehoek":
        return inw * (0.3 + area.old) * thin
    return inw * (0.3 + area.need) ** 2 * thin


# ---------------------------------------------------------------------------------------
# Making records
# ---------------------------------------------------------------------------------------


class _Sample:
    """Collects the records of all gemeenten; hands out ids and unique names."""

    def __init__(self) -> None:
        self.records: list[dict] = []
        self.names: set[str] = set()  # only for membership; never iterated

    def _name(self, area: Area, kind: Kind) -> tuple[str, int]:
        """A new fictional name, and which template it was made from."""
        rng = area.rng
        for attempt in range(200):
            choice = int(rng.integers(len(kind.templates)))
            template = kind.templates[choice]
            if rng.random() < 0.5:
                head = _COMPOUND_HEADS[int(rng.integers(len(_COMPOUND_HEADS)))]
                tail, article = _COMPOUND_TAILS[int(rng.integers(len(_COMPOUND_TAILS)))]
                naam = f"{article} {head}{tail}"
            else:
                naam = _SINGLE_NAMES[int(rng.integers(len(_SINGLE_NAMES)))]
            street = (
                _STREET_HEADS[int(rng.integers(len(_STREET_HEADS)))]
                + _STREET_TAILS[int(rng.integers(len(_STREET_TAILS)))]
            )
            saint = "Sint-" + _SAINTS[int(rng.integers(len(_SAINTS)))]
            virtue = _VIRTUES[int(rng.integers(len(_VIRTUES)))]
            text = template.format(naam=naam, straat=street, saint=saint, deugd=virtue)
            if attempt > 100:
                text = f"{text} {attempt - 99}"
            if text not in self.names:
                self.names.add(text)
                return text + SUFFIX, choice
        raise RuntimeError("no unused sample name left")  # pragma: no cover

    def add(
        self,
        area: Area,
        soort: str,
        index: int,
        *,
        point: tuple[float, float] | None = None,
        geopend: str = "",
        gesloten: str = "",
        tijdelijk: str = "",
        opvolger_van: str = "",
        extra: str = "",
        werkgebied: str = "",
    ) -> dict:
        rng = area.rng
        kind = KINDS[soort]
        strategie = _pick(rng, kind.strategie)
        actors = [_pick(rng, kind.actor_main)]
        actors += _some(rng, kind.actor_extra, actors, 2)
        doel = _pick(rng, kind.doel_main)
        if doel == "iedereen" and strategie == "bonding" and len(kind.doel_main) > 1:
            # bonding is about a group that recognises itself, rarely "everyone"
            doel = _pick(rng, tuple(item for item in kind.doel_main if item[0] != "iedereen"))
        doelgroepen = [doel] if doel == "iedereen" else [doel, *_some(rng, kind.doel_extra, [doel], 2)]
        tarief = _pick(rng, kind.tarief) if kind.tarief else ""
        naam, choice = self._name(area, kind)
        blurb = kind.blurbs[choice] if kind.paired else kind.blurbs[int(rng.integers(len(kind.blurbs)))]
        lon, lat = point if point is not None else _point(area, index)
        buurt = area.frame.iloc[index]
        record = {
            "id": f"vb-{len(self.records) + 1:04d}",
            "naam": naam,
            "soort": soort,
            "strategie": strategie,
            "actortype": join_list(actors),
            "doelgroep": join_list(doelgroepen),
            "tarief": tarief,
            "tijdelijk": tijdelijk,
            "geopend": geopend,
            "gesloten": gesloten,
            "opvolger_van": opvolger_van,
            "omschrijving": (PREFIX + " ".join(part for part in (blurb, extra) if part)).strip(),
            "url": "",
            "bron": SAMPLE_BRON,
            "werkgebied": werkgebied,
            "buurtcode": buurt["code"],
            "wijkcode": buurt["wijkcode"],
            "gemeentecode": area.gemeentecode,
            "lon": lon,
            "lat": lat,
            "_index": index,
        }
        self.records.append(record)
        return record

    # -- the kinds of records, in the order they are made -------------------------------

    def wijkteams(self, area: Area) -> None:
        """One team per wijk; tiny wijken join the nearest team, big ones get two."""
        for team in _teams(area):
            office = max(team, key=lambda i: (area.inwoners[i], -i))
            codes = join_list(area.codes[i] for i in sorted(team))
            self.add(
                area, "wijkteam", office, geopend=_date(area.rng, 2015), tijdelijk="nee",
                werkgebied=codes, extra=f"Werkgebied: {len(team)} buurten.",
            )

    def classic(self, area: Area) -> None:
        """Buurthuizen, libraries and care homes; many closed, some replaced."""
        rng = area.rng
        closed: list[tuple[dict, bool]] = []
        for soort in CLASSIC:
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                opened = _date(rng, int(rng.integers(KINDS[soort].opened[0], KINDS[soort].opened[1] + 1)), 0.15)
                chance, (first, last) = CLOSING[soort]
                record = self.add(area, soort, index, geopend=opened, tijdelijk="nee")
                if area.thin[index] or rng.random() < chance:
                    record["gesloten"] = _date(rng, int(rng.integers(first, last + 1)))
                    closed.append((record, not area.thin[index]))
        successors = [self.successor(area, record) for record, may in closed if may]
        chains = 0
        for record in successors:
            if (
                record is not None and chains < CHAINS and record["soort"] == "huis_van_de_wijk"
                and _year(record["geopend"]) <= 2016
            ):
                closing = min(LAST_YEAR - 1, _year(record["geopend"]) + int(rng.integers(3, 7)))
                record["gesloten"] = _date_after(rng, record["geopend"], closing)
                record["tijdelijk"] = "ja"
                self.successor(area, record, soort="buurtrestaurant")
                chains += 1

    def successor(self, area: Area, predecessor: dict, soort: str | None = None) -> dict | None:
        """Maybe a new kind of provision in the place of a closed one, 0-3 years later:
        in the same building, elsewhere in the buurt, or in a neighbouring buurt."""
        rng = area.rng
        if soort is None:
            chance, options = SUCCESSORS[predecessor["soort"]]
            if rng.random() >= chance:
                return None
            soort = _pick(rng, options)
        year = min(LAST_YEAR, _year(predecessor["gesloten"]) + int(rng.integers(0, 4)))
        index = predecessor["_index"]
        where = rng.random()
        if where < 0.4:
            point, place = (predecessor["lon"], predecessor["lat"]), "in hetzelfde gebouw"
        elif where < 0.75 or not area.neighbours[index]:
            point, place = None, "in dezelfde buurt"
        else:
            options = [
                i for i in area.neighbours[index] if area.populated[i] and not area.thin[i]
            ] or [index]
            index = options[int(rng.integers(len(options)))]
            point, place = None, "in de buurt ernaast"
        popup = soort in POPUP and rng.random() < KINDS[soort].popup_share
        return self.add(
            area, soort, index, point=point,
            geopend=_date_after(rng, predecessor["gesloten"], year),
            tijdelijk=("ja" if popup else "nee") if soort in POPUP else "",
            opvolger_van=predecessor["id"],
            extra=f"Kwam {place} in de plaats van {predecessor['naam']}.",
        )

    def religious(self, area: Area) -> None:
        rng = area.rng
        for soort in RELIGIOUS:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                known = soort == "kerk" or rng.random() < 0.8
                opened = _date(rng, int(rng.integers(kind.opened[0], kind.opened[1] + 1)), 0.1) if known else ""
                record = self.add(area, soort, index, geopend=opened, tijdelijk="nee")
                if soort in CLOSING:
                    chance, (first, last) = CLOSING[soort]
                    if rng.random() < chance:
                        record["gesloten"] = _date(rng, int(rng.integers(first, last + 1)))
                        if not area.thin[index]:
                            self.successor(area, record)

    def popups(self, area: Area) -> None:
        rng = area.rng
        for soort in POPUP:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                temporary = rng.random() < kind.popup_share
                first, last = kind.opened
                if temporary:
                    first, last = max(first, 2012), min(last, 2023)
                year = int(rng.integers(first, last + 1))
                opened = _date(rng, year)
                gesloten = ""
                if temporary and rng.random() < 0.55:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(1, 5))))
                elif not temporary and rng.random() < 0.1 and year + 3 <= LAST_YEAR:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(3, 11))))
                self.add(
                    area, soort, index, geopend=opened, gesloten=gesloten,
                    tijdelijk="ja" if temporary else "nee",
                )

    def initiatives(self, area: Area) -> None:
        rng = area.rng
        for soort in INITIATIVE:
            kind = KINDS[soort]
            for _ in range(PLAN[area.gemeentecode][soort]):
                index = _draw(area, _weights(area, soort))
                year = int(rng.integers(kind.opened[0], kind.opened[1] + 1))
                opened = _date(rng, year) if rng.random() < 0.9 else ""
                gesloten = ""
                if opened and rng.random() < 0.15 and year + 2 <= LAST_YEAR:
                    gesloten = _date_after(rng, opened, min(LAST_YEAR, year + int(rng.integers(2, 9))))
                self.add(area, soort, index, geopend=opened, gesloten=gesloten)


def _teams(area: Area) -> list[list[int]]:
    """The werkgebieden (lists of buurt indices) of the wijkteams of one gemeente."""
    frame = area.frame
    wijken: dict[str, list[int]] = {}
    for index, wijkcode in enumerate(frame["wijkcode"].tolist()):
        wijken.setdefault(str(wijkcode), []).append(index)
    order = sorted(wijken)
    size = {code: float(area.inwoners[wijken[code]].sum()) for code in order}
    hosts = [code for code in order if size[code] >= TEAM_MIN_INWONERS] or order
    shapes = {code: shapely.union_all(frame.geometry.iloc[wijken[code]].to_numpy()) for code in order}
    served: dict[str, list[int]] = {code: list(wijken[code]) for code in hosts}
    for code in order:
        if code not in served:  # a wijk with hardly anyone living there
            nearest = min(hosts, key=lambda host: (shapes[code].distance(shapes[host]), host))
            served[nearest] += wijken[code]
    teams: list[list[int]] = []
    for code in hosts:
        members = sorted(served[code])
        if size[code] > TEAM_SPLIT_INWONERS and len(members) >= 4:
            teams += _split(area, members)
        else:
            teams.append(members)
    return teams


def _split(area: Area, members: list[int]) -> list[list[int]]:
    """Two halves of a wijk by inhabitants, cut across its longer axis."""
    centroids = area.frame.geometry.iloc[members].representative_point()
    x = centroids.x.to_numpy() * np.cos(np.radians(52.0))
    y = centroids.y.to_numpy()
    axis = x if np.ptp(x) >= np.ptp(y) else y
    ordered = [members[i] for i in sorted(range(len(members)), key=lambda i: (axis[i], members[i]))]
    weights = np.maximum(area.inwoners[ordered], 1.0)
    cut = int(np.searchsorted(np.cumsum(weights), weights.sum() / 2)) + 1
    cut = min(max(cut, 1), len(ordered) - 1)
    return [sorted(ordered[:cut]), sorted(ordered[cut:])]


def generate_sample(
    buurten: gpd.GeoDataFrame, statistics: pd.DataFrame, seed: int = 2026
) -> pd.DataFrame:
    """The illustrative, fictional records for Utrecht and Rotterdam (columns `records.FIELDS`).

    `buurten` is a buurt layer (code, naam, gemeentecode, wijkcode, geometry; WGS84);
    only the buurten of GM0344 and GM0599 are used. `statistics` is the long table (code,
    jaar, indicator, waarde, bron); inwoners, pct_65plus, pct_eenpersoonshuishoudens,
    bijstand_per_1000 and pct_niet_westers steer placement when present (2015 first).
    Deterministic: the same inputs and seed give the same frame, byte for byte."""
    sample = _Sample()
    for gemeentecode in GEMEENTEN:
        area = _area(buurten, statistics, gemeentecode, seed)
        if area is None:
            continue
        sample.wijkteams(area)
        sample.classic(area)
        sample.religious(area)
        sample.popups(area)
        sample.initiatives(area)
    frame = pd.DataFrame(sample.records, columns=FIELDS)
    for column in FIELDS:
        if column not in ("lon", "lat"):
            frame[column] = frame[column].fillna("").astype(str)
    frame["lon"] = frame["lon"].astype(float).round(6)
    frame["lat"] = frame["lat"].astype(float).round(6)
    return frame
