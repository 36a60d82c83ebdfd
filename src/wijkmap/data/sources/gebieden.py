"""Official boundaries of any year: imported files and PDOK, as area layers `<niveau>_<jaar>`.

Reads what users download: the CBS wijk- en buurtkaart (GeoPackage in RD New, field names
of recent editions such as buurtcode/buurtnaam and of older ones such as BU_CODE/BU_NAAM),
the generalised CBS gebiedsindelingen (statcode, statnaam; GeoJSON or TopoJSON) and zipped
shapefiles, in any CRS. The level of a layer follows from its fields (statcode: from its
codes). Every layer is normalised to cbs.AREA_COLUMNS in WGS84 and written under
data/sources/gebieden/ as `<niveau>_<jaar>.gpkg` (layer `gebieden`, and the water-only
areas CBS marks with `water = JA` in a layer `water` of their own, so they are on neither
the map nor an export) with `<niveau>_<jaar>.json` beside it: per gemeente the file it
came from, the import date and its counts.

An import replaces the areas of the gemeenten it holds and keeps the others, so
importing Deventer after Zwolle keeps Zwolle. The build (data/build.py) reads these files
beside the bundled boundaries: an imported layer named like a bundled one replaces the
bundled areas of the gemeenten it covers. A file with any error is refused whole; the
files and the store are changed only when everything was read and the store rebuilt.

`fetch_gebieden` pages PDOK's OGC API Features (collections buurten, wijken, gemeenten)
by its `next` links and imports the result the same way.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import re
import secrets
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode, urljoin

import geopandas as gpd
import numpy as np
import pandas as pd
import pyogrio
import shapely

from wijkmap.config import (
    GEBIEDEN_FETCH_MAX_PAGE_BYTES,
    GEBIEDEN_FETCH_MAX_PAGES,
    GEBIEDEN_FETCH_PAGE_SIZE,
    GEBIEDEN_FETCH_TIMEOUT_S,
    GEBIEDEN_MAX_FEATURES,
    GEBIEDEN_MAX_FILE_BYTES,
    GEBIEDEN_MAX_LAYERS,
    GEBIEDEN_MAX_UNZIPPED_BYTES,
    GEBIEDEN_PDOK_URL,
    GEBIEDEN_YEARS,
    MAX_SHOWN,
    RD_NEW,
)
from wijkmap.data.sources import cbs

log = logging.getLogger(__name__)

GEBIEDEN_DIR = "gebieden"  # this source's folder inside data/sources
AREAS_LAYER = "gebieden"
WATER_LAYER = "water"
NIVEAUS = ("buurt", "wijk", "gemeente")
PREFIX = {"buurt": "BU", "wijk": "WK", "gemeente": "GM"}
CODE_SHAPE = {"buurt": "BU + 8 tekens", "wijk": "WK + 6 tekens", "gemeente": "GM + 4 cijfers"}
LAYER_NAME = re.compile(r"^(buurt|wijk|gemeente)_(\d{4})$")
# Members of a zip that GDAL reads as boundaries (a shapefile's .dbf/.shx/.prj come along),
# by preference: CBS's zip holds the same kaart as GeoPackage, shapefiles and a file
# geodatabase, and only the first format found is read.
ZIP_FORMATS = ((".gpkg",), (".shp",), (".geojson", ".json", ".topojson"))
PDOK_COLLECTIONS = ("buurten", "wijken", "gemeenten")
# Coordinates no WGS84 file can hold but RD New does: a file in RD New that says nothing
# of its CRS (a TopoJSON of the gebiedsindelingen, for one) is read as GDAL's default WGS84.
_RD_BOUNDS = (-10_000, 290_000, 310_000, 650_000)


class GebiedenError(Exception):
    """A boundary file or service answer is refused; the message is Dutch and names where."""


@dataclass(frozen=True)
class FieldScheme:
    """The fields of one layout of a boundary layer, by their lower-case names."""

    niveau: str | None  # None: the level follows from the codes
    code: str
    names: tuple[str, ...]
    gemeente: str | None = None  # a field that repeats the gemeente code, checked
    wijk: str | None = None  # likewise the wijk code


# In this order: a buurt layer also has wijkcode and gemeentecode, a wijk layer gemeentecode.
SCHEMES = (
    FieldScheme("buurt", "buurtcode", ("buurtnaam",), "gemeentecode", "wijkcode"),
    FieldScheme("buurt", "bu_code", ("bu_naam",), "gm_code", "wk_code"),
    FieldScheme("wijk", "wijkcode", ("wijknaam",), "gemeentecode"),
    FieldScheme("wijk", "wk_code", ("wk_naam",), "gm_code"),
    FieldScheme("gemeente", "gemeentecode", ("gemeentenaam",)),
    FieldScheme("gemeente", "gm_code", ("gm_naam",)),
    FieldScheme(None, "statcode", ("statnaam", "name")),
)
# CBS's land-water field: JA water, NEE land, B Belgian territory around Baarle-Nassau
# (gemeente GM0998 "Buitenland"). Water and Belgium are kept apart, off the map.
WATER_FIELD = "water"
WATER_APART = frozenset({"JA", "B"})


@dataclass(frozen=True)
class Source:
    """One dataset GDAL opens: a file, or a member of a zip through /vsizip/."""

    dataset: str
    label: str  # for messages: the file name, with the member of a zip


@dataclass
class LayerResult:
    """One level of an import: its areas, water areas, and what was done to them."""

    niveau: str
    areas: gpd.GeoDataFrame
    water: gpd.GeoDataFrame
    repaired: int = 0
    origins: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class LevelSummary:
    name: str  # the store layer, e.g. buurt_2024
    areas: int
    gemeenten: int
    water: int
    repaired: int
    total_areas: int  # in the layer file after the merge
    total_gemeenten: int


@dataclass(frozen=True)
class ImportSummary:
    levels: list[LevelSummary]
    files: list[Path]  # under data/sources/gebieden


# --- reading files -------------------------------------------------------------------------


def _shown(value: object) -> str:
    text = str(value)
    return text if len(text) <= MAX_SHOWN else text[:MAX_SHOWN] + "…"


def sources_of(path: Path) -> list[Source]:
    """The datasets in `path`, refused past the size limits; a zip by its members."""
    path = Path(path)
    if not path.is_file():
        raise GebiedenError(f"{path}: bestand niet gevonden")
    size = path.stat().st_size
    if size > GEBIEDEN_MAX_FILE_BYTES:
        raise GebiedenError(f"{path.name}: {size:,} bytes, meer dan de grens van {GEBIEDEN_MAX_FILE_BYTES:,} bytes")
    if path.suffix.lower() != ".zip":
        return [Source(str(path), path.name)]
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
    except zipfile.BadZipFile as error:
        raise GebiedenError(f"{path.name}: geen geldig zip-bestand ({error})") from None
    unpacked = sum(member.file_size for member in members)
    if unpacked > GEBIEDEN_MAX_UNZIPPED_BYTES:
        raise GebiedenError(
            f"{path.name}: uitgepakt {unpacked:,} bytes, meer dan de grens van {GEBIEDEN_MAX_UNZIPPED_BYTES:,} bytes"
        )
    names: list[str] = []
    for suffixes in ZIP_FORMATS:
        names = sorted(member.filename for member in members if member.filename.lower().endswith(suffixes))
        if names:
            break
    else:
        raise GebiedenError(f"{path.name}: geen shapefile, GeoPackage of GeoJSON in het zip-bestand")
    return [Source(f"/vsizip/{path.resolve()}/{name}", f"{path.name}/{name}") for name in names]


def _layers(source: Source) -> list[str]:
    """The layers of a dataset that have geometry."""
    try:
        layers = pyogrio.list_layers(source.dataset)
    except Exception as error:  # GDAL's errors have many types; each means "cannot read this"
        raise GebiedenError(f"{source.label}: kan het bestand niet lezen ({_shown(error)})") from None
    if len(layers) > GEBIEDEN_MAX_LAYERS:
        raise GebiedenError(f"{source.label}: {len(layers)} lagen, meer dan de grens van {GEBIEDEN_MAX_LAYERS}")
    return [str(name) for name, geometry in layers if geometry]


def _scheme(fields: Iterable[str], where: str) -> FieldScheme:
    """The first layout whose code and name fields the layer has.

    A layout of which only one of the two is there stops the search: a buurt layer
    without buurtcode must not be read as the gemeente its gemeentecode names."""
    lower = {name.lower() for name in fields}
    for scheme in SCHEMES:
        has_code, has_name = scheme.code in lower, any(name in lower for name in scheme.names)
        if has_code and has_name:
            return scheme
        if has_code or has_name:
            present, absent = (scheme.code, scheme.names[0]) if has_code else (scheme.names[0], scheme.code)
            raise GebiedenError(f"{where}: veld {present} zonder veld {absent}; {_looked_for()}")
    raise GebiedenError(f"{where}: geen velden voor code en naam gevonden; {_looked_for()}")


def _looked_for() -> str:
    return "gezocht: " + ", ".join(f"{scheme.code}/{scheme.names[0]}" for scheme in SCHEMES)


def _crs_of(raw: gpd.GeoDataFrame, where: str):
    """The file's CRS; RD New where a file that claims WGS84 (or nothing) holds RD coordinates."""
    west, south, east, north = raw.total_bounds
    low_x, low_y, high_x, high_y = _RD_BOUNDS
    in_rd = low_x <= west and east <= high_x and low_y <= south and north <= high_y and east > 180
    if raw.crs is None or raw.crs.to_epsg() == 4326:
        if in_rd:
            return RD_NEW
        if raw.crs is None:
            raise GebiedenError(f"{where}: het bestand noemt geen coördinatenstelsel (CRS)")
    return raw.crs


