"""Building the store from the bundled sources in data/sources/.

Data flows one way: each source module turns its files into frames, and this module
only puts them together and hands them to the store, so no source reads another. Records
that did not come from the bundled sources (imported registers, contributions) are
carried over from the existing store when the new file is swapped in (store.write_store),
so rebuilding never loses a municipality's data, not even what is written while it runs.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkmap.config import SOURCES_DIR
from wijkmap.data import placement, store
from wijkmap.data.sources import cbs, gebieden, repaircafes, sample
from wijkmap.data.sources.cbs.postcodes import load_buurt_postcodes

log = logging.getLogger(__name__)

# More gemeenten than a store of some gemeenten has: the Netherlands had 342 in 2024, 393 in 2015.
NATIONAL_GEMEENTEN = 300


@dataclass(frozen=True)
class BuildSummary:
    path: Path | str  # a GeoPackage, or a PostgreSQL URL
    areas: dict[str, int]
    statistics: int
    indicators: int
    records: dict[str, int]  # per bron
    carried_over: int


def bundled_records(
    areas: dict[str, gpd.GeoDataFrame], statistics: pd.DataFrame, sources_dir: Path, buurten: gpd.GeoDataFrame
) -> pd.DataFrame:
    """The records that ship with the project: real repair cafés and the labelled sample,
    placed in `buurten` (placement.combine of the buurt layers)."""
    frames = [
        repaircafes.load_records(sources_dir),
        sample.generate_sample(areas["buurt_2015"], statistics),
    ]
    records = pd.concat([frame for frame in frames if not frame.empty], ignore_index=True)
    return placement.place(records, buurten)


def _restrict(areas, statistics, gemeenten):
    areas = {name: frame[frame["gemeentecode"].isin(gemeenten)].reset_index(drop=True) for name, frame in areas.items()}
    # By the code's gemeente digits, not by the areas: figures of an indeling whose
    # boundaries are not in the store (buurten 2024) belong to the gemeente too.
    digits = {code[2:6] for code in gemeenten}
    return areas, statistics[statistics["code"].str[2:6].isin(digits)].reset_index(drop=True)


def build_store(
    path: store.Location | None = None,
    sources_dir: Path = SOURCES_DIR,
    gemeenten: list[str] | None = None,
) -> BuildSummary:
    """Rebuild the store at `path` from `sources_dir`; deterministic for the same input.

    `gemeenten` limits the areas and statistics to those gemeenten (small stores for
    tests and demos)."""
    path = store.store_location(path)
    started = time.perf_counter()
    log.info(
        "bouwen uit %s naar %s%s",
        sources_dir,
        store.backend.masked(path),
        f" (gemeenten {', '.join(gemeenten)})" if gemeenten else "",
    )
    areas = gebieden.add_imported(cbs.load_areas(sources_dir), sources_dir)
    statistics = cbs.load_statistics(sources_dir)
    catalogue = cbs.load_catalogue(statistics, sources_dir)
    postcodes = load_buurt_postcodes(sources_dir)
    if gemeenten:
        areas, statistics = _restrict(areas, statistics, gemeenten)
        postcodes = postcodes[postcodes["gemeentecode"].isin(gemeenten)].reset_index(drop=True)
    log.info(
        "CBS gelezen: %d gebieden in %d lagen, %d statistiekwaarden (%.1f s)",
        sum(len(frame) for frame in areas.values()),
        len(areas),
        len(statistics),
        time.perf_counter() - started,
    )
    buurten = placement.combine({name: areas[name] for name in placement.buurt_layers(areas)})
    records = bundled_records(areas, statistics, sources_dir, buurten)
    if gemeenten:
        records = records[records["gemeentecode"].isin(gemeenten)]
    records = records.sort_values("id", kind="stable")
    log.info("%d meegeleverde records geplaatst (%.1f s)", len(records), time.perf_counter() - started)
    # The other records are carried over at the swap, under the store's write lock: an
    # import or approval that commits while this build runs is kept.
    kept = store.write_store(
        path, areas, statistics, catalogue, records, bundled_bronnen=set(records["bron"]), postcodes=postcodes
    )
    if kept:
        # Carried-over records were placed in the old store's buurten; a new indeling
        # for their gemeente gives them its codes, as the bundled records got.
        moved = placement.place_again(buurten, path)
        log.info("%d overgenomen records opnieuw geplaatst", moved)
    counts = {str(bron): int(count) for bron, count in records["bron"].value_counts().items()}
    for bron, count in kept.items():
        counts[bron] = counts.get(bron, 0) + count
    log.info("gebouwd in %.1f s: %s", time.perf_counter() - started, store.backend.masked(path))
    return BuildSummary(
        path=path,
        areas={name: len(frame) for name, frame in areas.items()},
        statistics=len(statistics),
        indicators=len(catalogue),
        records=dict(sorted(counts.items())),
        carried_over=sum(kept.values()),
    )


def store_gemeenten(path: store.Location) -> list[str] | None:
    """The gemeenten a store holds areas of; None without a store."""
    if not store.exists(path):
        return None
    codes: set[str] = set()
    for layer in store.area_layers(path):
        codes.update(store.read_area_names(layer, path)["gemeentecode"].dropna())
    return sorted(codes) or None


def rebuild(path: store.Location, sources_dir: Path = SOURCES_DIR, also: Collection[str] = ()) -> BuildSummary:
    """Rebuild the store at `path` after new files arrived in `sources_dir`, keeping its extent.

    A store built for some gemeenten stays that small (plus `also`, the gemeenten the new
    files are about); a store of the whole country stays whole."""
    held = store_gemeenten(path)
    national = held is None or len(held) > NATIONAL_GEMEENTEN
    gemeenten = None if national or not held else sorted(set(held) | set(also))
    return build_store(path, sources_dir=sources_dir, gemeenten=gemeenten)
