"""Benchmark of a gemeente's map in Chromium, step by step as a person uses it, against
the naive way (a plain folium.GeoJson and a folium.Marker per record, rebuilt and sent
whole on every click) in the same run.

Run it from the repository root (after scripts/vendor and build-data):

    .venv/bin/python bench/benchmark_gemeente.py [--store PATH] [--runs N] [--gemeente GM0344]

It prints a table and writes every figure, with every single run, to
bench/out/gemeente.json. A measurement, not a test: nothing passes or fails on a timing.
The app runs on the store (default data/wijkmap.gpkg) with no basemap (WIJKMAP_TILES=none),
so nothing leaves the machine. The first browser meets a fresh server (a new process, its
caches empty), the others a warm one; each browser is new (no cache), as another person.

Each step is timed from the click until the map shows its outcome (in the map's iframe:
the areas with their classes, the record symbols, the legend), and its bytes are what the
page received meanwhile: HTTP responses and websocket frames, from Chromium's DevTools
protocol (bench/benchmark_national.Traffic). The outcome is seen from here, by looking
into the page every 30 ms, which waits while the page renders a run; the first map is
also timed by the page's own clock (DRAWN_PROBE).
1. First map of `?gemeente=…`: navigation until the areas are coloured and the records drawn.
2. A filter click (the strategy pill Bridging) until the symbols changed.
3. Another indicator until the legend names it and the areas have their new classes.
4. Buurt → wijk until the wijken are coloured.
5. Another gemeente (Rotterdam) until its buurten are coloured.
Naive: the same first view as benchmark_map.naive_map builds it (full geometry with every
statistic of the year, a marker with a popup per record): its build time and HTML size,
and its first paint in Chromium (served by the same app, so Leaflet comes from the same
place). Each click rebuilds and sends all of it again.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "src")]

from benchmark_national import CHROMIUM, MAP_FRAME, TIMEOUT_S, Server, Traffic, paint_naive, wait_until  # noqa: E402

OUT = REPO / "bench" / "out" / "gemeente.json"
VIEWPORT = {"width": 1440, "height": 900}
OTHER_GEMEENTE = ("Rotterdam", "GM0599")
GOAL_S = {"first_map": 2.0, "filter": 0.15, "indicator": 0.3, "level": 0.4, "gemeente": 0.8}  # issue 14

# In the map's iframe: the areas are drawn with their classes, and the records are on it.
STATE = """() => {
  const areas = window.wijkmapAreas, values = window.wijkmapAreaValues, records = window.wijkmapRecords;
  const layers = areas ? areas.getLayers() : [];
  const h = document.querySelector('.wm-legend h4');
  return {
    areas: layers.length,
    coloured: layers.length > 0 && layers.every(l => l.feature.properties.k !== undefined
      && (!values || values.c.indexOf(l.feature.properties.c) >= 0)),
    records: records ? records.shown().length : null,
    legend: h ? h.textContent : '',
    values_mark: values ? (values.__bench || null) : null,
    probe: window.__benchProbe || null,
  };
}"""


# In the map's frame: when the map was drawn (areas coloured, records on it), by the
# page's own clock. Polling from here lags while the page renders a run: the map's thread
# is the page's. Looked at every 10 ms, and at the map's first report (which waits for the
# layers, see wijkmap-map.js), through the component library streamlit-folium sets.
DRAWN_PROBE = """
(() => {
  if (window === window.top) return;
  function look() {
    const areas = window.wijkmapAreas, records = window.wijkmapRecords, values = window.wijkmapAreaValues;
    const layers = areas ? areas.getLayers() : [];
    if (window.top.__benchDrawnAt || !values || !records || !records.shown().length) return;
    if (layers.length && layers.every(l => l.feature.properties.k !== undefined)) {
      window.top.__benchDrawnAt = performance.timeOrigin + performance.now();
    }
  }
  setInterval(look, 10);
  let lib;
  Object.defineProperty(window, 'Streamlit', {configurable: true, get: () => lib, set: (value) => {
    const send = value.setComponentValue;
    value.setComponentValue = function () { look(); return send.apply(this, arguments); };
    lib = value;
  }});
})();
"""


def frame(page):
    """The map's iframe now (it can be replaced while Streamlit reruns: then this raises)."""
    found = page.locator(MAP_FRAME).element_handle(timeout=TIMEOUT_S * 1000).content_frame()
    if found is None:
        raise RuntimeError("the map frame is being replaced")
    return found


def state(page) -> dict:
    return frame(page).evaluate(STATE)


def mark(page) -> None:
    """Mark the map and its current values, to see what a step replaced."""
    frame(page).evaluate(
        "() => { window.__benchProbe = 'same map'; if (window.wijkmapAreaValues) window.wijkmapAreaValues.__bench = 'old'; }"
    )


