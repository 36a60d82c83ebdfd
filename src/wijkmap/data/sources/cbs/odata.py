"""Tables fetched from CBS's OData v3 API, as they lie under data/sources/cbs/odata/<tabel>/.

`wijkmap fetch cbs` (fetch.py) writes three files per table: TableInfos.json and
DataProperties.json (the `value` lists of CBS's answers, as cbsodata saves them) and
TypedDataSet.csv (one row per area, codes and texts trimmed, missing values empty). This
module reads them back for the build, with no network.

CBS keys carry a position suffix that changes between editions (AantalInwoners_5 in
2024 was AantalInwoners_4 in earlier years), so the KWB variables are mapped to our
indicators by their stem, resolved per table. Every other numeric variable is kept as an
indicator of its own, `cbs_<stem>`, under CBS's title and unit, so what a new edition
adds can be shown without a code change.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from wijkmap.data.sources.cbs.catalogue import Indicator
from wijkmap.data.sources.cbs.values import Expression, Published, Ratio, Sum

ODATA_DIR = "odata"  # inside data/sources/cbs
TABLE_INFOS = "TableInfos.json"
DATA_PROPERTIES = "DataProperties.json"
ROWS = "TypedDataSet.csv"
GEO_KEY = "WijkenEnBuurten"  # the area dimension of every KWB table

# DataProperties types: a Topic is a variable, a TopicGroup a heading over variables;
# the rest are dimensions a row is keyed by.
DIMENSION_TYPES = frozenset({"Dimension", "TimeDimension", "GeoDimension", "GeoDetail"})
NUMERIC_DATATYPES = frozenset({"Byte", "Short", "Integer", "Long", "Float", "Double", "Decimal"})

# Our indicators in the KWB tables, by stem. "A|B": the first stem the table has
# (renamed between editions); "Group/Stem": the variable under that heading, for a stem
# the table repeats (BuitenEuropa is under Herkomstland, Geboren in Nederland and
# Geboren buiten Nederland). A recipe a table lacks a stem for is left out for that table.
KWB_STEMS: dict[str, Expression] = {
    "inwoners": "AantalInwoners",
    "pct_0_14": Ratio("k_0Tot15Jaar", "AantalInwoners"),
    "pct_65plus": Ratio("k_65JaarOfOuder", "AantalInwoners"),
    "huishoudens": "HuishoudensTotaal",
    "pct_eenpersoonshuishoudens": Ratio("Eenpersoonshuishoudens", "HuishoudensTotaal"),
    "huishoudensgrootte": "GemiddeldeHuishoudensgrootte",
    "pct_niet_westers": Ratio("NietWestersTotaal", "AantalInwoners"),
    "pct_herkomst_buiten_europa": Ratio("Herkomstland/BuitenEuropa", "AantalInwoners"),
    "bijstand": "PersonenPerSoortUitkeringBijstand",
    "bijstand_per_1000": Ratio("PersonenPerSoortUitkeringBijstand", "AantalInwoners", 1000),
    "aow": "PersonenPerSoortUitkeringAOW",
    "bevolkingsdichtheid": "Bevolkingsdichtheid",
    "woningvoorraad": "Woningvoorraad",
    "woz_waarde": "GemiddeldeWOZWaardeVanWoningen|GemiddeldeWoningwaarde",
    "pct_koopwoningen": "Koopwoningen",
    "pct_huurwoningen": "HuurwoningenTotaal",
    "pct_corporatiewoningen": "InBezitWoningcorporatie",
    "pct_huishoudens_laag_inkomen": "HuishoudensMetEenLaagInkomen",
    "gemiddeld_inkomen_per_inwoner": "GemiddeldInkomenPerInwoner",
    "afstand_huisarts": "AfstandTotHuisartsenpraktijk",
    "afstand_supermarkt": "AfstandTotGroteSupermarkt",
    "afstand_school": "AfstandTotSchool",
    "stedelijkheid": "MateVanStedelijkheid",
    "oppervlakte_land": "OppervlakteLand",
}

_SUFFIX = re.compile(r"_\d+$")
MAX_DESCRIPTION = 600  # characters of CBS's description kept in an extra indicator's toelichting


class OdataFormatError(ValueError):
    """Stored or fetched metadata that is not what a CBS wijken-en-buurten table looks like."""


def stem(key: str) -> str:
    """A CBS key without its position suffix: AantalInwoners_5 -> AantalInwoners."""
    return _SUFFIX.sub("", key)


def _snake(text: str) -> str:
    """lower_snake of a CBS key or title: k_0Tot15Jaar -> 0_tot_15_jaar (CBS puts k_ before a leading digit)."""
    text = re.sub(r"^k_(?=\d)", "", text)
    text = re.sub(r"(?<=[a-z])(?=[A-Z0-9])|(?<=[0-9])(?=[A-Za-z])", "_", text)
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


@dataclass(frozen=True)
class Figure:
    """One numeric variable of a CBS table."""

    key: str
    title: str
    unit: str
    description: str
    groups: tuple[str, ...]  # the headings above it, outermost first

    @property
    def stem(self) -> str:
        return stem(self.key)


def table_year(infos: list[dict], tabel: str) -> int:
    """The year of a KWB table: its TableInfos Period ("2024")."""
    if not isinstance(infos, list) or len(infos) != 1 or not isinstance(infos[0], dict):
        raise OdataFormatError(f"TableInfos van {tabel}: verwacht één tabelbeschrijving, gevonden {_shape(infos)}")
    period = str(infos[0].get("Period", "")).strip()
    if not re.fullmatch(r"\d{4}", period):
        raise OdataFormatError(f"TableInfos van {tabel}, veld Period: {period!r} is geen jaartal")
    return int(period)


def table_title(infos: list[dict]) -> str:
    info = infos[0]
    return str(info.get("ShortTitle") or info.get("Title") or "").strip()


def figures(properties: list[dict], tabel: str) -> list[Figure]:
    """The numeric Topic properties of a table, after checking it is keyed by area only.

    A table with another dimension (Perioden, Geslacht ...) has several rows per area; it
    is refused rather than read as if each row were the only one.
    """
    if not isinstance(properties, list) or not all(isinstance(item, dict) for item in properties):
        raise OdataFormatError(f"DataProperties van {tabel}: verwacht een lijst van eigenschappen")
    dimensions = [str(item.get("Key", "")) for item in properties if item.get("Type") in DIMENSION_TYPES]
    if GEO_KEY not in dimensions:
        raise OdataFormatError(
            f"tabel {tabel} heeft geen dimensie {GEO_KEY}: alleen tabellen per wijk en buurt "
            "(zoals Kerncijfers wijken en buurten) kunnen worden opgehaald"
        )
    others = [key for key in dimensions if key != GEO_KEY]
    if others:
        raise OdataFormatError(
            f"tabel {tabel} heeft naast {GEO_KEY} nog dimensies ({', '.join(others)}): "
            "alleen tabellen met één rij per gebied worden ondersteund"
        )
    by_id = {item.get("ID"): item for item in properties}

    def groups(item: dict) -> tuple[str, ...]:
        path: list[str] = []
        parent = by_id.get(item.get("ParentID"))
        while parent is not None and len(path) < 20:
            path.insert(0, str(parent.get("Title", "")).strip())
            parent = by_id.get(parent.get("ParentID"))
        return tuple(path)

    return [
        Figure(
            key=str(item["Key"]),
            title=str(item.get("Title") or item["Key"]).strip(),
            unit=str(item.get("Unit") or "").strip(),
            description=str(item.get("Description") or "").strip(),
            groups=groups(item),
        )
        for item in properties
        if item.get("Type") == "Topic" and item.get("Datatype") in NUMERIC_DATATYPES and item.get("Key")
    ]


def _find(spec: str, table_figures: list[Figure]) -> str | None:
    """The key a stem spec (see KWB_STEMS) names in this table, or None if absent or ambiguous."""
    for alternative in spec.split("|"):
        group, _, wanted = alternative.rpartition("/")
        matches = [
            figure.key
            for figure in table_figures
            if figure.stem == wanted and (not group or (figure.groups and figure.groups[-1] == group))
        ]
        if len(matches) == 1:
            return matches[0]
    return None


def _resolve(expression: Expression, table_figures: list[Figure]) -> Expression | None:
    """The recipe with its stems replaced by this table's keys; None if one is missing."""
    if isinstance(expression, str):
        return _find(expression, table_figures)
    if isinstance(expression, Ratio):
        numerator = _resolve(expression.numerator, table_figures)
        denominator = _resolve(expression.denominator, table_figures)
        if numerator is None or denominator is None:
            return None
        return Ratio(numerator, denominator, expression.scale)
    if isinstance(expression, Sum):
        parts = [_resolve(part, table_figures) for part in expression.parts]
        return None if None in parts else Sum(tuple(parts))  # type: ignore[arg-type]
    if isinstance(expression, Published):
        # Both are stems (str): _resolve of a str is _find.
        column, base = _find(expression.column, table_figures), _find(expression.base, table_figures)
        return None if column is None or base is None else Published(column, base)
    raise TypeError(f"unknown recipe {expression!r}")


