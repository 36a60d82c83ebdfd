"""Benchmark of the national buurt map (`?niveau=buurt`, every buurt of the country from
vector tiles) in Chromium, against the naive way (a plain folium.GeoJson of the same
buurten), in the same run.

Run it from the repository root (after scripts/vendor):

    .venv/bin/python bench/benchmark_national.py [--store PATH] [--runs N]

It prints a table and writes every figure, with every single run, to
bench/out/national.json. A measurement, not a test: nothing passes or fails on a timing.
Without --store the whole country's store is built from data/sources in a temporary
directory (`wijkmap build-data`, which also writes the tiles into static/tiles); the app
runs on it with no basemap (WIJKMAP_TILES=none), so nothing leaves the machine.

What is measured, per fresh browser (no cache, another person's first visit):
1. First full paint: from navigation until the tile layer has its classes, every tile in
   view is loaded and painted, and no tile request is in flight. Bytes transferred: every
   HTTP response's encoded length plus every websocket frame the page received (the map
   itself comes over Streamlit's websocket), from Chromium's DevTools protocol. The first
   browser meets a fresh server (its caches empty), the others a warm one.
2. An indicator change: from the choice until the legend shows the new indicator and the
   tiles are repainted; the bytes it took and the PMTiles requests it made (none expected).
3. The naive way: folium.GeoJson of the same buurten with their code and name, in the
   offline map the app uses: its build time (render to HTML) and HTML size, raw and
   gzipped, and its first paint in Chromium (the HTML served by the same app's static
   folder, so Leaflet comes from the same place).
"""

from __future__ import annotations

import argparse
import base64
import gzip
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "national.json"
PYTHON = sys.executable
CHROMIUM = os.environ.get("WIJKMAP_CHROMIUM", "/usr/bin/chromium")
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
VIEWPORT = {"width": 1400, "height": 1000}
TIMEOUT_S = 120
GOAL = {"first_paint_s": 2.0, "transferred_mb": 1.5, "indicator_s": 0.3}  # issue 14

# In the map's iframe: whether the tile map is fully painted (see module docstring).
PAINTED = """() => {
  if (!window.wijkmapTileState || !window.wijkmapTileAreas) { return false; }
  const tiles = Array.from(document.querySelectorAll('canvas.leaflet-tile'));
  if (!tiles.length || tiles.some(t => !t.classList.contains('leaflet-tile-loaded'))) { return false; }
  return tiles.some(c => {
    if (!c.width) { return false; }
    const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    for (let i = 3; i < data.length; i += 4 * 13) { if (data[i] > 0) { return true; } }
    return false;
  });
}"""
LEGEND_TITLE = "() => { const h = document.querySelector('.wm-legend h4'); return h ? h.textContent : ''; }"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_store(path: Path) -> float:
    started = time.perf_counter()
    env = os.environ | {"WIJKMAP_STORE": str(path), "PYTHONPATH": str(REPO / "src")}
    subprocess.run([PYTHON, "-m", "wijkmap", "build-data"], cwd=REPO, env=env, check=True, capture_output=True)
    return time.perf_counter() - started