def step(page, traffic: Traffic, act, done, prepare=None) -> dict:
    """`prepare` (not timed: opening a list, typing), then `act` (the click), then wait
    until `done(state)`; seconds, bytes, and whether the map stayed."""
    time.sleep(0.8)  # the map reports its position once after it is drawn: let that run end
    if prepare:
        prepare()
    mark(page)
    before = traffic.total
    started = time.perf_counter()
    act()
    last: dict = {}

    def finished() -> bool:
        last.update(state(page))
        return bool(done(last))

    try:
        wait_until(finished, timeout=60)
    except TimeoutError:  # a finding, not a crash: the next steps still run
        print(f"a step did not finish in 60 s; the map's last state: {last}", file=sys.stderr)
        return {"seconds": None, "bytes": traffic.total - before, "map_kept": None, "last_state": dict(last)}
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "bytes": traffic.total - before,
        "map_kept": last.get("probe") == "same map",
    }


def type_into(page, label: str, typed: str):
    """Open the sidebar's list `label` and type `typed` (for step's prepare)."""

    def prepare() -> None:
        page.locator('[data-testid="stSidebar"]').get_by_role("combobox", name=label).click()
        page.keyboard.type(typed)
        page.get_by_role("option").first.wait_for()

    return prepare


def first_option(page):
    return lambda: page.get_by_role("option").first.click()


def open_gemeente(browser, url: str, gemeente: str):
    """A new person (browser context) opening `?gemeente=…`: (context, page, traffic,
    the moment the navigation started)."""
    context = browser.new_context(viewport=VIEWPORT)
    context.add_init_script(DRAWN_PROBE)
    page = context.new_page()
    traffic = Traffic(context, page)
    started = time.perf_counter()
    page.goto(f"{url}?gemeente={gemeente}", timeout=TIMEOUT_S * 1000)
    return context, page, traffic, started


def one_person(browser, url: str, gemeente: str) -> dict:
    context, page, traffic, started = open_gemeente(browser, url, gemeente)
    phases: dict[str, float] = {}

    def drawn() -> bool:
        now = state(page)
        phases.setdefault("map_frame_s", round(time.perf_counter() - started, 3))
        if now["areas"]:
            phases.setdefault("areas_s", round(time.perf_counter() - started, 3))
        return now["coloured"] and bool(now["records"])

    try:
        wait_until(drawn)
    except TimeoutError:
        raise TimeoutError(f"the first map did not draw: {state(page)}") from None
    drawn_at = page.evaluate(
        "() => window.__benchDrawnAt ? (window.__benchDrawnAt - performance.timeOrigin) / 1000 : null"
    )
    phases["drawn_in_page_s"] = round(drawn_at, 3) if drawn_at is not None else None
    first = {
        "seconds": round(time.perf_counter() - started, 3),
        "bytes": traffic.total,
        "http_bytes": traffic.http,
        "websocket_bytes": traffic.websocket,
        "phases": phases,
    }
    everything = state(page)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary', has_text="Filters").click()
    pill = sidebar.get_by_role("button", name="Bridging (overbruggen)", exact=True)
    filtered = step(page, traffic, pill.click, lambda s: s["records"] not in (None, everything["records"]))
    pill.click()  # back to every record (not measured)
    wait_until(lambda: state(page)["records"] == everything["records"], timeout=60)
    indicator = step(
        page,
        traffic,
        first_option(page),
        lambda s: "65" in s["legend"] and s["coloured"] and s["values_mark"] is None,
        prepare=type_into(page, "Kleur de kaart naar", "65 jaar of ouder"),
    )
    level = step(
        page,
        traffic,
        lambda: sidebar.get_by_text("Wijk", exact=True).click(),
        lambda s: s["coloured"] and s["values_mark"] is None and 0 < s["areas"] < everything["areas"],
    )
    name, code = OTHER_GEMEENTE
    other = step(
        page,
        traffic,
        first_option(page),
        lambda s: s["coloured"] and s["values_mark"] is None and f"gemeente={code}" in page.url,
        prepare=type_into(page, "Gemeente", name),
    )
    context.close()
    print(f"one person: first map {first['seconds']:.2f} s", file=sys.stderr)
    return {"first_map": first, "filter": filtered, "indicator": indicator, "level": level, "gemeente": other}


def build_naive(store: Path, gemeente: str):
    """benchmark_map.naive_map of a gemeente's first view, built as a page: (the view,
    the page's HTML, seconds to build it)."""
    os.environ["WIJKMAP_STORE"] = str(store)
    from benchmark_map import naive_map, prepare_view, read_data

    from wijkmap.core.view import ViewState
    from wijkmap.map import assets

    data = read_data()
    view = prepare_view(ViewState(gemeente=gemeente, niveau="buurt"), data)
    started = time.perf_counter()
    m, overlay = naive_map(view, data)
    overlay.add_to(m)
    html = assets.make_offline(m).get_root().render()  # Leaflet from the app, as the app's map
    return view, html, time.perf_counter() - started


