"""CBS kerncijfer tables: the bundled ones and those fetched from CBS, into one statistics table.

`jaar` is the edition of the source table. Population counts refer to 1 January of that
year; benefits and income in the same edition refer to an earlier moment.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio

from wijkmap.data.sources.cbs import odata
from wijkmap.data.sources.cbs.areas import CBS_DIR, check_codes
from wijkmap.data.sources.cbs.catalogue import CATALOGUE, CATALOGUE_COLUMNS, Indicator
from wijkmap.data.sources.cbs.values import Expression, Published, Ratio, Sum, columns_of, evaluate, to_number

STATISTICS_COLUMNS = ["code", "jaar", "indicator", "waarde", "bron"]


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

KWB_2024_GEMEENTE_WIJK = {
    "inwoners": "AantalInwoners_5",
    "bevolkingsdichtheid": "Bevolkingsdichtheid_34",
    "woningvoorraad": "Woningvoorraad_35",
    "oppervlakte_land": "OppervlakteLand_123",
}

# The national KWB 2024 subset (kwb-2024-buurt-national, every gemeente, wijk and buurt);
# its column names are those of the repository that flattened 85984NED, not CBS keys.
KWB_2024_NATIONAL_SUBSET: dict[str, Expression] = {
    "inwoners": "inwoners",
    "pct_0_14": Ratio("inwoners0tot15", "inwoners"),
    "pct_65plus": Ratio("inwoners65plus", "inwoners"),
    "huishoudens": "huishoudens",
    "huishoudensgrootte": "huishoudensgrootte",
    "bevolkingsdichtheid": "dichtheid",
    "woz_waarde": "wozWaarde",
    "pct_koopwoningen": "koopwoningen",
    "gemiddeld_inkomen_per_inwoner": "inkomenPerInwoner",
    "stedelijkheid": "stedelijkheid",
    "afstand_huisarts": "afstandHuisarts",
    "afstand_supermarkt": "afstandSupermarkt",
    "afstand_school": "afstandSchool",
    "oppervlakte_land": "oppervlakteLandHa",
}
# Crime in the calendar year of the edition, per 1,000 inwoners on 1 January, computed
# from the count rather than taken from the file's misdrijven_per1000, whose period and
# base the repository does not state (it matches neither 2024 nor the last 12 months).
CRIME_2024: dict[str, Expression] = {
    "misdrijven": "misdrijven_2024",
    "misdrijven_per_1000": Ratio("misdrijven_2024", "inwoners", 1000),
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


# In this order; for a code, year and indicator found in two tables the first one with a
# value wins, so a later table only fills what the earlier ones leave missing. For 2024:
# 85984NED as cbsodata wrote it (CBS's table, unmodified) before the full Utrecht KWB
# file (CBS's own release, which repeats its gemeente and wijk rows), and both before the
# national subset, a third party's flattening of the same table, which fills every other
# gemeente, wijk and buurt. A table fetched from CBS's API comes before all of these (see
# load_statistics): it is CBS's own answer, and the newest.
STATISTICS_TABLES = (
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/buurt_2015.geojson", "BU_CODE", KWB_2015),
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/wijk_2015.geojson", "WK_CODE", KWB_2015),
    StatisticsTable("CBS KWB 2015", 2015, "wijkbuurtkaart-2015-tno/gemeente_2015.geojson", "GM_CODE", KWB_2015),
    StatisticsTable(
        "CBS 85984NED (KWB 2024)",
        2024,
        "kwb-2024-gemeente-wijk/kwb_2024_gemeente_wijk.csv",
        "code",
        KWB_2024_GEMEENTE_WIJK,
    ),
    StatisticsTable("CBS KWB 2023", 2023, "kwb-utrecht-2023-2024/kwb_2023_utrecht.csv", "gwb_code", KWB_FULL),
    StatisticsTable("CBS KWB 2024", 2024, "kwb-utrecht-2023-2024/kwb_2024_utrecht.csv", "gwb_code", KWB_FULL),
    StatisticsTable(
        "CBS 85984NED (KWB 2024)",
        2024,
        "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv",
        "code",
        KWB_2024_NATIONAL_SUBSET,
    ),
    StatisticsTable(
        "Politie via CBS (47022NED)", 2024, "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv", "code", CRIME_2024
    ),
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
        # Only the columns the recipes need, unless a layout fix has to see the raw headers.
        wanted = None if table.prepare else {table.code_column, *table.columns}
        usecols = None if wanted is None else (lambda column: column in wanted)
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig", usecols=usecols)
    else:
        raw = pyogrio.read_dataframe(path, columns=[table.code_column, *table.columns], read_geometry=False)
    if table.prepare:
        raw = table.prepare(raw)
    missing = [column for column in [table.code_column, *table.columns] if column not in raw]
    ambiguous = [column for column in table.columns if list(raw.columns).count(column) > 1]
    if missing or ambiguous:
        raise ValueError(f"{path}: columns missing {missing}, ambiguous {ambiguous}")
    codes = raw[table.code_column].str.strip()
    check_codes(codes, path)
    numbers = {column: to_number(raw[column], where=f"{path}, kolom {column}").to_numpy() for column in table.columns}
    return pd.DataFrame(numbers, index=pd.Index(codes.to_numpy(), name="code"))


def table_statistics(table: StatisticsTable, frame: pd.DataFrame) -> pd.DataFrame:
    """One table's indicators as long rows, without the missing ones."""
    parts = [
        pd.DataFrame({"code": frame.index, "indicator": indicator, "waarde": evaluate(recipe, frame).to_numpy()})
        for indicator, recipe in table.recipes.items()
    ]
    rows = pd.concat(parts, ignore_index=True).dropna(subset=["waarde"])
    return rows.assign(jaar=np.int64(table.jaar), bron=table.bron)[STATISTICS_COLUMNS]