class Server:
    """app.py on `store`, on a free port of this machine, no basemap, started as
    `wijkmap serve` starts it (python -m wijkmap.server, which warms up as it starts), or
    with `launcher="streamlit"` as a plain `streamlit run`. `start_s`: from the process's
    start until the server answers."""

    def __init__(self, store: Path, launcher: str = "wijkmap.server"):
        self.started = started = time.monotonic()
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/"
        env = os.environ | {"WIJKMAP_STORE": str(store), "WIJKMAP_TILES": "none", "PYTHONPATH": str(REPO / "src")}
        args = [
            PYTHON,
            "-m",
            *(["streamlit", "run"] if launcher == "streamlit" else [launcher]),
            "app.py",
            "--server.port",
            str(self.port),
            "--server.address",
            "127.0.0.1",
        ]
        self.log = tempfile.TemporaryFile()  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(args, cwd=REPO, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        # From the process's start until wijkmap.server said it is ready for visitors; None
        # for a plain `streamlit run`, or while it has not said so.
        self.warmed_up_s: float | None = None
        threading.Thread(target=self._watch_warm_up, daemon=True).start()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        self.start_s = time.monotonic() - started
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("the app did not start")

    def _watch_warm_up(self) -> None:
        while self.process.poll() is None and time.monotonic() - self.started < 120:
            # pread: the server writes through the same file offset, which must stay put.
            written = os.pread(self.log.fileno(), 1 << 20, 0).decode(errors="replace")
            if "klaar voor bezoekers" in written:
                self.warmed_up_s = time.monotonic() - self.started
                return
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()


class Traffic:
    """Bytes a page received (HTTP responses and websocket frames) and its requests, from
    Chromium's DevTools protocol."""

    def __init__(self, context, page):
        self.http = 0
        self.websocket = 0
        self.urls: list[str] = []
        self.by_kind: dict[str, int] = {}
        self.inflight: set[str] = set()
        self.by_id: dict[str, str] = {}
        session = context.new_cdp_session(page)
        session.send("Network.enable")
        session.on("Network.requestWillBeSent", self._sent)
        session.on("Network.loadingFinished", self._finished)
        session.on("Network.loadingFailed", self._failed)
        session.on("Network.webSocketFrameReceived", self._frame)

    def _sent(self, event) -> None:
        self.by_id[event["requestId"]] = event["request"]["url"]
        self.urls.append(event["request"]["url"])
        self.inflight.add(event["requestId"])

    def _finished(self, event) -> None:
        size = int(event.get("encodedDataLength", 0))
        self.http += size
        kind = kind_of(self.by_id.get(event["requestId"], ""))
        self.by_kind[kind] = self.by_kind.get(kind, 0) + size
        self.inflight.discard(event["requestId"])

    def _failed(self, event) -> None:
        self.inflight.discard(event["requestId"])

    def _frame(self, event) -> None:
        response = event["response"]
        data = response.get("payloadData", "")
        self.websocket += len(base64.b64decode(data)) if response.get("opcode") == 2 else len(data.encode())

    @property
    def total(self) -> int:
        return self.http + self.websocket

    def tile_requests(self) -> list[str]:
        return [url for url in self.urls if ".pmtiles" in url]

    def tiles_inflight(self) -> bool:
        return any(".pmtiles" in self.by_id.get(i, "") for i in self.inflight)


def kind_of(url: str) -> str:
    """What a response was for: the tiles, the map's scripts (Leaflet, protomaps-leaflet,
    ours), the map component's page, or Streamlit's own page (its scripts and fonts)."""
    path = "/" + url.split("/", 3)[-1] if url.count("/") >= 3 else url
    if ".pmtiles" in path:
        return "tiles"
    if path.startswith("/app/static/vendor/"):
        return "map_scripts"
    if path.startswith("/component/"):
        return "map_component"
    return "streamlit_page"


def map_frame(page):
    handle = page.wait_for_selector(MAP_FRAME, state="attached", timeout=TIMEOUT_S * 1000)
    frame = handle.content_frame()
    while frame is None:
        time.sleep(0.05)
        frame = handle.content_frame()
    return frame


def wait_until(check, timeout: float = TIMEOUT_S, step: float = 0.03) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        try:
            if check():
                return
        except Exception:  # the iframe is replaced while Streamlit reruns
            pass
        time.sleep(step)
    raise TimeoutError("the map did not paint in time")


def first_paint(browser, url: str) -> dict:
    """One fresh browser opening the national buurt map."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    traffic = Traffic(context, page)
    started = time.perf_counter()
    page.goto(url + "?niveau=buurt")
    state: dict = {}
    phases: dict[str, float] = {}

    def painted() -> bool:
        state["frame"] = map_frame(page)
        phases.setdefault("map_frame_s", round(time.perf_counter() - started, 3))
        if state["frame"].evaluate("() => !!window.wijkmapTileState"):
            phases.setdefault("classes_s", round(time.perf_counter() - started, 3))
        if traffic.tile_requests():
            phases.setdefault("first_tile_request_s", round(time.perf_counter() - started, 3))
        return bool(state["frame"].evaluate(PAINTED)) and not traffic.tiles_inflight()

    wait_until(painted)
    seconds = time.perf_counter() - started
    result = {
        "first_paint_s": round(seconds, 3),
        "transferred_bytes": traffic.total,
        "http_bytes": traffic.http,
        "websocket_bytes": traffic.websocket,
        "http_bytes_by_kind": dict(sorted(traffic.by_kind.items())),
        "phases": phases,
        "tile_requests": len(traffic.tile_requests()),
        "tile_hosts": sorted({u.split("/")[2] for u in traffic.tile_requests()}),
    }
    result["indicator_change"] = indicator_change(page, traffic, state["frame"])
    context.close()
    return result


def indicator_change(page, traffic: Traffic, frame) -> dict:
    """Colour by another indicator; until the legend says so and the tiles are repainted."""
    time.sleep(1.0)  # the map reports its position once after the first paint: let that run end
    before_bytes, before_tiles = traffic.total, len(traffic.tile_requests())
    before_websocket, before_kinds = traffic.websocket, dict(traffic.by_kind)
    title = frame.evaluate(LEGEND_TITLE)
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kleur de kaart naar").click()
    page.keyboard.type("65 jaar of ouder")
    option = page.get_by_role("option").first
    option.wait_for()
    started = time.perf_counter()
    option.click()

    def changed() -> bool:
        current = map_frame(page)
        return current.evaluate(LEGEND_TITLE) not in ("", title) and bool(current.evaluate(PAINTED))

    wait_until(changed, timeout=60)
    return {
        "seconds": round(time.perf_counter() - started, 3),
        "bytes": traffic.total - before_bytes,
        # What the change itself sent, apart from the page's own scripts that arrive late.
        "websocket_bytes": traffic.websocket - before_websocket,
        "http_by_kind": {
            k: v - before_kinds.get(k, 0) for k, v in traffic.by_kind.items() if v != before_kinds.get(k, 0)
        },
        "tile_requests": len(traffic.tile_requests()) - before_tiles,
    }


def naive(store: Path, browser, server: Server) -> dict:
    """A plain folium.GeoJson of every buurt (code and name), in the app's offline map."""
    sys.path.insert(0, str(REPO / "src"))
    import folium

    from wijkmap.data import store as store_module
    from wijkmap.map import assets

    areas = store_module.read_areas("buurt_2015", path=store)[["code", "naam", "geometry"]]
    started = time.perf_counter()
    m = assets.offline_map(tiles=None)
    folium.GeoJson(areas, tooltip=folium.GeoJsonTooltip(fields=["naam"])).add_to(m)
    m.fit_bounds([[50.75, 3.36], [53.56, 7.23]])
    html = m.get_root().render()
    build_s = time.perf_counter() - started
    raw = html.encode()
    paint_s, transferred = paint_naive(browser, server, raw, "bench-naive.html")
    return {
        "areas": len(areas),
        "build_s": round(build_s, 3),
        "html_bytes": len(raw),
        "html_gzip_bytes": len(gzip.compress(raw, 6)),
        "first_paint_s": round(paint_s, 3),
        "transferred_bytes": transferred,
    }


def paint_naive(
    browser, server: Server, raw: bytes, name: str, local_only: bool = False, viewport: dict = VIEWPORT
) -> tuple[float, int]:
    """Serve the naive map's HTML `raw` from the app's static folder as `name`, open it in a
    fresh browser and return the seconds until its areas are painted and the bytes it
    received. `local_only` aborts every request that is not to this machine (a basemap)."""
    page_file = REPO / "static" / name
    page_file.write_bytes(raw)
    try:
        context = browser.new_context(viewport=viewport)
        if local_only:
            context.route("**/*", lambda r: r.continue_() if "127.0.0.1" in r.request.url else r.abort())
        page = context.new_page()
        traffic = Traffic(context, page)
        started = time.perf_counter()
        page.goto(server.url + "app/static/" + name, timeout=TIMEOUT_S * 1000)
        page.wait_for_function(
            "() => document.querySelectorAll('path.leaflet-interactive').length > 0", timeout=TIMEOUT_S * 1000
        )
        page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        paint_s = time.perf_counter() - started
        transferred = traffic.total
        context.close()
    finally:
        page_file.unlink(missing_ok=True)
    return paint_s, transferred


def tile_files() -> dict[str, int]:
    return {path.name: path.stat().st_size for path in sorted((REPO / "static" / "tiles").glob("*.pmtiles"))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", type=Path, help="an existing store of the whole country (default: build one)")
    parser.add_argument("--runs", type=int, default=4, help="fresh browsers on the warm server (default 4)")
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    results: dict = {
        "machine": {"cpus": os.cpu_count(), "python": sys.version.split()[0], "load_before": os.getloadavg()}
    }
    with tempfile.TemporaryDirectory() as tmp:
        store = args.store
        if store is None:
            store = Path(tmp) / "wijkmap.gpkg"
            results["build_data_s"] = round(build_store(store), 1)
        results["tile_files"] = tile_files()
        server = Server(store)
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
                cold = first_paint(browser, server.url)
                warm = [first_paint(browser, server.url) for _ in range(args.runs)]
                results["tiles"] = {"cold_server": cold, "warm_server": warm}
                results["naive"] = naive(store, browser, server)
                browser.close()
        finally:
            server.stop()
    results["machine"]["load_after"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    report(results)


def report(results: dict) -> None:
    cold, warm, naive_ = results["tiles"]["cold_server"], results["tiles"]["warm_server"], results["naive"]

    def median(key, runs=warm):
        return statistics.median(run[key] for run in runs)

    def change(key):
        return statistics.median(run["indicator_change"][key] for run in warm)

    mb = 1e6
    print(f"tile files: {', '.join(f'{name} {size / mb:.1f} MB' for name, size in results['tile_files'].items())}")
    print(f"{'what':48} {'tiles (this app)':>18} {'naive GeoJson':>16} {'goal':>8}")
    rows = [
        ("first full paint, fresh server (s)", f"{cold['first_paint_s']:.2f}", "", ""),
        (
            f"first full paint, warm server (s, median of {len(warm)})",
            f"{median('first_paint_s'):.2f}",
            f"{naive_['first_paint_s']:.2f}",
            f"≤ {GOAL['first_paint_s']}",
        ),
        (
            "transferred (MB, warm server)",
            f"{median('transferred_bytes') / mb:.2f}",
            f"{naive_['transferred_bytes'] / mb:.2f}",
            f"≤ {GOAL['transferred_mb']}",
        ),
        ("  websocket: the page's script runs (MB)", f"{median('websocket_bytes') / mb:.2f}", "", ""),
        *(
            (
                f"  HTTP {kind} (MB)",
                f"{statistics.median(run['http_bytes_by_kind'].get(kind, 0) for run in warm) / mb:.2f}",
                "",
                "",
            )
            for kind in ("tiles", "map_scripts", "map_component", "streamlit_page")
        ),
        *(
            (f"  until {phase} (s)", f"{statistics.median(run['phases'].get(phase, 0) for run in warm):.2f}", "", "")
            for phase in ("map_frame_s", "classes_s", "first_tile_request_s")
        ),
        ("  tile requests (range, localhost)", f"{median('tile_requests'):.0f}", "", ""),
        (
            "map HTML (MB; naive: raw / gzip)",
            "",
            f"{naive_['html_bytes'] / mb:.1f} / {naive_['html_gzip_bytes'] / mb:.1f}",
            "",
        ),
        ("map build on the server (s)", "", f"{naive_['build_s']:.2f}", ""),
        (
            "indicator change until repainted (s)",
            f"{change('seconds'):.2f}",
            "(full rebuild)",
            f"≤ {GOAL['indicator_s']}",
        ),
        (
            "indicator change: bytes / tile requests",
            f"{change('bytes') / 1e3:.0f} KB / {change('tile_requests'):.0f}",
            "",
            "",
        ),
        ("  of which the script run's frames (KB)", f"{change('websocket_bytes') / 1e3:.0f}", "", ""),
    ]
    for row in rows:
        print(f"{row[0]:48} {row[1]:>18} {row[2]:>16} {row[3]:>8}")
    hosts = sorted({h for run in [cold, *warm] for h in run["tile_hosts"]})
    print(f"tile hosts: {', '.join(hosts)}; figures in {OUT.relative_to(REPO)}")
    load = results["machine"]
    print(
        f"load average before/after: {load['load_before'][0]:.1f} / {load['load_after'][0]:.1f} on {load['cpus']} cores"
    )


if __name__ == "__main__":
    main()
