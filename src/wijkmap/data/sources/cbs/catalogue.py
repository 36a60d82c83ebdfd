"""The indicator catalogue: what each indicator means, its unit and its direction.

Every indicator in the statistics has one entry: the harmonised ones here (CATALOGUE),
and for tables fetched from CBS's OData API also every numeric variable we do not map,
under CBS's own title and unit (see odata.py).
"""

from __future__ import annotations

from dataclasses import dataclass

CATALOGUE_COLUMNS = [
    "indicator",
    "label_nl",
    "label_en",
    "eenheid",
    "jaren",
    "bron",
    "hoger_is_meer_nood",
    "toelichting_nl",
]


@dataclass(frozen=True)
class Indicator:
    """What an indicator is, for the legend, the profile and a need index."""

    code: str
    label_nl: str
    label_en: str
    eenheid: str
    hoger_is_meer_nood: bool | None  # None: a description of the area, not a sign of need
    toelichting_nl: str


_ROUNDED = "Aantallen voor buurten en wijken zijn door CBS afgerond (op 5, uitkeringen op 10)."
_DERIVED = (
    "2017 (Rotterdam), 2023 en 2024 berekend uit afgeronde aantallen; in kleine buurten daardoor grof. "
    "Leeg waar de noemer 0 is."
)

