"""Benchmark of many records in one gemeente (issue 14, "Records at scale"), in Chromium,
against the naive way (a folium.Marker with a Popup per record in a MarkerCluster) in the
same run.

Run it from the repository root (after scripts/vendor and build-data):

    .venv/bin/python bench/benchmark_records.py [--count 100000] [--gemeente GM0344] [--runs 2]

It copies data/wijkmap.gpkg into a temporary folder and adds `--count` records in the
gemeente: copies of its own records (the sample's when it has no others) spread over it,
with bron "voorbeeld", so the app marks every one of them as illustrative. On that store, as
in bench/benchmark_gemeente.py: the first map (fresh server, then warm ones) until the areas
are coloured and every record is in the map's cluster layer, and a filter click (Bridging)
until the symbols changed. The naive map of the same records is built, sized and painted. A measurement, not a test: nothing passes
or fails on a timing. Figures go to bench/out/records.json.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "src")]

from benchmark_gemeente import VIEWPORT, open_gemeente, state, step  # noqa: E402
from benchmark_national import CHROMIUM, Server, Traffic, wait_until  # noqa: E402

OUT = REPO / "bench" / "out" / "records.json"
NAIVE_TIMEOUT_S = 180  # for loading the naive page, and again for its first clusters
GOAL = {"seconds": 2.0, "bytes": 2.5e6}  # issue 14: 100k records ≤ 2 s to map, ≤ 2.5 MB


def add_records(store: Path, gemeente: str, count: int) -> int:
    """`count` records in `gemeente`, made from its own: each a copy moved up to ~700 m."""
    import geopandas as gpd
    import numpy as np

    from wijkmap.data import store as data_store

    existing = data_store.read_records(store)
    own = existing[existing["gemeentecode"] == gemeente]
    if own.empty:
        raise SystemExit(f"{gemeente} has no records to copy")
    rng = np.random.default_rng(14)
    many = own.iloc[np.arange(count) % len(own)].reset_index(drop=True).copy()
    many["id"] = [f"bench-{i:06d}" for i in range(count)]
    many["naam"] = [f"{name} #{i}" for i, name in enumerate(many["naam"])]
    many["bron"] = "voorbeeld"
    many["werkgebied"] = ""
    many["lat"] = (many["lat"] + rng.uniform(-0.006, 0.006, count)).round(6)
    many["lon"] = (many["lon"] + rng.uniform(-0.01, 0.01, count)).round(6)
    many = gpd.GeoDataFrame(many, geometry=gpd.points_from_xy(many["lon"], many["lat"]), crs=existing.crs)
    inserted, _ = data_store.upsert_records(many, store)
    return inserted


def naive(store: Path, browser, server: Server, gemeente: str) -> dict:
    """A MarkerCluster with a folium.Marker and Popup per record (benchmark_map.naive_popup),
    as a plain folium app draws them: built, sized and painted (until the clusters show)."""
    import folium
    import folium.plugins
    from benchmark_map import naive_popup

    from wijkmap.data import store as data_store
    from wijkmap.map import assets

    records = data_store.read_records(store)
    records = records[records["gemeentecode"] == gemeente]
    started = time.perf_counter()
    m = folium.Map(location=[records["lat"].mean(), records["lon"].mean()], zoom_start=12, tiles=None)
    cluster = folium.plugins.MarkerCluster().add_to(m)
    for record in records.itertuples(index=False):
        folium.Marker(
            [record.lat, record.lon], popup=folium.Popup(naive_popup(record), max_width=340), tooltip=record.naam
        ).add_to(cluster)
    raw = assets.make_offline(m).get_root().render().encode()
    build_s = time.perf_counter() - started
    page_file = REPO / "static" / "bench-naive-records.html"
    page_file.write_bytes(raw)
    result = {
        "records": len(records),
        "build_s": round(build_s, 2),
        "html_bytes": len(raw),
        "html_gzip_bytes": len(gzip.compress(raw, 6)),
    }
    try:
        context = browser.new_context(viewport=VIEWPORT)
        context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        page = context.new_page()
        traffic = Traffic(context, page)
        started = time.perf_counter()
        page.goto(server.url + "app/static/" + page_file.name, timeout=NAIVE_TIMEOUT_S * 1000)
        page.wait_for_function(
            "() => document.querySelectorAll('.marker-cluster').length > 0", timeout=NAIVE_TIMEOUT_S * 1000
        )
        result["first_paint_s"] = round(time.perf_counter() - started, 2)
        result["transferred_bytes"] = traffic.total
        context.close()
    except Exception as exc:  # a page that never paints is a finding, not a crash
        result["first_paint_s"] = None
        result["error"] = str(exc).splitlines()[0]
    finally:
        page_file.unlink(missing_ok=True)
    return result


def one_person(browser, url: str, gemeente: str) -> dict:
    context, page, traffic, started = open_gemeente(browser, url, gemeente)
    expected = None

    def drawn() -> bool:
        nonlocal expected
        if expected is None:  # the summary row counts the records shown
            shown = (
                page.locator('[data-testid="stMetric"]')
                .filter(has_text="getoond")
                .locator('[data-testid="stMetricValue"]')
            )
            if shown.count():
                expected = int(shown.first.inner_text().replace(".", "").replace(",", ""))
        now = state(page)
        return bool(now["coloured"] and expected and now["records"] == expected)

    wait_until(drawn, timeout=300)
    first = {"seconds": round(time.perf_counter() - started, 3), "bytes": traffic.total, "records": expected}
    # Polled from here, the moment lags while the page renders (the map's thread is the
    # page's); the page's own clock says when the symbols were on the map.
    drawn_at = page.evaluate(
        "() => window.__benchDrawnAt ? (window.__benchDrawnAt - performance.timeOrigin) / 1000 : null"
    )
    first["drawn_in_page_s"] = round(drawn_at, 3) if drawn_at is not None else None
    everything = state(page)["records"]
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary', has_text="Filters").click()
    pill = sidebar.get_by_role("button", name="Bridging (overbruggen)", exact=True)
    filtered = step(page, traffic, pill.click, lambda s: s["records"] not in (None, everything))
    context.close()
    print(f"one person: first map {first['seconds']:.2f} s, filter {filtered['seconds']} s", file=sys.stderr)
    return {"first_map": first, "filter": filtered}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="records to add in the gemeente")
    parser.add_argument("--gemeente", default="GM0344", help="where (default Utrecht)")
    parser.add_argument("--runs", type=int, default=2, help="people (fresh browsers) on the warm server")
    parser.add_argument("--no-naive", action="store_true", help="leave out the naive map (slow to build)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    folder = Path(tempfile.mkdtemp(prefix="wijkmap-bench-records-"))
    store = folder / "wijkmap.gpkg"
    shutil.copyfile(REPO / "data" / "wijkmap.gpkg", store)
    started = time.perf_counter()
    added = add_records(store, args.gemeente, args.count)
    results: dict = {
        "gemeente": args.gemeente,
        "added": added,
        "add_s": round(time.perf_counter() - started, 1),
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_before": os.getloadavg()},
    }
    print(f"{added} records added in {results['add_s']} s; serving {store} …", file=sys.stderr)
    server = Server(store)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            results["cold_server"] = one_person(browser, server.url, args.gemeente)
            results["warm_server"] = [one_person(browser, server.url, args.gemeente) for _ in range(args.runs)]
            if not args.no_naive:
                results["naive"] = naive(store, browser, server, args.gemeente)
            browser.close()
        results["server_rss_mb"] = server_rss_mb(server)
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)
    results["machine"]["load_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    report(results)


def server_rss_mb(server: Server) -> float | None:
    """The app process's resident memory now (Linux /proc)."""
    try:
        for line in Path(f"/proc/{server.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def seconds_and_mb(figures: dict) -> str:
    took = "did not end" if figures["seconds"] is None else f"{figures['seconds']:.2f} s"
    in_page = f" (page clock {figures['drawn_in_page_s']:.2f} s)" if figures.get("drawn_in_page_s") else ""
    return f"{took}{in_page} {figures['bytes'] / 1e6:.2f} MB"


def report(results: dict) -> None:
    print(f"\n{results['added']} records added in {results['gemeente']}; app server RSS {results['server_rss_mb']} MB")
    print(f"{'step':<26}{'fresh server':>34}{'warm (each run)':>36}")
    for name in ("first_map", "filter"):
        cold = results["cold_server"][name]
        warm = ", ".join(seconds_and_mb(r[name]) for r in results["warm_server"])
        print(f"{name:<26}{seconds_and_mb(cold):>34}   {warm}")
    naive_ = results.get("naive")
    if naive_:
        paint = f"{naive_['first_paint_s']} s" if naive_.get("first_paint_s") else f"no paint ({naive_.get('error')})"
        print(
            f"naive (MarkerCluster, a Marker+Popup each): build {naive_['build_s']} s, "
            f"HTML {naive_['html_bytes'] / 1e6:.1f} MB ({naive_['html_gzip_bytes'] / 1e6:.1f} MB gzip), first paint {paint}"
        )
    print(f"goal: first map ≤ {GOAL['seconds']} s, ≤ {GOAL['bytes'] / 1e6} MB")


if __name__ == "__main__":
    main()
