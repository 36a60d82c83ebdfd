"""The tables of the illustrative sample: which gemeenten, which kinds of provision with
their counts, dates, actors and strategies, and the made-up names they get. Fiction by design:
see the package docstring."""

from __future__ import annotations

from dataclasses import dataclass

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
COMPOUND_HEADS = (
    "Zonne", "Linden", "Klaver", "Vlinder", "Eiken", "Berken", "Kastanje", "Rozen", "Lelie",
    "Meidoorn", "Wilgen", "Molen", "Sterren", "Duiven", "Merel", "Zwaluw", "Appel", "Hazel",
    "Vlier", "Korenbloem", "Heide", "Beuken", "Iepen", "Regenboog", "Morgen", "Zomer",
    "Lente", "Brug", "Poort", "Toren", "Lantaarn", "Zilver", "Kompas", "Anker", "Parel",
    "Buren", "Samen", "Klokken", "Water", "Hoeve",
)
COMPOUND_TAILS = (
    ("hof", "De"), ("hoek", "De"), ("huis", "Het"), ("stek", "De"), ("nest", "Het"),
    ("kamer", "De"), ("plek", "De"), ("tuin", "De"), ("werf", "De"), ("kring", "De"),
    ("haven", "De"), ("erf", "Het"), ("veld", "Het"), ("dreef", "De"),
)
SINGLE_NAMES = (
    "De Zonnebloem", "De Vlinder", "De Linde", "De Kastanje", "De Meidoorn", "De Klaproos",
    "De Madelief", "De Merel", "De Spreeuw", "De Zwaluw", "De Egel", "De Vonk", "De Bron",
    "De Sleutel", "De Lantaarn", "De Kade", "De Drempel", "De Steiger", "De Overkant",
    "De Ontmoeting", "De Schakel", "De Wending", "De Kiem", "De Regenboog", "De Horizon",
    "Het Anker", "Het Kompas", "Het Baken", "Het Trefpunt", "Het Klaverblad", "Het Plein",
    "Het Hofje", "Het Buurtnest", "De Wilg", "De Notenboom", "De Vijverhoek", "De Uitkijk",
)
STREET_HEADS = (
    "Merel", "Lijster", "Spreeuw", "Vinken", "Meeuwen", "Zwaluw", "Linden", "Kastanje",
    "Eiken", "Berken", "Iepen", "Esdoorn", "Tulp", "Narcis", "Hyacint", "Krokus", "Anjer",
    "Goudsbloem", "Klaproos", "Zonnebloem", "Jasmijn", "Vlier", "Hazelaar", "Wilgen",
)
STREET_TAILS = ("straat", "laan", "plein", "hof", "kade", "singel", "dreef", "pad")
SAINTS = ("Martinus", "Jozef", "Antonius", "Nicolaas", "Willibrord", "Bonifatius", "Dominicus", "Lambertus")
VIRTUES = ("An-Nur", "Al-Huda", "Ar-Rahma", "As-Salaam", "Al-Iman", "Al-Ihsan", "Al-Amal", "Al-Fajr", "Yeni Cami", "Ulu Cami")


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