CATALOGUE: tuple[Indicator, ...] = (
    Indicator(
        "inwoners",
        "Inwoners",
        "Residents",
        "aantal",
        None,
        "Inwoners op 1 januari. Rotterdam 2017: som van de leeftijdsgroepen. " + _ROUNDED,
    ),
    Indicator(
        "pct_0_14",
        "Inwoners 0 tot 15 jaar (%)",
        "Residents aged 0-14 (%)",
        "%",
        None,
        "2015 door CBS gepubliceerd (hele procenten). " + _DERIVED,
    ),
    Indicator(
        "pct_65plus",
        "Inwoners van 65 jaar of ouder (%)",
        "Residents aged 65 or over (%)",
        "%",
        True,
        "2015 door CBS gepubliceerd (hele procenten). " + _DERIVED,
    ),
    Indicator(
        "huishoudens",
        "Particuliere huishoudens",
        "Private households",
        "aantal",
        None,
        _ROUNDED,
    ),
    Indicator(
        "pct_eenpersoonshuishoudens",
        "Eenpersoonshuishoudens (%)",
        "Single-person households (%)",
        "%",
        True,
        "Aandeel eenpersoonshuishoudens in de particuliere huishoudens. 2015 door CBS gepubliceerd "
        "(P_EENP_HH); 2023 en 2024 berekend als a_1p_hh / a_hh x 100. Leeg waar de noemer 0 is.",
    ),
    Indicator(
        "pct_niet_westers",
        "Niet-westerse migratieachtergrond (%)",
        "Non-Western migration background (%)",
        "%",
        None,
        "Oude CBS-indeling (KWB 2015, P_N_W_AL). CBS gebruikt westers/niet-westers sinds 2022 niet meer; "
        "voor latere jaren zie 'Herkomst buiten Europa', dat niet vergelijkbaar is. "
        "Beschrijft de samenstelling van de buurt, geen nood.",
    ),
    Indicator(
        "pct_herkomst_buiten_europa",
        "Herkomst buiten Europa (%)",
        "Origin outside Europe (%)",
        "%",
        None,
        "Indeling naar herkomstland die CBS sinds 2022 gebruikt; berekend als a_neu_al / a_inw x 100. "
        "Niet vergelijkbaar met 'Niet-westerse migratieachtergrond' (2015): Noord-Amerika, Oceanië, "
        "Indonesië en Japan telden als westers en vallen nu onder buiten Europa. "
        "Beschrijft de samenstelling van de buurt, geen nood.",
    ),
    Indicator(
        "bijstand",
        "Bijstand (aantal)",
        "Social assistance (count)",
        "aantal",
        None,
        "2015: bijstandsuitkeringen (WWB_UITTOT); 2023: personen met bijstand (Participatiewet, a_soz_wb). "
        "Uitkeringen en personen verschillen, en de peildatum ligt vóór het KWB-jaar. Afgerond op 10. "
        "Hangt af van de omvang van het gebied: vergelijk met 'Bijstand per 1.000 inwoners'.",
    ),
    Indicator(
        "bijstand_per_1000",
        "Bijstand per 1.000 inwoners",
        "Social assistance per 1,000 residents",
        "per 1.000 inwoners",
        True,
        "Berekend: bijstand / inwoners x 1.000, uit dezelfde KWB-editie. Zie 'Bijstand (aantal)' voor het "
        "verschil tussen 2015 en 2023. Leeg waar inwoners 0 is.",
    ),
    Indicator(
        "aow",
        "AOW (aantal)",
        "State pension (count)",
        "aantal",
        None,
        "2015: AOW-uitkeringen (A_SOZ_OW); 2023: personen met AOW (a_soz_ow). Afgerond op 10.",
    ),
    Indicator(
        "bevolkingsdichtheid",
        "Bevolkingsdichtheid",
        "Population density",
        "per km²",
        None,
        "Inwoners per km² land, door CBS berekend uit niet-afgeronde aantallen.",
    ),
    Indicator(
        "woningvoorraad",
        "Woningvoorraad",
        "Housing stock",
        "aantal",
        None,
        "Aantal woningen op 1 januari.",
    ),
    Indicator(
        "pct_koopwoningen",
        "Koopwoningen (%)",
        "Owner-occupied dwellings (%)",
        "%",
        False,
        "Aandeel van de woningvoorraad; door CBS alleen vermeld bij voldoende woningen met bekend eigendom.",
    ),
    Indicator(
        "pct_huurwoningen",
        "Huurwoningen (%)",
        "Rented dwellings (%)",
        "%",
        True,
        "Aandeel van de woningvoorraad: corporatie, belegger en particuliere verhuur samen.",
    ),
    Indicator(
        "pct_corporatiewoningen",
        "Huurwoningen van corporaties (%)",
        "Housing-association dwellings (%)",
        "%",
        True,
        "Huurwoningen in bezit van woningcorporaties als aandeel van de woningvoorraad (p_wcorpw). "
        "Eigendom, niet huurprijs: niet hetzelfde als sociale huur.",
    ),
    Indicator(
        "pct_huishoudens_laag_inkomen",
        "Huishoudens met een laag inkomen (%)",
        "Low-income households (%)",
        "%",
        True,
        "CBS-grens voor laag inkomen (p_hh_li). In de meegeleverde KWB 2023- en 2024-bestanden nog niet "
        "gepubliceerd ('.'); CBS vult inkomenscijfers later aan.",
    ),
    Indicator(
        "gemiddeld_inkomen_per_inwoner",
        "Gemiddeld inkomen per inwoner",
        "Average income per resident",
        "x 1.000 euro",
        False,
        "Het inkomen in een KWB-editie gaat over een eerder jaar. In KWB 2023 nog niet gepubliceerd.",
    ),
    Indicator(
        "afstand_bibliotheek",
        "Afstand tot bibliotheek (km)",
        "Distance to a library (km)",
        "km",
        True,
        "Gemiddelde afstand over de weg van de inwoners tot de dichtstbijzijnde bibliotheek "
        "(CBS Nabijheid voorzieningen 2023).",
    ),
    Indicator(
        "afstand_huisarts",
        "Afstand tot huisartsenpraktijk (km)",
        "Distance to a GP practice (km)",
        "km",
        True,
        "Nabijheid: gemiddelde afstand over de weg van de inwoners tot de dichtstbijzijnde huisartsenpraktijk "
        "(CBS, KWB 2024).",
    ),
    Indicator(
        "afstand_supermarkt",
        "Afstand tot grote supermarkt (km)",
        "Distance to a large supermarket (km)",
        "km",
        True,
        "Nabijheid: gemiddelde afstand over de weg van de inwoners tot de dichtstbijzijnde grote supermarkt "
        "(CBS, KWB 2024).",
    ),
    Indicator(
        "afstand_school",
        "Afstand tot basisschool (km)",
        "Distance to a primary school (km)",
        "km",
        True,
        "Nabijheid: gemiddelde afstand over de weg van de inwoners tot de dichtstbijzijnde basisschool "
        "(CBS, KWB 2024).",
    ),
    Indicator(
        "stedelijkheid",
        "Mate van stedelijkheid",
        "Degree of urbanisation",
        "klasse 1-5",
        None,
        "1 = zeer sterk stedelijk (2.500 of meer adressen per km²), 2 = sterk, 3 = matig, 4 = weinig, "
        "5 = niet stedelijk (minder dan 500). Beschrijft het gebied, geen nood.",
    ),
    Indicator(
        "woz_waarde",
        "Gemiddelde WOZ-waarde van woningen",
        "Average WOZ value of dwellings",
        "x 1.000 euro",
        False,
        "Gemiddelde WOZ-waarde (waarde voor de belasting) van de woningen, door CBS afgerond op 1.000 euro.",
    ),
    Indicator(
        "huishoudensgrootte",
        "Gemiddelde huishoudensgrootte",
        "Average household size",
        "personen",
        None,
        "Personen in particuliere huishoudens gedeeld door het aantal particuliere huishoudens.",
    ),
    Indicator(
        "misdrijven_per_1000",
        "Geregistreerde misdrijven per 1.000 inwoners",
        "Registered crimes per 1,000 residents",
        "per 1.000 inwoners",
        True,
        "Door de politie geregistreerde misdrijven in het kalenderjaar (Politie via CBS, tabel 47022NED), "
        "per 1.000 inwoners op 1 januari; berekend uit het aantal. Waar politie- en CBS-buurtgrenzen "
        "verschillen leeg. Telt waar het misdrijf gepleegd is, ook door niet-bewoners (winkelgebieden en "
        "uitgaanscentra scoren hoog); in kleine buurten grof door de afgeronde inwonertallen.",
    ),
    Indicator(
        "misdrijven",
        "Geregistreerde misdrijven (aantal)",
        "Registered crimes (count)",
        "aantal",
        None,
        "Door de politie geregistreerde misdrijven in het kalenderjaar (Politie via CBS, tabel 47022NED). "
        "Hangt af van de omvang van het gebied: vergelijk met 'Geregistreerde misdrijven per 1.000 inwoners'; "
        "ook gegeven voor buurten zonder inwoners (parken, bedrijventerreinen).",
    ),
    Indicator(
        "oppervlakte_land",
        "Oppervlakte land (ha)",
        "Land area (ha)",
        "ha",
        None,
        "Oppervlakte land in hectare (CBS, uit het Bestand Bodemgebruik). Beschrijft het gebied, geen nood.",
    ),
)
