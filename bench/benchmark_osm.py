"""import-osm on a synthetic province-sized extract: time, memory, records.

No real extract is bundled (and this machine has no internet), so this writes an .osm.pbf
shaped like a province's: many untagged nodes, buildings as ways, named streets, other
amenities and shops, and provisions as nodes and as ways, spread over a box around
Utrecht and Gelderland. It then imports it twice into a copy of a store (the second time
with 5% of the provisions gone, which closes them) and prints the figures.

    .venv/bin/python bench/benchmark_osm.py [--store data/wijkmap.gpkg] [--nodes 3000000]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import tempfile
import time
from pathlib import Path

import numpy as np
import osmium

from wijkmap.data.sources import osm

BOX = (4.8, 51.8, 6.2, 52.4)
PROVISION_TAGS = [
    {"amenity": "community_centre", "name": "Buurthuis {i}"},
    {"amenity": "library", "name": "Bibliotheek {i}"},
    {"amenity": "place_of_worship", "religion": "christian", "name": "Kerk {i}"},
    {"amenity": "place_of_worship", "religion": "muslim", "name": "Moskee {i}"},
    {"shop": "second_hand", "name": "Kringloop {i}"},
    {"social_facility": "food_bank", "name": "Voedselbank {i}"},
]
OTHER_TAGS = [{"amenity": "bench"}, {"shop": "bakery", "name": "Bakker {i}"}, {"amenity": "parking"}]


def write_extract(path: Path, nodes: int, provisions: int, missing: float, seed: int = 1) -> None:
    rng = np.random.default_rng(seed)
    lons = rng.uniform(BOX[0], BOX[2], nodes)
    lats = rng.uniform(BOX[1], BOX[3], nodes)
    header = osmium.io.Header()
    header.set("osmosis_replication_timestamp", "2025-09-01T00:00:00Z" if missing else "2025-03-01T00:00:00Z")
    header.add_box(osmium.osm.Box(osmium.osm.Location(BOX[0], BOX[1]), osmium.osm.Location(BOX[2], BOX[3])))
    writer = osmium.SimpleWriter(str(path), header=header, overwrite=True)
    keep = np.random.default_rng(seed + 1).random(provisions) >= missing
    others = provisions * 10
    for i in range(nodes):
        tags = {}
        if i < provisions:
            if not keep[i]:
                continue
            tags = {k: v.format(i=i) for k, v in PROVISION_TAGS[i % len(PROVISION_TAGS)].items()}
        elif i < provisions + others:
            tags = {k: v.format(i=i) for k, v in OTHER_TAGS[i % len(OTHER_TAGS)].items()}
        writer.add_node(osmium.osm.mutable.Node(id=i + 1, location=(lons[i], lats[i]), tags=tags, version=1))
    # Buildings: ways of 5 consecutive nodes; every 20th a provision, every 7th a named street.
    for w in range(nodes // 6):
        first = provisions + others + 1 + w * 5
        if first + 4 > nodes:
            break
        tags = {"building": "yes"}
        if w % 20 == 0:
            tags = {k: v.format(i=w) for k, v in PROVISION_TAGS[w % len(PROVISION_TAGS)].items()}
            if missing and w % 400 == 0:
                continue
        elif w % 7 == 0:
            tags = {"highway": "residential", "name": f"Straat {w}"}
        writer.add_way(osmium.osm.mutable.Way(id=w + 1, nodes=list(range(first, first + 5)), tags=tags, version=1))
    writer.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", default="data/wijkmap.gpkg")
    parser.add_argument("--nodes", type=int, default=3_000_000)
    parser.add_argument("--provisions", type=int, default=10_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        copy = folder / "wijkmap.gpkg"
        shutil.copyfile(args.store, copy)
        first, second = folder / "eerste.osm.pbf", folder / "tweede.osm.pbf"
        started = time.perf_counter()
        write_extract(first, args.nodes, args.provisions, 0.0)
        write_extract(second, args.nodes, args.provisions, 0.05)
        print(f"extracts written in {time.perf_counter() - started:.0f} s: {first.stat().st_size / 1e6:.0f} MB each")
        for extract in (first, second):
            started = time.perf_counter()
            summary = osm.import_osm(extract, store_file=copy)
            seconds = time.perf_counter() - started
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"{extract.name}: {seconds:.1f} s, peak RSS {peak:.0f} MB, {len(summary.records)} records,"
                f" {len(summary.opened)} new, {len(summary.closed)} closed, {len(summary.changed)} changed,"
                f" skipped {dict(summary.skipped)}"
            )


if __name__ == "__main__":
    main()
