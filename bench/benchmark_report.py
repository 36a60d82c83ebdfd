"""Benchmark of the council report (wijkmap rapport): how long a PDF takes and how big it is.

Run it from the repository root:

    .venv/bin/python bench/benchmark_report.py            # the store WIJKMAP_STORE or data/wijkmap.gpkg
    .venv/bin/python bench/benchmark_report.py --runs 3

A measurement, not a test. The store is read once (content.load, as the app's caches
hold it); then for each case the report is built `--runs` times and the median, the
slowest, and the split over its steps (gathering, map image, charts, PDF) are printed,
with the PDF's size and page count. The first run of a process also pays for importing
matplotlib, vl-convert and WeasyPrint: it is reported apart ("first").

Cases: a Utrecht buurt (the sample), Utrecht and Rotterdam whole (every buurt on the
map, their provisions listed), Deventer whole (real CBS figures, no provisions), and a
Utrecht buurt compared with another and with Rotterdam.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from wijkmap.council.report import build, charts, content, map_image, pdf  # noqa: E402

CASES = {
    "buurt Veldhuizen (Utrecht)": ["BU03441024"],
    "gemeente Utrecht": ["GM0344"],
    "gemeente Rotterdam": ["GM0599"],
    "gemeente Deventer (real data)": ["GM0150"],
    "buurt + 2 compared": ["BU03441024", "BU03440812", "GM0599"],
}


def pages(pdf_bytes: bytes) -> int | None:
    with tempfile.NamedTemporaryFile(suffix=".pdf") as handle:
        handle.write(pdf_bytes)
        handle.flush()
        try:
            info = subprocess.run(["pdfinfo", handle.name], capture_output=True, text=True, check=True).stdout
        except (OSError, subprocess.CalledProcessError):
            return None
    return next((int(line.split()[-1]) for line in info.splitlines() if line.startswith("Pages:")), None)


def steps(data, codes) -> dict[str, float]:
    """Seconds per step of one report, timed apart (the same calls build_report makes)."""
    times = {}
    started = time.perf_counter()
    report = content.gather(data, codes[0])
    times["gather"] = time.perf_counter() - started
    started = time.perf_counter()
    map_image.map_png(report, "nl")
    times["map image"] = time.perf_counter() - started
    started = time.perf_counter()
    if report.change is not None:
        charts.chart_pngs(report.change.charts)
    times["charts"] = time.perf_counter() - started
    started = time.perf_counter()
    markup = build.report_html(codes, data=data)
    times["html (all steps again)"] = time.perf_counter() - started
    started = time.perf_counter()
    pdf.html_to_pdf(markup)
    times["weasyprint"] = time.perf_counter() - started
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", default=str(ROOT / "bench" / "out" / "report.json"))
    args = parser.parse_args()
    started = time.perf_counter()
    data = content.load()
    load_s = time.perf_counter() - started
    print(
        f"store {data.path}: read in {load_s:.1f} s ({len(data.statistics):,} figures, {len(data.records):,} records)"
    )
    results = {"load_s": load_s, "cases": {}}
    first = True
    for name, codes in CASES.items():
        try:
            content.find_area(data, codes[0])
        except content.ReportError as error:
            print(f"{name}: skipped ({error})")
            continue
        runs, size, count = [], 0, None
        for _ in range(args.runs):
            started = time.perf_counter()
            pdf_bytes = build.build_report(codes, data=data)
            runs.append(time.perf_counter() - started)
            size, count = len(pdf_bytes), pages(pdf_bytes)
        split = steps(data, codes)
        label = f"{name} ({', '.join(codes)})"
        first_note = f"  first run (imports): {runs[0]:.1f} s" if first else ""
        timed = runs[1:] if first and len(runs) > 1 else runs
        first = False
        print(
            f"{label}: median {statistics.median(timed):.2f} s, slowest {max(timed):.2f} s, "
            f"{size / 1024:.0f} kB, {count} pages.{first_note}"
        )
        print("   " + ", ".join(f"{step} {seconds:.2f} s" for step, seconds in split.items()))
        results["cases"][name] = {"codes": codes, "runs_s": runs, "bytes": size, "pages": count, "steps_s": split}
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"written to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