def _texts(values: pd.Series) -> pd.Series:
    """Cell values as stripped text, missing ones as ""."""
    return values.map(lambda value: "" if value is None or pd.isna(value) else str(value).strip())


@dataclass(frozen=True)
class _Layer:
    """One layer being read: where it is, its fields and rows, to name them in errors."""

    where: str
    scheme: FieldScheme
    fields: dict[str, str]  # lower-case name -> the name in the file
    raw: gpd.GeoDataFrame

    def column(self, name: str) -> str:
        return self.fields[name]

    def refuse(self, row: int, field_name: str, message: str) -> GebiedenError:
        code = self.raw.at[row, self.column(self.scheme.code)]
        return GebiedenError(f"{self.where}, gebied {row + 1} (code {_shown(code)!r}), veld {field_name}: {message}")


def _open_layer(source: Source, layer: str) -> _Layer:
    """The layer's code, name, parent and water fields and its geometry, past the feature limit."""
    where = f"{source.label}, laag {layer}"
    try:
        info = pyogrio.read_info(source.dataset, layer=layer)
    except Exception as error:
        raise GebiedenError(f"{where}: kan de laag niet lezen ({_shown(error)})") from None
    if info["features"] > GEBIEDEN_MAX_FEATURES:
        raise GebiedenError(f"{where}: {info['features']:,} gebieden, meer dan de grens van {GEBIEDEN_MAX_FEATURES:,}")
    fields = {str(name).lower(): str(name) for name in info["fields"]}
    scheme = _scheme(fields, where)
    wanted = [scheme.code, *(name for name in scheme.names if name in fields)]
    wanted += [extra for extra in (scheme.gemeente, scheme.wijk, WATER_FIELD) if extra and extra in fields]
    try:
        raw = pyogrio.read_dataframe(source.dataset, layer=layer, columns=[fields[name] for name in wanted])
    except Exception as error:
        raise GebiedenError(f"{where}: kan de laag niet lezen ({_shown(error)})") from None
    return _Layer(where, scheme, fields, raw.reset_index(drop=True))


