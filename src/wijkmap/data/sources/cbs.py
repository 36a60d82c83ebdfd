"""CBS / Kadaster: neighbourhood boundaries, kerncijfers and the indicator catalogue.

Reads the copies under data/sources/cbs/ (what they are and where they came from is in
data/README.md) into three things:

- areas: one GeoDataFrame per boundary set (buurt, wijk and gemeente 2015, gemeente 2023
  and 2025, wijk 2024), all with the same columns, so every layer joins and draws alike;
- statistics: one long table (code, jaar, indicator, waarde, bron) from all kerncijfer
  tables, with indicators harmonised across years where the CBS definition allows it;
- the catalogue: what each indicator means, its unit and direction, and which years and
  source tables actually hold values.

Missing and secret values (-99999999 in the 2015 files, "." in the KWB exports, empty
cells) always become missing and are left out of the statistics, never turned into zero:
a zero on the map would read as "none here".

`jaar` is the edition of the source table. Population counts refer to 1 January of that
year; benefits and income in the same edition refer to an earlier moment.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely
from shapely.geometry import MultiPolygon, Polygon
from shapely.geometry.base import BaseMultipartGeometry

from wijkmap.config import WGS84

CBS_DIR = "cbs"  # this source's folder inside data/sources
CRS = WGS84

AREA_COLUMNS = ["code", "naam", "niveau", "jaar", "gemeentecode", "wijkcode", "geometry"]
STATISTICS_COLUMNS = ["code", "jaar", "indicator", "waarde", "bron"]
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

# How CBS marks a value that is unknown or kept secret.
MISSING_TEXT = frozenset({"", "."})
MISSING_NUMBERS = (-99999999.0, -99999997.0)

# A CBS area code: gemeente GM + 4 digits, wijk WK + those 4 + 2, buurt BU + those 6 + 2.
# Since 2016 wijk and buurt parts may hold capitals (Amsterdam: WK0363AA, BU0363AA01).
_AREA_CODE = re.compile(r"^(?:GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
_NIVEAU_PREFIX = {"gemeente": "GM", "wijk": "WK", "buurt": "BU"}


# --- areas ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AreaFile:
    """One bundled boundary file and the properties that hold its codes and names."""

    path: str  # relative to data/sources/cbs
    niveau: str
    jaar: int
    code_field: str
    name_field: str


AREA_FILES: dict[str, AreaFile] = {
    "buurt_2015": AreaFile("wijkbuurtkaart-2015-tno/buurt_2015.geojson", "buurt", 2015, "BU_CODE", "BU_NAAM"),
    "wijk_2015": AreaFile("wijkbuurtkaart-2015-tno/wijk_2015.geojson", "wijk", 2015, "WK_CODE", "WK_NAAM"),
    "gemeente_2015": AreaFile("wijkbuurtkaart-2015-tno/gemeente_2015.geojson", "gemeente", 2015, "GM_CODE", "GM_NAAM"),
    "gemeente_2023": AreaFile("cartomap-generalized/gemeente_2023.geojson", "gemeente", 2023, "statcode", "statnaam"),
    "gemeente_2025": AreaFile("cartomap-generalized/gemeente_2025.geojson", "gemeente", 2025, "statcode", "statnaam"),
    "wijk_2024": AreaFile("cartomap-generalized/wijk_2024.geojson", "wijk", 2024, "statcode", "name"),
}


def parent_codes(code: str) -> tuple[str, str | None]:
    """The gemeente and wijk an area code belongs to: BU03440111 -> (GM0344, WK034401).

    CBS codes nest, so the parents follow from the code itself; that is how the wijk
    2024 file, which carries no gemeente, gets one. A wijk is its own wijk; a gemeente
    has none.
    """
    if not _AREA_CODE.match(code):
        raise ValueError(f"not a CBS area code: {code!r}")
    gemeente = "GM" + code[2:6]
    wijk = None if code.startswith("GM") else "WK" + code[2:8]
    return gemeente, wijk


def polygonal(geometries: gpd.GeoSeries) -> gpd.GeoSeries:
    """Valid Polygon/MultiPolygon geometries: invalid ones repaired, non-area parts dropped.

    The generalized boundary files have self-intersections from rounded coordinates. A
    repair can leave lines or points where a ring collapsed, which a choropleth cannot
    draw and a spatial join should not see.
    """
    values = geometries.to_numpy().copy()
    invalid = ~shapely.is_valid(values)
    values[invalid] = shapely.make_valid(values[invalid], method="structure", keep_collapsed=False)
    other = ~np.isin(shapely.get_type_id(values), (3, 6))  # Polygon, MultiPolygon
    values[other] = [_polygon_parts(geometry) for geometry in values[other]]
    empty = shapely.is_empty(values)
    if empty.any():
        raise ValueError(f"no area left after repair at {list(geometries.index[empty])}")
    return gpd.GeoSeries(values, index=geometries.index, crs=geometries.crs)


def _polygon_parts(geometry) -> Polygon | MultiPolygon:
    """The polygons inside any geometry, merged into one valid (Multi)Polygon."""
    polygons = list(_polygons_in(geometry))
    return shapely.union_all(polygons) if polygons else Polygon()


def _polygons_in(geometry):
    if isinstance(geometry, Polygon):
        if not geometry.is_empty:
            yield geometry
    elif isinstance(geometry, BaseMultipartGeometry):
        for part in geometry.geoms:
            yield from _polygons_in(part)


def read_area_file(path: Path, spec: AreaFile) -> gpd.GeoDataFrame:
    """One boundary file in the shared area layout (AREA_COLUMNS), sorted by code."""
    raw = pyogrio.read_dataframe(path, columns=[spec.code_field, spec.name_field])
    if raw.crs is None:
        raise ValueError(f"{path} has no CRS")
    raw = raw.to_crs(CRS)
    codes = raw[spec.code_field].str.strip()
    _check_codes(codes, path, _NIVEAU_PREFIX[spec.niveau])
    parents = [parent_codes(code) for code in codes]
    frame = gpd.GeoDataFrame(
        {
            "code": codes,
            "naam": raw[spec.name_field].str.strip(),
            "niveau": spec.niveau,
            "jaar": np.int64(spec.jaar),
            "gemeentecode": [gemeente for gemeente, _ in parents],
            # object, so a gemeente's missing wijk is None rather than NaN
            "wijkcode": pd.Series([wijk for _, wijk in parents], dtype=object, index=raw.index),
        },
        geometry=polygonal(raw.geometry),
        crs=CRS,
    )
    return frame.sort_values("code", ignore_index=True)[AREA_COLUMNS]


def load_areas(sources_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    """All boundary sets by name (see AREA_FILES); `sources_dir` is data/sources."""
    cbs_dir = Path(sources_dir) / CBS_DIR
    return {name: read_area_file(cbs_dir / spec.path, spec) for name, spec in AREA_FILES.items()}


def _check_codes(codes: pd.Series, where: object, prefix: str | None = None) -> None:
    """Fail loudly on malformed or duplicate codes: a silent mismatch would drop areas from joins."""
    malformed = codes[~codes.str.match(_AREA_CODE)]
    if prefix:
        malformed = pd.concat([malformed, codes[~codes.str.startswith(prefix)]])
    if not malformed.empty:
        raise ValueError(f"{where}: unexpected area codes {sorted(set(malformed))[:5]}")
    duplicated = codes[codes.duplicated()]
    if not duplicated.empty:
        raise ValueError(f"{where}: duplicate codes {sorted(set(duplicated))[:5]}")


# --- values --------------------------------------------------------------------------


def to_number(values: pd.Series) -> pd.Series:
    """Floats from a CBS column, with every missing or secret marker as NaN.

    Any other text raises, so a marker we do not know about is noticed rather than
    silently read as missing (or worse, as zero).
    """
    if pd.api.types.is_numeric_dtype(values):
        numbers = values.astype(float)
    else:
        text = values.astype(object).where(values.notna(), "").map(lambda value: str(value).strip())
        text = text.mask(text.isin(MISSING_TEXT))
        numbers = pd.to_numeric(text, errors="raise").astype(float)
    return numbers.mask(numbers.isin(MISSING_NUMBERS))


@dataclass(frozen=True)
class Published:
    """A figure as CBS published it, missing where its base count is 0 or missing.

    CBS 2015 prints percentages for buurten whose rounded population or household count
    is 0 (up to 100% of one or two people); those say nothing about a neighbourhood.
    """

    column: str
    base: str

    @property
    def columns(self) -> set[str]:
        return {self.column, self.base}

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        return frame[self.column].where(frame[self.base] > 0)


@dataclass(frozen=True)
class Sum:
    """The sum of counts, missing if any part is missing (a partial sum is not a total)."""

    parts: tuple[str, ...]

    @property
    def columns(self) -> set[str]:
        return set(self.parts)

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        return frame[list(self.parts)].sum(axis=1, skipna=False)


@dataclass(frozen=True)
class Ratio:
    """numerator / denominator x scale; missing where the denominator is 0 or missing."""

    numerator: Expression
    denominator: Expression
    scale: float = 100.0

    @property
    def columns(self) -> set[str]:
        return columns_of(self.numerator) | columns_of(self.denominator)

    def evaluate(self, frame: pd.DataFrame) -> pd.Series:
        denominator = evaluate(self.denominator, frame)
        return evaluate(self.numerator, frame) / denominator.where(denominator > 0) * self.scale


# A recipe for one indicator: a column name, or one of the classes above.
Expression = str | Published | Sum | Ratio


def evaluate(expression: Expression, frame: pd.DataFrame) -> pd.Series:
    return frame[expression] if isinstance(expression, str) else expression.evaluate(frame)


def columns_of(expression: Expression) -> set[str]:
    return {expression} if isinstance(expression, str) else expression.columns


# --- source tables -------------------------------------------------------------------


@dataclass(frozen=True)
class StatisticsTable:
    """One source table: where it lies, what it is called, and how its indicators are made."""

    bron: str
    jaar: int
    path: str  # relative to data/sources/cbs
    code_column: str
    recipes: Mapping[str, Expression]
    prepare: Callable[[pd.DataFrame], pd.DataFrame] | None = None  # fixes to the raw text table

    @property
    def columns(self) -> list[str]:
        return sorted(set().union(*(columns_of(recipe) for recipe in self.recipes.values())))


KWB_2015: dict[str, Expression] = {
    "inwoners": "AANT_INW",
    "pct_0_14": Published("P_00_14_JR", base="AANT_INW"),
    "pct_65plus": Published("P_65_EO_JR", base="AANT_INW"),
    "huishoudens": "AANTAL_HH",
    "pct_eenpersoonshuishoudens": Published("P_EENP_HH", base="AANTAL_HH"),
    "pct_niet_westers": Published("P_N_W_AL", base="AANT_INW"),
    "bijstand": "WWB_UITTOT",
    "bijstand_per_1000": Ratio("WWB_UITTOT", "AANT_INW", 1000),
    "aow": "A_SOZ_OW",
    "bevolkingsdichtheid": "BEV_DICHTH",
}

KWB_2024_NATIONAL = {
    "inwoners": "AantalInwoners_5",
    "bevolkingsdichtheid": "Bevolkingsdichtheid_34",
    "woningvoorraad": "Woningvoorraad_35",
}

# The full KWB files (2023 and 2024 share their column names).
KWB_FULL: dict[str, Expression] = {
    "inwoners": "a_inw",
    "pct_0_14": Ratio("a_00_14", "a_inw"),
    "pct_65plus": Ratio("a_65_oo", "a_inw"),
    "huishoudens": "a_hh",
    "pct_eenpersoonshuishoudens": Ratio("a_1p_hh", "a_hh"),
    "pct_herkomst_buiten_europa": Ratio("a_neu_al", "a_inw"),
    "bijstand": "a_soz_wb",
    "bijstand_per_1000": Ratio("a_soz_wb", "a_inw", 1000),
    "aow": "a_soz_ow",
    "bevolkingsdichtheid": "bev_dich",
    "woningvoorraad": "a_woning",
    "pct_koopwoningen": "p_koopw",
    "pct_huurwoningen": "p_huurw",
    "pct_corporatiewoningen": "p_wcorpw",
    "pct_huishoudens_laag_inkomen": "p_hh_li",
    "gemiddeld_inkomen_per_inwoner": "g_ink_pi",
}

NABIJHEID = {"afstand_bibliotheek": "Afstand tot bibliotheek (km)"}

ROTTERDAM_AGE_GROUPS = (
    "k_0Tot15Jaar_8",
    "k_15Tot25Jaar_9",
    "k_25Tot45Jaar_10",
    "k_45Tot65Jaar_11",
    "k_65JaarOfOuder_12",
)
ROTTERDAM_INWONERS = Sum(ROTTERDAM_AGE_GROUPS)
KWB_2017_ROTTERDAM: dict[str, Expression] = {
    "inwoners": ROTTERDAM_INWONERS,
    "pct_0_14": Ratio("k_0Tot15Jaar_8", ROTTERDAM_INWONERS),
    "pct_65plus": Ratio("k_65JaarOfOuder_12", ROTTERDAM_INWONERS),
    "bevolkingsdichtheid": "Bevolkingsdichtheid_33",
    "pct_koopwoningen": "Koopwoningen_40",
    "pct_huurwoningen": "HuurwoningenTotaal_41",
    "gemiddeld_inkomen_per_inwoner": "GemiddeldInkomenPerInwoner_66",
}


def _nabijheid_layout(frame: pd.DataFrame) -> pd.DataFrame:
    """Headers reduced to their last part ("Thema/Voorziening/Afstand tot ... (km)" ->
    "Afstand tot ... (km)") so columns are found by their text, not their position; the
    national row (NL00) dropped, as there is no area to draw it on."""
    frame = frame.rename(columns=lambda header: header.split("/")[-1].strip())
    return frame[frame["Codering (code)"].str.strip() != "NL00"]


def _rotterdam_layout(frame: pd.DataFrame) -> pd.DataFrame:
    """The extract with its misspelt 65+ column folded back in and then dropped.

    `k_65JaarrOfOude_12` is empty except for BU05990836, whose 65+ count (275) sits there
    instead of in `k_65JaarOfOuder_12`, a hand edit in the origin repository. With it the
    buurten of wijk 08 add up to the wijk total again (within CBS rounding).
    """
    misspelt = "k_65JaarrOfOude_12"
    if misspelt not in frame:
        return frame
    proper = frame["k_65JaarOfOuder_12"].str.strip()
    spare = frame[misspelt].str.strip()
    clash = (proper != "") & (spare != "")
    if clash.any():
        codes = list(frame.loc[clash, "WijkenEnBuurten"])
        raise ValueError(f"Rotterdam extract: both 65+ columns filled for {codes}")
    frame = frame.assign(k_65JaarOfOuder_12=proper.where(proper != "", spare))
    return frame.drop(columns=[misspelt])


# In this order; for a code, year and indicator found in two tables the first one wins
# (the Utrecht 2024 file repeats the gemeente and wijk rows of 85984NED).
STATISTICS_TABLES = (
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/buurt_2015.geojson", "BU_CODE", KWB_2015),
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/wijk_2015.geojson", "WK_CODE", KWB_2015),
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/gemeente_2015.geojson", "GM_CODE", KWB_2015),
    StatisticsTable(
        "CBS 85984NED (KWB 2024)", 2024, "kwb-2024-gemeente-wijk/kwb_2024_gemeente_wijk.csv", "code", KWB_2024_NATIONAL
    ),
    StatisticsTable("CBS KWB 2023", 2023, "kwb-utrecht-2023-2024/kwb_2023_utrecht.csv", "gwb_code", KWB_FULL),
    StatisticsTable("CBS KWB 2024", 2024, "kwb-utrecht-2023-2024/kwb_2024_utrecht.csv", "gwb_code", KWB_FULL),
    StatisticsTable(
        "CBS Nabijheid 2023",
        2023,
        "kwb-utrecht-2023-2024/nabijheid_voorzieningen_2023_utrecht.csv",
        "Codering (code)",
        NABIJHEID,
        prepare=_nabijheid_layout,
    ),
    # Year 2017, not stated in the extract: its GM0599 age groups add up to 634,660, CBS's
    # population of Rotterdam on 1 January 2017, against 623,652 on 1 January 2015 in the
    # 2015 table; the field keys (Bevolkingsdichtheid_33, GemiddeldInkomenPerInwoner_66)
    # are those of 83765NED, KWB 2017.
    StatisticsTable(
        "CBS KWB 2017 (83765NED)",
        2017,
        "kwb-2017-rotterdam-ikgeo/kwb_rotterdam.csv",
        "WijkenEnBuurten",
        KWB_2017_ROTTERDAM,
        prepare=_rotterdam_layout,
    ),
)


def read_table(cbs_dir: Path, table: StatisticsTable) -> pd.DataFrame:
    """The numeric columns a table's recipes need, indexed by area code."""
    path = cbs_dir / table.path
    if path.suffix == ".csv":
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    else:
        raw = pyogrio.read_dataframe(path, columns=[table.code_column, *table.columns], read_geometry=False)
    if table.prepare:
        raw = table.prepare(raw)
    missing = [column for column in [table.code_column, *table.columns] if column not in raw]
    ambiguous = [column for column in table.columns if list(raw.columns).count(column) > 1]
    if missing or ambiguous:
        raise ValueError(f"{path}: columns missing {missing}, ambiguous {ambiguous}")
    codes = raw[table.code_column].str.strip()
    _check_codes(codes, path)
    numbers = {column: to_number(raw[column]).to_numpy() for column in table.columns}
    return pd.DataFrame(numbers, index=pd.Index(codes.to_numpy(), name="code"))


