"""Vector tiles of whole area layers, for the national buurt and wijk maps.

A map of all 12,229 buurten as GeoJSON is 18 MB; as vector tiles (PMTiles, one file per
indeling, written with GDAL's PMTiles driver through pyogrio) the browser fetches only the
tiles in view, at the detail of the zoom, by HTTP range requests from the app's own
static serving. The tiles hold geometry and the area code only: the colours come from the
values the app sends for the chosen indicator and year, so another indicator reloads no
tile.

A file is named after its layer and a digest of the codes and geometry it holds
(`buurt_2015-<digest>.pmtiles`), so a rebuilt or imported layer gets a new name (no
browser keeps an old copy) and stores of different content (tests, demos) never share
one by mistake.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import time
from pathlib import Path

import pyogrio

from wijkmap.config import STATIC_DIR
from wijkmap.data import store

log = logging.getLogger(__name__)

TILES_DIR = STATIC_DIR / "tiles"  # served at /app/static/tiles/
# The layer inside every file (the map's paint rule names it).
TILE_LAYER = "areas"
# Zoom levels with data: 5 shows the whole country, 12 a few streets. Leaflet draws deeper
# zooms from level 12's tiles (overzoom), so zooming into a gemeente stays continuous.
MINZOOM = 5
MAXZOOM = 12
# The levels whose layers are tiled (the national map draws them).
TILED_LEVELS = ("buurt", "wijk")


def tiled_layers(path: Path | None = None) -> list[str]:
    """The store's buurt and wijk layers (e.g. buurt_2015, wijk_2024)."""
    return [name for name in store.area_layers(path) if name.split("_")[0] in TILED_LEVELS]


def _digest(frame) -> str:
    """A short digest of a layer's codes and geometry, in the order written."""
    h = hashlib.sha1()
    for code, wkb in zip(frame["code"], frame.geometry.to_wkb()):
        h.update(str(code).encode())
        h.update(wkb)
    return h.hexdigest()[:12]


def tiles_file(layer: str, path: Path | None = None, out_dir: Path = TILES_DIR) -> Path:
    """The PMTiles file of the store's `layer`, written when missing (a few seconds for
    all buurten: build-data writes them beforehand, see write_all)."""
    frame = store.read_areas(layer, path=path)[["code", "geometry"]].sort_values("code", kind="stable")
    target = Path(out_dir) / f"{layer}-{_digest(frame)}.pmtiles"
    if target.exists() and codes_file(target).exists():
        return target
    # Beside the tiles, every code in code order: the browser fetches it once (and keeps
    # it), so the classes the app sends on each change are one character per area.
    _write_codes(codes_file(target), [str(code) for code in frame["code"]])
    if target.exists():
        return target
    started = time.perf_counter()
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".pmtiles")
    os.close(fd)
    os.unlink(tmp)  # the driver creates the file itself
    try:
        pyogrio.write_dataframe(
            frame.reset_index(drop=True),
            tmp,
            driver="PMTiles",
            layer=TILE_LAYER,
            dataset_options={"MINZOOM": str(MINZOOM), "MAXZOOM": str(MAXZOOM), "NAME": layer},
        )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    finally:
        Path(tmp).unlink(missing_ok=True)
    log.info(
        "tegels %s: %d gebieden, %d bytes (%.1f s)",
        target.name,
        len(frame),
        target.stat().st_size,
        time.perf_counter() - started,
    )
    return target


def codes_file(tiles: Path) -> Path:
    """The file of a tiles file's area codes, in code order, joined by ","."""
    return tiles.with_suffix(".codes.txt")


def _write_codes(path: Path, codes: list[str]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    with os.fdopen(fd, "w", encoding="ascii") as out:
        out.write(",".join(codes))
    os.chmod(tmp, 0o644)
    os.replace(tmp, path)


def write_all(path: Path | None = None, out_dir: Path = TILES_DIR, prune: bool = False) -> dict[str, Path]:
    """The tiles of every buurt and wijk layer of the store (build-data); with `prune`,
    other files of those layers in `out_dir` (of an earlier build) are removed."""
    written = {layer: tiles_file(layer, path, out_dir) for layer in tiled_layers(path)}
    for layer, keep in written.items() if prune else ():
        for old in Path(out_dir).glob(f"{layer}-*.*"):
            if old not in (keep, codes_file(keep)):
                old.unlink(missing_ok=True)
    return written