def _checked_codes(layer: _Layer) -> tuple[str, pd.Series, list[tuple[str, str | None]]]:
    """The layer's level, its codes and their (gemeente, wijk); every code well formed,
    of that level, unique, and consistent with the gemeente and wijk fields of its row."""
    code_field = layer.column(layer.scheme.code)
    codes = _texts(layer.raw[code_field])
    niveau = layer.scheme.niveau or _niveau_of(codes, layer.where, code_field)
    parents: list[tuple[str, str | None]] = []
    for row, code in enumerate(codes):
        try:
            if not code.startswith(PREFIX[niveau]):
                raise ValueError(code)
            parents.append(cbs.parent_codes(code))
        except ValueError:
            raise layer.refuse(
                row, code_field, f"{_shown(code)!r} is geen {niveau}code ({CODE_SHAPE[niveau]})"
            ) from None
    for parent_field, position, label in ((layer.scheme.gemeente, 0, "gemeente"), (layer.scheme.wijk, 1, "wijk")):
        if not parent_field or parent_field not in layer.fields:
            continue
        for row, (stated, parent) in enumerate(zip(_texts(layer.raw[layer.column(parent_field)]), parents)):
            if stated != parent[position]:
                message = f"{_shown(stated)!r} past niet bij de code: die hoort bij {label} {parent[position]}"
                raise layer.refuse(row, layer.column(parent_field), message)
    repeated = codes.duplicated()
    if repeated.any():
        second = int(np.flatnonzero(repeated.to_numpy())[0])
        first = int(np.flatnonzero((codes == codes.iloc[second]).to_numpy())[0])
        raise layer.refuse(second, code_field, f"dezelfde code als gebied {first + 1}")
    return niveau, codes, parents


