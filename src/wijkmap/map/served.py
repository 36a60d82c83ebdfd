"""Geometry the browser fetches from the app instead of receiving it in every message.

Streamlit sends a component's arguments again on every run of the page, so a map with
its GeoJSON inside would send all of a gemeente's outlines on each filter click and
indicator change. Here the GeoJSON is written once into the app's static folder, under a
name made of its digest, and the map gets only the address: the browser fetches the file
once and revalidates it from its cache after that (the same text always has the same
name, another store version another one). A saved hand-out keeps its GeoJSON inline
instead: it must open without the app.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

from wijkmap.config import STATIC_DIR
from wijkmap.core.geometry import script_json
from wijkmap.map import assets

SERVED_DIR = STATIC_DIR / "geometry"  # served at /app/static/geometry/


def reference(text: str, out_dir: Path = SERVED_DIR) -> str:
    """The map's argument for `text` (compact JSON: GeoJSON, a map.layers.RecordTable's
    parts) served as a file: `{"url": ...}` as script-safe JSON, which wijkmap-map.js
    fetches. The file is written when missing, atomically, so a second process writing
    the same one does no harm."""
    data = text.encode("utf-8")
    target = Path(out_dir) / f"{hashlib.sha1(data).hexdigest()[:20]}.json"
    if not target.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.stem}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as out:
                out.write(data)
            os.chmod(tmp, 0o644)
            os.replace(tmp, target)
        finally:
            Path(tmp).unlink(missing_ok=True)
    return script_json({"url": f"{assets.static_url()}/{SERVED_DIR.name}/{target.name}"})


def prune(out_dir: Path = SERVED_DIR) -> int:
    """Remove every served file (build-data, after a new store: they are written again as
    pages ask for them); returns how many there were."""
    removed = 0
    for old in Path(out_dir).glob("*.json"):
        old.unlink(missing_ok=True)
        removed += 1
    return removed