def table_statistics(table: StatisticsTable, frame: pd.DataFrame) -> pd.DataFrame:
    """One table's indicators as long rows, without the missing ones."""
    parts = [
        pd.DataFrame({"code": frame.index, "indicator": indicator, "waarde": evaluate(recipe, frame).to_numpy()})
        for indicator, recipe in table.recipes.items()
    ]
    rows = pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])
    return rows.assign(jaar=np.int64(table.jaar), bron=table.bron)[STATISTICS_COLUMNS]


def load_statistics(sources_dir: Path) -> pd.DataFrame:
    """All CBS figures as one long table (STATISTICS_COLUMNS), one row per code, jaar and indicator."""
    cbs_dir = Path(sources_dir) / CBS_DIR
    tables = [table_statistics(table, read_table(cbs_dir, table)) for table in STATISTICS_TABLES]
    statistics = pd.concat(tables, ignore_index=True)
    statistics = statistics.drop_duplicates(["code", "jaar", "indicator"], keep="first")
    statistics = statistics.astype(
        {"code": "str", "jaar": "int64", "indicator": "str", "waarde": "float64", "bron": "str"}
    )
    return statistics.sort_values(["code", "jaar", "indicator"], ignore_index=True)


# --- catalogue -----------------------------------------------------------------------


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
)