def _checked_geometry(layer: _Layer) -> tuple[gpd.GeoSeries, int]:
    """Valid (Multi)Polygons in WGS84, and how many had to be repaired."""
    geometry = layer.raw.geometry
    missing = geometry.isna() | geometry.is_empty
    if missing.any():
        raise layer.refuse(int(np.flatnonzero(missing.to_numpy())[0]), "geometrie", "geen geometrie")
    projected = gpd.GeoSeries(geometry.to_numpy(), crs=_crs_of(layer.raw, layer.where)).to_crs(cbs.CRS)
    repaired = int((~shapely.is_valid(projected.to_numpy())).sum())
    try:
        return cbs.polygonal(projected), repaired
    except ValueError:  # some geometry is no area at all (a line, a collapsed ring)
        row = next(row for row in range(len(projected)) if not _has_area(projected.iloc[[row]]))
        raise layer.refuse(row, "geometrie", "geen vlak over na herstel van de geometrie") from None


def read_layer(source: Source, layer: str, jaar: int) -> LayerResult:
    """One layer in the AREA_COLUMNS layout (WGS84), its water areas apart."""
    opened = _open_layer(source, layer)
    niveau, codes, parents = _checked_codes(opened)
    polygons, repaired = _checked_geometry(opened)
    name_field = next(opened.column(name) for name in opened.scheme.names if name in opened.fields)
    frame = gpd.GeoDataFrame(
        {
            "code": codes.to_numpy(),
            "naam": _texts(opened.raw[name_field]).to_numpy(),
            "niveau": niveau,
            "jaar": np.int64(jaar),
            "gemeentecode": [gemeente for gemeente, _ in parents],
            "wijkcode": pd.Series([wijk for _, wijk in parents], dtype=object),
        },
        geometry=polygons.to_numpy(),
        crs=cbs.CRS,
    )[cbs.AREA_COLUMNS]
    water = np.zeros(len(frame), dtype=bool)
    if WATER_FIELD in opened.fields:
        water = (_texts(opened.raw[opened.column(WATER_FIELD)]).str.upper().isin(WATER_APART)).to_numpy()
    log.info("%s: %d %s-gebieden, %d water, %d hersteld", opened.where, len(frame), niveau, int(water.sum()), repaired)
    return LayerResult(
        niveau=niveau,
        areas=frame[~water].reset_index(drop=True),
        water=frame[water].reset_index(drop=True),
        repaired=repaired,
        origins=[source.label],
    )


def _has_area(geometry: gpd.GeoSeries) -> bool:
    try:
        cbs.polygonal(geometry)
    except ValueError:
        return False
    return True


def _niveau_of(codes: pd.Series, where: str, field_name: str) -> str:
    """The level of a statcode layer: the one prefix all its codes share."""
    by_prefix = {prefix: niveau for niveau, prefix in PREFIX.items()}
    if codes.empty:
        raise GebiedenError(f"{where}: de laag is leeg")
    first = codes.iloc[0]
    niveau = by_prefix.get(first[:2])
    if niveau is None:
        raise GebiedenError(f"{where}, gebied 1 (code {_shown(first)!r}), veld {field_name}: geen GM-, WK- of BU-code")
    for row, code in enumerate(codes):
        if by_prefix.get(code[:2]) != niveau:
            raise GebiedenError(
                f"{where}, gebied {row + 1} (code {_shown(code)!r}), veld {field_name}:"
                f" geen {PREFIX[niveau]}-code zoals de eerste"
            )
    return niveau


def read_files(paths: Sequence[Path], jaar: int, gemeenten: Sequence[str] | None = None) -> dict[str, LayerResult]:
    """Every boundary layer of `paths` by level, all layers of one level together.

    With `gemeenten`, only their areas are kept (each must be there); the whole file is
    checked either way."""
    check_jaar(jaar)
    levels: dict[str, LayerResult] = {}
    for path in paths:
        for source in sources_of(Path(path)):
            layers = _layers(source)
            if not layers:
                raise GebiedenError(f"{source.label}: geen laag met geometrie")
            for layer in layers:
                result = read_layer(source, layer, jaar)
                levels[result.niveau] = _joined(levels.get(result.niveau), result)
    if gemeenten:
        wanted = set(gemeenten)
        for result in levels.values():
            result.areas = result.areas[result.areas["gemeentecode"].isin(wanted)].reset_index(drop=True)
            result.water = result.water[result.water["gemeentecode"].isin(wanted)].reset_index(drop=True)
        found = set().union(*(set(result.areas["gemeentecode"]) for result in levels.values())) if levels else set()
        absent = sorted(wanted - found)
        if absent:
            names = ", ".join(str(path) for path in paths)
            raise GebiedenError(f"{names}: geen gebieden van gemeente {', '.join(absent)}")
    return levels