def naive(store: Path, browser, server: Server, gemeente: str) -> dict:
    """benchmark_map.naive_map of the same first view, built, sized and painted."""
    view, html, build_s = build_naive(store, gemeente)
    raw = html.encode()
    # Its basemap tiles are not fetched (the app's map runs without a basemap too).
    paint_s, transferred = paint_naive(
        browser, server, raw, "bench-naive-gemeente.html", local_only=True, viewport=VIEWPORT
    )
    return {
        "areas": len(view.areas),
        "records": len(view.shown),
        "build_s": round(build_s, 3),
        "html_bytes": len(raw),
        "html_gzip_bytes": len(gzip.compress(raw, 6)),
        "first_paint_s": round(paint_s, 3),
        "transferred_bytes": transferred,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, default=REPO / "data" / "wijkmap.gpkg", help="the store to serve")
    parser.add_argument("--runs", type=int, default=4, help="people (fresh browsers) on the warm server")
    parser.add_argument("--gemeente", default="GM0344", help="the gemeente whose map is opened (default Utrecht)")
    parser.add_argument(
        "--launcher",
        choices=["wijkmap.server", "streamlit"],
        default="wijkmap.server",
        help="start the server as `wijkmap serve` does (default), or as a plain `streamlit run app.py`",
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    print(f"serving {args.store} …", file=sys.stderr)
    results: dict = {
        "gemeente": args.gemeente,
        "launcher": args.launcher,
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_before": os.getloadavg()},
    }
    server = Server(args.store, args.launcher)
    results["server_start_s"] = server.start_s
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            results["cold_server"] = one_person(browser, server.url, args.gemeente)
            # The first visitor came at once; the next ones find the warm-up done.
            results["warmed_up_s"] = server.warmed_up_s
            results["warm_server"] = [one_person(browser, server.url, args.gemeente) for _ in range(args.runs)]
            results["naive"] = naive(args.store, browser, server, args.gemeente)
            browser.close()
    finally:
        server.stop()
    results["machine"]["load_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    report(results)


def report(results: dict) -> None:
    cold, warm, naive_ = results["cold_server"], results["warm_server"], results["naive"]

    def median(name: str, key: str) -> float:
        """Over the runs whose step finished (nan when none did)."""
        done = [run[name][key] for run in warm if run[name]["seconds"] is not None]
        return statistics.median(done) if done else float("nan")

    kb = 1e3
    print(f"{results['gemeente']}: {naive_['areas']} buurten, {naive_['records']} records")
    print(f"server started by {results['launcher']}, answering after {results['server_start_s']:.2f} s", end="")
    warmed = results.get("warmed_up_s")
    print(f", warmed up after {warmed:.1f} s" if warmed else "")
    print(f"{'step':40} {'fresh server':>14} {'warm (median)':>14} {'KB received':>12} {'map kept':>9} {'goal':>7}")
    labels = {
        "first_map": "first map",
        "filter": "filter click → symbols changed",
        "indicator": "indicator change → recoloured",
        "level": "buurt → wijk",
        "gemeente": "another gemeente",
    }
    for name, label in labels.items():
        kept = "" if name == "first_map" else ("yes" if all(run[name]["map_kept"] for run in warm) else "no")
        print(
            f"{label:40} {cold[name]['seconds'] or float('nan'):>13.2f}s {median(name, 'seconds'):>13.2f}s"
            f" {median(name, 'bytes') / kb:>12.0f} {kept:>9} {'≤ ' + str(GOAL_S[name]):>7}"
        )
    phases = {
        key: statistics.median(run["first_map"]["phases"].get(key) or float("nan") for run in warm)
        for key in ("map_frame_s", "areas_s", "drawn_in_page_s")
    }
    print(
        f"  first map, warm: map frame at {phases['map_frame_s']:.2f} s, areas at {phases['areas_s']:.2f} s"
        f" (seen from here); drawn at {phases['drawn_in_page_s']:.2f} s by the page's clock"
        f" (fresh server: {cold['first_map']['phases'].get('drawn_in_page_s') or float('nan'):.2f} s)"
    )
    print(
        f"naive: build {naive_['build_s']:.2f} s, HTML {naive_['html_bytes'] / kb:.0f} KB"
        f" ({naive_['html_gzip_bytes'] / kb:.0f} KB gzip), first paint {naive_['first_paint_s']:.2f} s,"
        f" {naive_['transferred_bytes'] / kb:.0f} KB received; every click sends and builds all of it again"
    )
    load = results["machine"]
    print(
        f"load average before/after: {load['load_before'][0]:.1f} / {load['load_after'][0]:.1f} on {load['cpus']} cores;"
        f" figures in {OUT.relative_to(REPO)}"
    )


if __name__ == "__main__":
    main()
