"""Benchmark of the Hoge nood ranking: reach (council.reach) and the whole ranking
(council.ranking) for the buurten of Utrecht and Rotterdam, with the bundled provisions.

Run it from the repository root:

    .venv/bin/python bench/benchmark_ranking.py

It builds a store of the two gemeenten in a temporary directory (data/wijkmap.gpkg is
never touched), times each step five times and prints the median and the fastest run.
A measurement, not a test: nothing passes or fails on a timing.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from wijkmap.council import need, ranking, reach  # noqa: E402
from wijkmap.data import placement, store  # noqa: E402
from wijkmap.data.build import build_store  # noqa: E402

GEMEENTEN = {"GM0344": "Utrecht", "GM0599": "Rotterdam"}
RUNS = 5


def timed(function) -> list[float]:
    times = []
    for _ in range(RUNS):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="wijkmap-bench-") as folder:
        path = Path(folder) / "wijkmap.gpkg"
        build_store(path, gemeenten=list(GEMEENTEN))
        import os

        os.environ["WIJKMAP_STORE"] = str(path)
        figures, catalogue = store.read_statistics(path), store.read_catalogue(path)
        records = placement.complete(store.read_records(path))
        profile = need.NeedProfile(["pct_65plus", "bijstand_per_1000", "pct_eenpersoonshuishoudens"])
        print(f"{'gemeente':<10} {'buurten':>7} {'provisions':>10} {'step':<8} {'median s':>9} {'fastest s':>9}")
        for code, name in GEMEENTEN.items():
            areas = store.read_areas("buurt_2015", code, path=path)
            steps = {
                "reach": lambda areas=areas: reach.reach(areas, records, figures, 2024),
                "ranking": lambda areas=areas: ranking.ranking(
                    areas, figures, catalogue, records, 2024, profile, "buurt", layer_jaar=2015
                ),
            }
            for step, function in steps.items():
                times = timed(function)
                print(
                    f"{name:<10} {len(areas):>7} {len(records):>10} {step:<8} "
                    f"{statistics.median(times):>9.2f} {min(times):>9.2f}"
                )


if __name__ == "__main__":
    main()