def _joined(earlier: LayerResult | None, later: LayerResult) -> LayerResult:
    if earlier is None:
        return later
    clash = set(earlier.areas["code"]).union(earlier.water["code"]) & set(later.areas["code"]).union(
        later.water["code"]
    )
    if clash:
        raise GebiedenError(
            f"{later.origins[0]}: {later.niveau}code {sorted(clash)[0]} staat ook in {', '.join(earlier.origins)}"
        )
    return LayerResult(
        niveau=later.niveau,
        areas=pd.concat([earlier.areas, later.areas], ignore_index=True),
        water=pd.concat([earlier.water, later.water], ignore_index=True),
        repaired=earlier.repaired + later.repaired,
        origins=earlier.origins + later.origins,
    )


def check_jaar(jaar: int) -> None:
    low, high = GEBIEDEN_YEARS
    if not low <= int(jaar) <= high:
        raise GebiedenError(f"--jaar {jaar}: geen indelingsjaar tussen {low} en {high}")


# --- the files under data/sources/gebieden -----------------------------------------------------


def layer_name(niveau: str, jaar: int) -> str:
    return f"{niveau}_{jaar}"


def read_imported(path: Path, layer: str = AREAS_LAYER) -> gpd.GeoDataFrame:
    """A layer of an imported boundary file in the AREA_COLUMNS layout."""
    try:
        frame = pyogrio.read_dataframe(path, layer=layer)
    except Exception:  # the water layer is only written when there is water
        if layer == AREAS_LAYER:
            raise
        return gpd.GeoDataFrame(columns=cbs.AREA_COLUMNS, geometry="geometry", crs=cbs.CRS)
    if frame.geometry.name != "geometry":
        frame = frame.rename_geometry("geometry")
    frame = frame.to_crs(cbs.CRS)
    frame["jaar"] = frame["jaar"].astype("int64")
    frame["wijkcode"] = frame["wijkcode"].astype(object).where(frame["wijkcode"].notna(), None)
    return frame[cbs.AREA_COLUMNS]


def add_imported(areas: dict[str, gpd.GeoDataFrame], sources_dir: Path) -> dict[str, gpd.GeoDataFrame]:
    """The bundled area layers with the imported ones of data/sources/gebieden/ added.

    An imported layer named like a bundled one replaces the bundled areas of the
    gemeenten it covers; the other gemeenten keep theirs."""
    folder = Path(sources_dir) / GEBIEDEN_DIR
    combined = dict(areas)
    for path in sorted(folder.glob("*.gpkg")) if folder.is_dir() else []:
        if not LAYER_NAME.fullmatch(path.stem):
            continue
        imported = read_imported(path)
        bundled = combined.get(path.stem)
        if bundled is not None:
            kept = bundled[~bundled["gemeentecode"].isin(set(imported["gemeentecode"]))]
            imported = pd.concat([kept, imported], ignore_index=True)
        combined[path.stem] = gpd.GeoDataFrame(
            imported.sort_values("code", ignore_index=True), geometry="geometry", crs=cbs.CRS
        )[cbs.AREA_COLUMNS]
        log.info("geïmporteerde gebieden: %s (%d)", path.stem, len(imported))
    return combined


def _merged(existing: gpd.GeoDataFrame | None, new: gpd.GeoDataFrame, gemeenten: set[str]) -> gpd.GeoDataFrame:
    """`existing` without the areas of `gemeenten`, with `new` added, sorted by code."""
    parts = [new]
    if existing is not None and not existing.empty:
        parts.insert(0, existing[~existing["gemeentecode"].isin(gemeenten)])
    frame = pd.concat([part for part in parts if not part.empty] or [new], ignore_index=True)
    return gpd.GeoDataFrame(frame.sort_values("code", ignore_index=True), geometry="geometry", crs=cbs.CRS)[
        cbs.AREA_COLUMNS
    ]


def _provenance(previous: dict, result: LayerResult, name: str, bron: str, today: str) -> dict:
    gemeenten = dict(previous.get("gemeenten", {}))
    areas = result.areas["gemeentecode"].value_counts()
    water = result.water["gemeentecode"].value_counts()
    for gemeente in sorted(set(areas.index) | set(water.index)):
        gemeenten[gemeente] = {
            "bron": bron,
            "geimporteerd": today,
            "gebieden": int(areas.get(gemeente, 0)),
            "water": int(water.get(gemeente, 0)),
        }
    match = LAYER_NAME.fullmatch(name)
    if match is None:  # the caller names the layer with layer_name
        raise ValueError(f"{name!r} is geen laagnaam <niveau>_<jaar>")
    niveau, jaar = match.groups()
    return {"laag": name, "niveau": niveau, "jaar": int(jaar), "gemeenten": dict(sorted(gemeenten.items()))}


