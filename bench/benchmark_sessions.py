"""Benchmark of many people on one app process: what each session costs the server, and
how fast the map answers while 30 sessions click at once (issue 14, item 6).

Run it from the repository root (after scripts/vendor and build-data):

    .venv/bin/python bench/benchmark_sessions.py [--sessions 30] [--seconds 60] [--store PATH]

A measurement, not a test. One app process (`wijkmap serve`'s launcher, no basemap) on
the store, one Debian Chromium with a context per person (Playwright), all on this
machine: the browsers share its cores with the server, as they would not in use.

1. Arrivals, one at a time: each person opens `?gemeente=GM0344` until the page is whole
   (map drawn, the rest below it, the script idle). Per arrival: the time, and the
   server's resident memory and CPU seconds (from /proc) after it.
2. One filter click each, one at a time (the strategy pill Bridging, until the map's
   symbols changed): the server's CPU seconds per click.
3. Everyone at once: each person clicks the pill on and off, reading 1-3 s in between,
   for `--seconds`; each click is timed until the map changed. A third of the way in, one
   more person opens the map: the time until it is drawn (by the page's clock) and until
   the page is whole.
Naive, in the same run: benchmark_map.naive_map of the same view (a plain folium.GeoJson
and a Marker per record, rebuilt and sent whole on every click) is built a few times in
this process: its seconds per build are what each click would cost the server instead.
Prints a table and writes every figure to bench/out/sessions.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(REPO / "bench"), str(REPO / "src")]

from benchmark_gemeente import DRAWN_PROBE, STATE, VIEWPORT, build_naive  # noqa: E402
from benchmark_national import CHROMIUM, MAP_FRAME, TIMEOUT_S, Server  # noqa: E402

OUT = REPO / "bench" / "out" / "sessions.json"
UTRECHT = "GM0344"
PILL = "Bridging (overbruggen)"
THINK_S = (1.0, 3.0)
GOAL = {"new_session_s": 3.0, "p90_interaction_s": 1.0}  # issue 14
TICKS = os.sysconf("SC_CLK_TCK")


def server_use(pid: int) -> tuple[float, float]:
    """The process's resident memory (MB) and CPU seconds (user + system) so far."""
    status = Path(f"/proc/{pid}/status").read_text()
    rss_kb = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:"))
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return rss_kb / 1024, (int(fields[11]) + int(fields[12])) / TICKS


async def map_state(page) -> dict | None:
    """What the map shows now (None while its frame is being replaced)."""
    try:
        handle = await page.query_selector(MAP_FRAME)
        frame = handle and await handle.content_frame()
        return await frame.evaluate(STATE) if frame else None
    except Exception:  # noqa: BLE001 (the frame is replaced while Streamlit reruns)
        return None


async def wait_for(check, timeout: float = TIMEOUT_S, step: float = 0.03) -> None:
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if await check():
            return
        await asyncio.sleep(step)
    raise TimeoutError("not within the time")


async def whole(page) -> None:
    """The page has drawn its map and the rest, and no run is going on."""

    async def done() -> bool:
        state = await map_state(page)
        if not state or not state["coloured"] or not state["records"]:
            return False
        if await page.locator(".wm-rest-follows").count():
            return False
        script = await page.locator('[data-testid="stApp"]').get_attribute("data-test-script-state")
        return script == "notRunning"

    await wait_for(done)


async def arrive(browser, url: str) -> tuple[object, dict]:
    """A new person opening Utrecht's map: (their page, seconds until drawn and whole)."""
    context = await browser.new_context(viewport=VIEWPORT)
    await context.add_init_script(DRAWN_PROBE)
    page = await context.new_page()
    started = time.perf_counter()
    await page.goto(f"{url}?gemeente={UTRECHT}", timeout=TIMEOUT_S * 1000)
    await whole(page)
    took = time.perf_counter() - started
    drawn = await page.evaluate(
        "() => window.__benchDrawnAt ? (window.__benchDrawnAt - performance.timeOrigin) / 1000 : null"
    )
    sidebar = page.locator('[data-testid="stSidebar"]')
    await sidebar.locator('[data-testid="stExpander"] summary', has_text="Filters").click()
    return page, {"whole_s": round(took, 3), "drawn_s": round(drawn, 3) if drawn is not None else None}


async def click_pill(page) -> float:
    """Click the strategy pill; seconds until the map's symbols changed."""
    before = (await map_state(page) or {}).get("records")
    pill = page.locator('[data-testid="stSidebar"]').get_by_role("button", name=PILL, exact=True)
    started = time.perf_counter()
    await pill.click(timeout=TIMEOUT_S * 1000)

    async def changed() -> bool:
        state = await map_state(page)
        return bool(state and state["records"] and state["records"] != before)

    await wait_for(changed, step=0.02)
    return time.perf_counter() - started


async def clicking(page, until: float, seed: int, times: list[float], failures: list[str]) -> None:
    rng = random.Random(seed)
    while time.perf_counter() < until:
        try:
            times.append(await click_pill(page))
        except Exception as error:  # noqa: BLE001 (counted; the person goes on)
            failures.append(f"{type(error).__name__}: {str(error)[:600]}")
        await asyncio.sleep(rng.uniform(*THINK_S))


