"""CBS / Kadaster: neighbourhood boundaries, kerncijfers and the indicator catalogue.

Reads the copies under data/sources/cbs/ (what they are and where they came from is in
data/README.md), and the tables `wijkmap fetch cbs` wrote there, into three things:

- areas (areas.py): one GeoDataFrame per boundary set, all with the same columns;
- statistics (tables.py): one long table (code, jaar, indicator, waarde, bron) from all
  kerncijfer tables, with indicators harmonised across years where the CBS definition
  allows it (values.py holds the recipes; odata.py reads fetched tables);
- the catalogue (catalogue.py): what each indicator means, its unit and direction, and
  which years and source tables actually hold values.

fetch.py talks to CBS's API; nothing else here uses the network.
"""

from wijkmap.data.sources.cbs.areas import (
    AREA_CODE,
    AREA_COLUMNS,
    AREA_FILES,
    CBS_DIR,
    CRS,
    AreaFile,
    check_codes,
    load_areas,
    parent_codes,
    polygonal,
    read_area_file,
)
from wijkmap.data.sources.cbs.catalogue import CATALOGUE, CATALOGUE_COLUMNS, Indicator
from wijkmap.data.sources.cbs.tables import (
    CRIME_2024,
    KWB_2015,
    KWB_2017_ROTTERDAM,
    KWB_2024_GEMEENTE_WIJK,
    KWB_2024_NATIONAL_SUBSET,
    KWB_FULL,
    NABIJHEID,
    STATISTICS_COLUMNS,
    STATISTICS_TABLES,
    StatisticsTable,
    load_catalogue,
    load_statistics,
    read_table,
    table_statistics,
)
from wijkmap.data.sources.cbs.values import (
    MISSING_NUMBERS,
    MISSING_TEXT,
    Expression,
    Published,
    Ratio,
    Sum,
    columns_of,
    evaluate,
    to_number,
)

__all__ = [
    "AREA_CODE",
    "AREA_COLUMNS",
    "AREA_FILES",
    "CATALOGUE",
    "CATALOGUE_COLUMNS",
    "CBS_DIR",
    "CRIME_2024",
    "CRS",
    "KWB_2015",
    "KWB_2017_ROTTERDAM",
    "KWB_2024_GEMEENTE_WIJK",
    "KWB_2024_NATIONAL_SUBSET",
    "KWB_FULL",
    "MISSING_NUMBERS",
    "MISSING_TEXT",
    "NABIJHEID",
    "STATISTICS_COLUMNS",
    "STATISTICS_TABLES",
    "AreaFile",
    "Expression",
    "Indicator",
    "Published",
    "Ratio",
    "StatisticsTable",
    "Sum",
    "check_codes",
    "columns_of",
    "evaluate",
    "load_areas",
    "load_catalogue",
    "load_statistics",
    "parent_codes",
    "polygonal",
    "read_area_file",
    "read_table",
    "table_statistics",
    "to_number",
]