def _temporary(target: Path) -> Path:
    # GDAL wants the .gpkg suffix; the leading dot keeps it out of the build's glob.
    return target.with_name(f".{target.stem}.tmp-{os.getpid()}-{secrets.token_hex(4)}{target.suffix}")


def import_gebieden(
    paths: Sequence[Path],
    jaar: int,
    sources_dir: Path,
    rebuild: Callable[[], object] | None,
    gemeenten: Sequence[str] | None = None,
    bron: str | None = None,
    today: dt.date | None = None,
) -> ImportSummary:
    """Read `paths`, merge them per gemeente into data/sources/gebieden/, then `rebuild`.

    `rebuild` (the store's build) runs after the files are in place; when it fails they
    are put back as they were, so on any error nothing has changed."""
    levels = read_files(paths, jaar, gemeenten)
    if not any(len(result.areas) or len(result.water) for result in levels.values()):
        raise GebiedenError(f"{', '.join(str(path) for path in paths)}: geen gebieden gevonden")
    bron = bron or ", ".join(Path(path).name for path in paths)
    today_text = (today or dt.datetime.now(dt.UTC).date()).isoformat()
    folder = Path(sources_dir) / GEBIEDEN_DIR
    folder.mkdir(parents=True, exist_ok=True)
    with _exclusive(folder):
        staged, summaries = _stage(levels, jaar, folder, bron, today_text)
        try:
            _swap_in(staged, rebuild)
        finally:
            _remove_temporaries(staged)
    return ImportSummary(levels=summaries, files=[target for _, target in staged])