def _joined(values) -> str:
    return ";".join(str(value) for value in values)


def load_catalogue(statistics: pd.DataFrame) -> pd.DataFrame:
    """The catalogue (CATALOGUE_COLUMNS), with the years and source tables present in `statistics`.

    `jaren` and `bron` are empty for an indicator without values. An indicator in the
    statistics but not in CATALOGUE is an error: it would have no label or unit.
    """
    known = {indicator.code for indicator in CATALOGUE}
    unknown = sorted(set(statistics["indicator"]) - known)
    if unknown:
        raise ValueError(f"indicators without a catalogue entry: {unknown}")
    present = statistics[["indicator", "jaar", "bron"]].drop_duplicates().sort_values(["jaar", "bron"])
    by_indicator = present.groupby("indicator", sort=False)
    jaren = by_indicator["jaar"].agg(lambda years: _joined(sorted(set(years))))
    bronnen = by_indicator["bron"].agg(lambda sources: "; ".join(dict.fromkeys(sources)))
    rows = [
        {
            "indicator": indicator.code,
            "label_nl": indicator.label_nl,
            "label_en": indicator.label_en,
            "eenheid": indicator.eenheid,
            "jaren": jaren.get(indicator.code, ""),
            "bron": bronnen.get(indicator.code, ""),
            "hoger_is_meer_nood": indicator.hoger_is_meer_nood,
            "toelichting_nl": indicator.toelichting_nl,
        }
        for indicator in CATALOGUE
    ]
    catalogue = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    catalogue["hoger_is_meer_nood"] = catalogue["hoger_is_meer_nood"].astype(object)
    return catalogue