def naive_build_s(store: Path, runs: int = 3) -> float:
    """Seconds to build the naive map of Utrecht's first view (benchmark_gemeente), median of `runs`."""
    return statistics.median(build_naive(store, UTRECHT)[2] for _ in range(runs))


async def measure(options) -> dict:
    from playwright.async_api import async_playwright

    server = Server(options.store)
    pid = server.process.pid
    results: dict = {"sessions": options.sessions, "seconds": options.seconds, "cpus": os.cpu_count()}
    try:
        async with async_playwright() as p:
            browser = await p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            await asyncio.sleep(8)  # the server's warm-up (wijkmap.server) is done
            results["server_before"] = dict(zip(("rss_mb", "cpu_s"), server_use(pid)))
            pages, arrivals = [], []
            for _ in range(options.sessions):
                page, timing = await arrive(browser, server.url)
                rss, cpu = server_use(pid)
                arrivals.append(timing | {"rss_mb": round(rss, 1), "cpu_s": round(cpu, 2)})
                pages.append(page)
            results["arrivals"] = arrivals
            print(f"{len(pages)} sessions open", file=sys.stderr)

            cpu_before = server_use(pid)[1]
            one_by_one = [await click_pill(page) for page in pages]
            results["clicks_alone"] = {
                "seconds": [round(s, 3) for s in one_by_one],
                "server_cpu_s_per_click": round((server_use(pid)[1] - cpu_before) / len(pages), 3),
            }

            until = time.perf_counter() + options.seconds
            times: list[float] = []
            failures: list[str] = []
            cpu_before = server_use(pid)[1]
            crowd = [asyncio.create_task(clicking(page, until, i, times, failures)) for i, page in enumerate(pages)]
            await asyncio.sleep(options.seconds / 3)
            _, newcomer = await arrive(browser, server.url)
            await asyncio.gather(*crowd)
            rss, cpu = server_use(pid)
            results["crowd"] = {
                "clicks": len(times),
                "failed": failures,
                "p50_s": round(statistics.median(times), 3) if times else None,
                "p90_s": round(statistics.quantiles(times, n=10)[-1], 3) if len(times) >= 10 else None,
                "server_cpu_share": round((cpu - cpu_before) / options.seconds, 2),
                "newcomer": newcomer,
                "rss_mb": round(rss, 1),
            }
            await browser.close()
    finally:
        server.stop()
    results["naive_build_s"] = round(naive_build_s(options.store), 3)
    results["load_after"] = os.getloadavg()
    return results


def report(results: dict) -> None:
    arrivals, alone, crowd = results["arrivals"], results["clicks_alone"], results["crowd"]
    n = len(arrivals)
    base = results["server_before"]
    per_session_mb = (arrivals[-1]["rss_mb"] - arrivals[0]["rss_mb"]) / max(1, n - 1)
    cpu_per_arrival = (arrivals[-1]["cpu_s"] - base["cpu_s"]) / n
    drawn = [a["drawn_s"] for a in arrivals if a["drawn_s"] is not None]
    print(f"{n} sessions on one app process, {results['cpus']} cores (the browsers on the same machine)")
    print(f"server memory: {base['rss_mb']:.0f} MB before, {arrivals[-1]['rss_mb']:.0f} MB with {n} sessions"
          f" ({per_session_mb:.1f} MB per session), {crowd['rss_mb']:.0f} MB after the crowd")  # fmt: skip
    print(f"arrival alone: drawn {statistics.median(drawn):.2f} s, whole {statistics.median(a['whole_s'] for a in arrivals):.2f} s"
          f" (medians); server CPU {cpu_per_arrival:.2f} s per arrival")  # fmt: skip
    print(
        f"filter click alone: {statistics.median(alone['seconds']):.2f} s (median); server CPU"
        f" {alone['server_cpu_s_per_click']:.3f} s per click; naive rebuild {results['naive_build_s']:.2f} s per click"
    )
    newcomer = crowd["newcomer"]
    print(f"{n} clicking at once for {results['seconds']:.0f} s: {crowd['clicks']} clicks, p50 {crowd['p50_s']} s,"
          f" p90 {crowd['p90_s']} s (goal ≤ {GOAL['p90_interaction_s']}), {len(crowd['failed'])} failed;"
          f" server busy {crowd['server_cpu_share']:.2f} cores")  # fmt: skip
    print(f"  one more person meanwhile: map drawn {newcomer['drawn_s']} s, page whole {newcomer['whole_s']} s"
          f" (goal ≤ {GOAL['new_session_s']})")  # fmt: skip
    naive_share = results["naive_build_s"] * crowd["clicks"] / results["seconds"]
    print(f"naive: the same clicks rebuilding the map would ask {naive_share:.2f} cores for the builds alone")
    print(f"load average after: {results['load_after'][0]:.1f}; figures in {OUT.relative_to(REPO)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=30)
    parser.add_argument("--seconds", type=float, default=60.0, help="how long everyone clicks at once")
    parser.add_argument("--store", type=Path, default=REPO / "data" / "wijkmap.gpkg")
    options = parser.parse_args()
    results = asyncio.run(measure(options))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2))
    report(results)


if __name__ == "__main__":
    main()