def extra_codes(table_figures: list[Figure]) -> dict[str, str]:
    """key -> indicator code for every figure: cbs_<stem>, or with its headings where the stem repeats."""
    repeated = Counter(figure.stem for figure in table_figures)
    return {
        figure.key: "cbs_"
        + _snake("_".join([*figure.groups, figure.stem]) if repeated[figure.stem] > 1 else figure.stem)
        for figure in table_figures
    }


@dataclass(frozen=True)
class StoredTable:
    """A fetched table as it lies on disk: its year, title, variables and where its rows are."""

    tabel: str
    jaar: int
    title: str
    figures: tuple[Figure, ...]
    rows_path: str  # relative to data/sources/cbs

    @property
    def bron(self) -> str:
        return f"CBS {self.tabel} ({self.title})" if self.title else f"CBS {self.tabel}"

    def mapped(self) -> dict[str, Expression]:
        """Our indicators that this table holds, with its own keys."""
        table_figures = list(self.figures)
        resolved = {code: _resolve(recipe, table_figures) for code, recipe in KWB_STEMS.items()}
        return {code: recipe for code, recipe in resolved.items() if recipe is not None}

    def extras(self) -> dict[str, Figure]:
        """indicator code -> figure, for the variables no harmonised indicator is made of alone."""
        whole = {recipe for recipe in self.mapped().values() if isinstance(recipe, str)}
        codes = extra_codes(list(self.figures))
        return {codes[figure.key]: figure for figure in self.figures if figure.key not in whole}

    @property
    def recipes(self) -> dict[str, Expression]:
        return {**self.mapped(), **{code: figure.key for code, figure in self.extras().items()}}

    def indicators(self) -> list[Indicator]:
        return [
            Indicator(
                code=code,
                label_nl=_label(figure),
                label_en=_label(figure),  # CBS's NED tables have no English titles
                eenheid=figure.unit,
                hoger_is_meer_nood=None,
                toelichting_nl=_toelichting(figure, self),
            )
            for code, figure in self.extras().items()
        ]