def _fetched_tables(cbs_dir: Path) -> list[StatisticsTable]:
    """The tables fetched with `wijkmap fetch cbs`, as StatisticsTables over their stored rows."""
    return [
        StatisticsTable(table.bron, table.jaar, table.rows_path, odata.GEO_KEY, table.recipes)
        for table in odata.stored_tables(cbs_dir)
    ]


def load_statistics(sources_dir: Path) -> pd.DataFrame:
    """All CBS figures as one long table (STATISTICS_COLUMNS), one row per code, jaar and indicator."""
    cbs_dir = Path(sources_dir) / CBS_DIR
    tables = [*_fetched_tables(cbs_dir), *STATISTICS_TABLES]
    statistics = pd.concat([table_statistics(table, read_table(cbs_dir, table)) for table in tables], ignore_index=True)
    statistics = statistics.drop_duplicates(["code", "jaar", "indicator"], keep="first")
    statistics = statistics.astype(
        {"code": "str", "jaar": "int64", "indicator": "str", "waarde": "float64", "bron": "str"}
    )
    return statistics.sort_values(["code", "jaar", "indicator"], ignore_index=True)


def _joined(values) -> str:
    return ";".join(str(value) for value in values)


def load_catalogue(statistics: pd.DataFrame, sources_dir: Path | None = None) -> pd.DataFrame:
    """The catalogue (CATALOGUE_COLUMNS), with the years and source tables present in `statistics`.

    `jaren` and `bron` are empty for an indicator without values. With `sources_dir`, the
    variables of fetched tables that no harmonised indicator covers and that hold values
    are added under CBS's own title and unit. An indicator in the statistics without an entry is an error: it
    would have no label or unit.
    """
    fetched = odata.fetched_indicators(Path(sources_dir) / CBS_DIR) if sources_dir is not None else []
    # unique() first: a national table has some 400,000 rows, and iterating an arrow-backed
    # column row by row in Python took seconds of every build.
    held = set(statistics["indicator"].unique())
    # CBS's own variables only where they hold a value: a KWB table has some hundred, most
    # of them empty for buurten, and an entry without figures would only be noise.
    entries: list[Indicator] = [*CATALOGUE, *(indicator for indicator in fetched if indicator.code in held)]
    known = {indicator.code for indicator in entries}
    unknown = sorted(held - known)
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
        for indicator in entries
    ]
    catalogue = pd.DataFrame(rows, columns=CATALOGUE_COLUMNS)
    catalogue["hoger_is_meer_nood"] = catalogue["hoger_is_meer_nood"].astype(object)
    return catalogue
