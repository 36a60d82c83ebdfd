"""CBS / Kadaster boundaries: one GeoDataFrame per boundary set, all in one layout.

The bundled sets are buurt, wijk and gemeente 2015, gemeente 2023 and 2025, and wijk
2024, all with the columns AREA_COLUMNS, so every layer joins and draws alike.
"""

from __future__ import annotations

import re
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


# A CBS area code: gemeente GM + 4 digits, wijk WK + those 4 + 2, buurt BU + those 6 + 2.
# Since 2016 wijk and buurt parts may hold capitals (Amsterdam: WK0363AA, BU0363AA01).
AREA_CODE = re.compile(r"^(?:GM\d{4}|WK\d{4}[0-9A-Z]{2}|BU\d{4}[0-9A-Z]{4})$")
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
    if not AREA_CODE.match(code):
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
    check_codes(codes, path, _NIVEAU_PREFIX[spec.niveau])
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


def check_codes(codes: pd.Series, where: object, prefix: str | None = None) -> None:
    """Fail loudly on malformed or duplicate codes: a silent mismatch would drop areas from joins."""
    malformed = codes[~codes.str.match(AREA_CODE)]
    if prefix:
        malformed = pd.concat([malformed, codes[~codes.str.startswith(prefix)]])
    if not malformed.empty:
        raise ValueError(f"{where}: unexpected area codes {sorted(set(malformed))[:5]}")
    duplicated = codes[codes.duplicated()]
    if not duplicated.empty:
        raise ValueError(f"{where}: duplicate codes {sorted(set(duplicated))[:5]}")