@contextmanager
def _exclusive(folder: Path) -> Iterator[None]:
    """One import at a time in `folder`: two that merge into the same layer at once would
    each keep only their own gemeenten (POSIX; elsewhere imports are not serialised)."""
    try:
        import fcntl
    except ImportError:
        yield
        return
    with open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _stage(
    levels: dict[str, LayerResult], jaar: int, folder: Path, bron: str, today_text: str
) -> tuple[list[tuple[Path, Path]], list[LevelSummary]]:
    """Each level merged with what the folder holds and written to a temporary file beside
    its target: the (temporary, target) pairs, and a summary per level."""
    staged: list[tuple[Path, Path]] = []
    summaries: list[LevelSummary] = []
    try:
        for niveau in NIVEAUS:
            result = levels.get(niveau)
            if result is None or (result.areas.empty and result.water.empty):
                continue
            name = layer_name(niveau, jaar)
            target = folder / f"{name}.gpkg"
            covered = set(result.areas["gemeentecode"]) | set(result.water["gemeentecode"])
            earlier = target.exists()
            areas = _merged(read_imported(target) if earlier else None, result.areas, covered)
            water = _merged(read_imported(target, WATER_LAYER) if earlier else None, result.water, covered)
            temporary = _temporary(target)
            staged.append((temporary, target))
            pyogrio.write_dataframe(areas, temporary, layer=AREAS_LAYER, driver="GPKG")
            if not water.empty:
                pyogrio.write_dataframe(water, temporary, layer=WATER_LAYER, driver="GPKG")
            note = folder / f"{name}.json"
            previous = json.loads(note.read_text(encoding="utf-8")) if note.exists() else {}
            note_temporary = _temporary(note)
            staged.append((note_temporary, note))
            provenance = _provenance(previous, result, name, bron, today_text)
            note_temporary.write_text(json.dumps(provenance, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            summaries.append(
                LevelSummary(
                    name=name,
                    areas=len(result.areas),
                    gemeenten=result.areas["gemeentecode"].nunique(),
                    water=len(result.water),
                    repaired=result.repaired,
                    total_areas=len(areas),
                    total_gemeenten=areas["gemeentecode"].nunique(),
                )
            )
    except BaseException:
        _remove_temporaries(staged)
        raise
    return staged, summaries


def _remove_temporaries(staged: list[tuple[Path, Path]]) -> None:
    for temporary, _ in staged:
        for leftover in (temporary, temporary.with_name(temporary.name + "-journal")):
            leftover.unlink(missing_ok=True)


def _swap_in(staged: list[tuple[Path, Path]], rebuild: Callable[[], object] | None) -> None:
    """Move the staged files over their targets, rebuild; on failure put the old ones back."""
    backups: list[tuple[Path, Path | None]] = []  # (target, backup or None when new)
    try:
        for temporary, target in staged:
            backup = None
            if target.exists():
                backup = target.with_name(f".{target.name}.bak-{secrets.token_hex(4)}")
                os.replace(target, backup)
            backups.append((target, backup))
            os.replace(temporary, target)
        if rebuild is not None:
            rebuild()
    except BaseException:
        for target, backup in reversed(backups):
            if backup is None:
                target.unlink(missing_ok=True)
            else:
                os.replace(backup, target)
        raise
    for _, backup in backups:
        if backup is not None:
            backup.unlink(missing_ok=True)


# --- PDOK's OGC API Features ---------------------------------------------------------------------


def pdok_url(jaar: int, base: str | None = None) -> str:
    """The API root (landing page) for `jaar`: `base` if given ({jaar} filled in), else PDOK's."""
    return (base or GEBIEDEN_PDOK_URL).format(jaar=jaar).rstrip("/")


def items_url(base: str, collection: str, bbox: tuple[float, float, float, float] | None = None) -> str:
    """The first page of a collection's items as GeoJSON (WGS84), within `bbox` if given."""
    query = {"f": "json", "limit": GEBIEDEN_FETCH_PAGE_SIZE}
    if bbox is not None:
        query["bbox"] = ",".join(f"{value:.6f}" for value in bbox)
    return f"{base}/collections/{collection}/items?{urlencode(query, safe=',')}"


def _get_json(session, url: str) -> dict:
    """One page as a GeoJSON FeatureCollection, read no further than the page limit."""
    import requests

    try:
        response = session.get(
            url, timeout=GEBIEDEN_FETCH_TIMEOUT_S, headers={"Accept": "application/geo+json"}, stream=True
        )
        with response:
            if response.status_code != 200:
                raise GebiedenError(f"PDOK antwoordde HTTP {response.status_code} op {url}")
            body = bytearray()
            for chunk in response.iter_content(1 << 20):
                body += chunk
                if len(body) > GEBIEDEN_FETCH_MAX_PAGE_BYTES:
                    raise GebiedenError(f"{url}: antwoord groter dan {GEBIEDEN_FETCH_MAX_PAGE_BYTES:,} bytes")
    except requests.RequestException as error:
        raise GebiedenError(
            f"PDOK is niet bereikbaar op {url} ({type(error).__name__}); controleer de internetverbinding, "
            "of noem met --url een andere basis"
        ) from None
    try:
        page = json.loads(body)
    except ValueError:
        raise GebiedenError(f"PDOK gaf geen geldige JSON op {url}") from None
    if (
        not isinstance(page, dict)
        or page.get("type") != "FeatureCollection"
        or not isinstance(page.get("features"), list)
    ):
        raise GebiedenError(f"PDOK gaf geen GeoJSON FeatureCollection op {url}")
    return page


def _next_link(page: dict, url: str) -> str | None:
    """The page after this one; a relative link is taken from the page's own address."""
    for link in page.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return urljoin(url, str(link["href"]))
    return None


def fetch_pages(session, url: str, label: str) -> Iterator[list[dict]]:
    """The features of each page from `url` on, following the `next` links, with a progress bar."""
    from tqdm import tqdm

    seen: set[str] = set()
    count = 0
    with tqdm(desc=label, unit=" gebieden", disable=None, leave=False) as progress:
        while url:
            if url in seen or len(seen) >= GEBIEDEN_FETCH_MAX_PAGES:
                raise GebiedenError(
                    f"{label}: meer dan {GEBIEDEN_FETCH_MAX_PAGES} pagina's of een kringverwijzing bij {url}"
                )
            seen.add(url)
            page = _get_json(session, url)
            if progress.total is None and isinstance(page.get("numberMatched"), int):
                progress.total = page["numberMatched"]
            count += len(page["features"])
            if count > GEBIEDEN_MAX_FEATURES:
                raise GebiedenError(f"{label}: meer dan {GEBIEDEN_MAX_FEATURES:,} gebieden")
            progress.update(len(page["features"]))
            log.info("%s: %d gebieden opgehaald", label, count)
            yield page["features"]
            next_url = _next_link(page, url)
            if next_url is None:
                break
            url = next_url


# The properties a boundary layer is read by: only these are kept of what PDOK serves, so
# every page of a collection has the same columns.
KNOWN_FIELDS = tuple(
    dict.fromkeys(
        name for scheme in SCHEMES for name in (scheme.code, *scheme.names, scheme.gemeente, scheme.wijk) if name
    )
) + (WATER_FIELD,)


def _area_key(feature: dict) -> str:
    """What identifies an area across pages and boxes: its code, else the feature's id."""
    properties = feature.get("properties") or {}
    for scheme in SCHEMES:
        if properties.get(scheme.code):
            return str(properties[scheme.code]).strip()
    return str(feature.get("id", json.dumps(feature.get("geometry"), sort_keys=True)))


def _page_frame(features: list[dict], columns: list[str] | None, where: str) -> gpd.GeoDataFrame:
    """A page's features with the known properties as text, in `columns` (those of the first page)."""
    kept = []
    for feature in features:
        if not isinstance(feature, dict) or feature.get("type") != "Feature":
            raise GebiedenError(f"{where}: een element van 'features' is geen GeoJSON Feature")
        properties = feature.get("properties") or {}
        values = {
            name: None if value is None else str(value)
            for name, value in properties.items()
            if name.lower() in KNOWN_FIELDS
        }
        kept.append({"type": "Feature", "geometry": feature.get("geometry"), "properties": values})
    try:
        frame = gpd.GeoDataFrame.from_features(kept, crs=cbs.CRS)
    except Exception as error:  # shapely's and geopandas' errors on a malformed geometry vary
        raise GebiedenError(f"{where}: onleesbare GeoJSON ({_shown(error)})") from None
    if columns is not None:
        frame = frame.reindex(columns=[*columns, "geometry"])
    return frame


def gemeente_bboxes(
    gemeenten: Sequence[str], path: Path | str | None = None
) -> dict[str, tuple[float, float, float, float]]:
    """Each gemeente's box (west, south, east, north; WGS84) from the newest gemeente layer
    of the store that holds it."""
    from wijkmap.data import store

    layers = sorted(
        (name for name in store.area_layers(path) if (match := LAYER_NAME.fullmatch(name)) and match[1] == "gemeente"),
        key=lambda name: int(name.rsplit("_", 1)[1]),
        reverse=True,
    )
    boxes: dict[str, tuple[float, float, float, float]] = {}
    for gemeente in gemeenten:
        for layer in layers:
            areas = store.read_areas(layer, gemeentecode=gemeente, path=path)
            if not areas.empty:
                west, south, east, north = (float(value) for value in areas.to_crs(cbs.CRS).total_bounds)
                boxes[gemeente] = (west, south, east, north)
                break
        else:
            raise GebiedenError(
                f"--gemeente {gemeente}: deze gemeente staat in geen gemeentelaag van het gegevensbestand"
            )
    return boxes


def fetch_gebieden(
    jaar: int,
    sources_dir: Path,
    rebuild: Callable[[], object] | None,
    gemeenten: Sequence[str] | None = None,
    base: str | None = None,
    bboxes: dict[str, tuple[float, float, float, float]] | None = None,
    session=None,
) -> ImportSummary:
    """The buurten, wijken and gemeenten of `jaar` from PDOK, imported like a file.

    With `gemeenten`, each is asked for within its box (`bboxes`, WGS84: the core query
    every OGC API Features service answers) and only its areas are kept."""
    import requests

    check_jaar(jaar)
    root = pdok_url(jaar, base)
    session = session or requests.Session()
    boxes: list[tuple[float, float, float, float] | None] = [None]  # the whole country in one query
    if gemeenten:
        if bboxes is None:
            raise ValueError("fetch_gebieden: met gemeenten horen hun bboxes (gemeente_bboxes)")
        boxes = [bboxes[gemeente] for gemeente in gemeenten]
    with tempfile.TemporaryDirectory(prefix="wijkmap-pdok-") as folder:
        # Page by page to disk: the country's buurten at full resolution do not fit in memory as JSON.
        download = Path(folder) / f"pdok_{jaar}.gpkg"
        written = False
        for collection in PDOK_COLLECTIONS:
            seen: set[str] = set()
            columns: list[str] | None = None
            appending = False  # the collection's layer is in the file: add to it
            for box in boxes:
                url = items_url(root, collection, box)
                for features in fetch_pages(session, url, f"{collection} {jaar}"):
                    fresh = [feature for feature in features if _area_key(feature) not in seen]
                    seen.update(_area_key(feature) for feature in fresh)
                    if not fresh:
                        continue
                    frame = _page_frame(fresh, columns, f"PDOK {collection} ({url})")
                    columns = columns or [name for name in frame.columns if name != "geometry"]
                    pyogrio.write_dataframe(
                        frame, download, layer=collection, driver="GPKG", append=appending, geometry_type="Unknown"
                    )
                    appending = written = True
        if not written:
            raise GebiedenError(f"PDOK gaf geen gebieden voor {jaar} ({root})")
        return import_gebieden([download], jaar, sources_dir, rebuild, gemeenten=gemeenten, bron=f"PDOK {root}")