def _label(figure: Figure) -> str:
    below_theme = figure.groups[1:]  # the outermost heading is the theme (Bevolking, Wonen ...)
    return f"{figure.title} ({', '.join(below_theme)})" if below_theme else figure.title


def _toelichting(figure: Figure, table: StoredTable) -> str:
    description = figure.description
    if len(description) > MAX_DESCRIPTION:
        description = description[:MAX_DESCRIPTION].rsplit(" ", 1)[0] + " …"
    source = f"CBS-variabele {figure.key} uit tabel {table.tabel} ({table.jaar}), zonder bewerking."
    return f"{description} {source}".strip()


def table_dir(cbs_dir: Path, tabel: str) -> Path:
    return Path(cbs_dir) / ODATA_DIR / tabel


def read_stored(directory: Path, tabel: str | None = None) -> StoredTable:
    """One stored table; `directory` is data/sources/cbs/odata/<tabel> (or a folder on its way there)."""
    tabel = tabel or directory.name
    try:
        infos = json.loads((directory / TABLE_INFOS).read_text(encoding="utf-8"))
        properties = json.loads((directory / DATA_PROPERTIES).read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise OdataFormatError(f"{directory}: metadata onleesbaar: {error}") from error
    return StoredTable(
        tabel=tabel,
        jaar=table_year(infos, tabel),
        title=table_title(infos),
        figures=tuple(figures(properties, tabel)),
        rows_path=f"{ODATA_DIR}/{tabel}/{ROWS}",
    )


def stored_tables(cbs_dir: Path) -> list[StoredTable]:
    """Every fetched table under cbs_dir/odata, newest year first (it wins where years are equal)."""
    root = Path(cbs_dir) / ODATA_DIR
    if not root.is_dir():
        return []
    directories = sorted(path for path in root.iterdir() if path.is_dir() and not path.name.startswith("."))
    tables = [read_stored(directory) for directory in directories]
    return sorted(tables, key=lambda table: -table.jaar)


def fetched_indicators(cbs_dir: Path) -> list[Indicator]:
    """The extra indicators of all fetched tables, one per code (the newest table's text)."""
    indicators: dict[str, Indicator] = {}
    for table in stored_tables(cbs_dir):
        for indicator in table.indicators():
            indicators.setdefault(indicator.code, indicator)
    return list(indicators.values())


def _shape(value: object) -> str:
    if isinstance(value, list):
        return f"een lijst van {len(value)}"
    return type(value).__name__
