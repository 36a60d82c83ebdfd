"""Benchmark of a register upload on the Beheer page: from file chosen to map shown.

Run it from the repository root:

    cd /work/main && .venv/bin/python bench/benchmark_upload.py [--rows 10000] [--runs 3]

A measurement, not a test. It builds a store for Utrecht in a temporary directory, writes
a users file with one beheerder, starts the real app (app.py) with Streamlit and drives
Debian's Chromium through Playwright as a beheerder would: log in, choose a register of
`--rows` rows (CSV, Windows-1252, ";" and comma decimals, points spread over Utrecht's
buurten with a fixed seed), wait until the preview map has drawn its symbols and the
Importeren button is there; then import, and wait for the batch's message. Per run it
reports the seconds of both, and the server's peak resident memory (VmHWM of the
Streamlit process) before the upload and after it. Writes bench/out/upload.json.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "upload.json"
CHROMIUM = os.environ.get("WIJKMAP_CHROMIUM", "/usr/bin/chromium")
UTRECHT = "GM0344"
PASSWORD = "een lange zin als wachtwoord"
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
TIMEOUT_MS = 300_000
SOORTEN = ("buurthuis", "huis_van_de_wijk", "repair_cafe", "buurtrestaurant", "koffiehoek")


def build(workdir: Path) -> tuple[Path, Path]:
    """A store of Utrecht and a users file with a beheerder, in `workdir`."""
    os.environ["WIJKMAP_STORE"] = str(workdir / "wijkmap.gpkg")
    from wijkmap.accounts import users
    from wijkmap.data.build import build_store

    build_store(workdir / "wijkmap.gpkg", gemeenten=[UTRECHT])
    users.add("bench.beheer", users.BEHEERDER, PASSWORD, workdir / "gebruikers.json")
    return workdir / "wijkmap.gpkg", workdir / "gebruikers.json"


def register(path: Path, rows: int, store_path: Path) -> Path:
    """A register of `rows` provisions at points inside Utrecht's buurten (seeded)."""
    from wijkmap.data import placement

    buurten = placement.buurten(store_path)
    buurten = buurten[buurten["gemeentecode"] == UTRECHT]
    points = buurten.sample_points(size=1, rng=20261202).get_coordinates()
    rng = random.Random(20261202)
    lines = ["naam;soort;strategie;actortype;doelgroep;lat;lon;geopend"]
    for number in range(rows):
        lon, lat = points.iloc[number % len(points)]
        lon, lat = lon + rng.uniform(-2e-4, 2e-4), lat + rng.uniform(-2e-4, 2e-4)
        lines.append(
            f"Voorziening {number + 1} ’t Hoekje;{SOORTEN[number % len(SOORTEN)]};bridging;bewoners;iedereen;"
            f"{lat:.6f}".replace(".", ",")
            + ";"
            + f"{lon:.6f}".replace(".", ",")
            + ";2021"
        )
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(store_path: Path, users_path: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {
        **os.environ,
        "WIJKMAP_STORE": str(store_path),
        "WIJKMAP_USERS": str(users_path),
        "PYTHONPATH": str(REPO / "src"),
    }
    command = [sys.executable, "-m", "streamlit", "run", str(REPO / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]  # fmt: skip
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError("streamlit did not start")


def peak_rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def idle(page) -> None:
    from playwright.sync_api import expect

    app = page.locator('[data-testid="stApp"]')
    for _ in range(2):
        expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=TIMEOUT_MS)
        page.wait_for_timeout(250)


def one_run(browser, url: str, file: Path, pid: int) -> dict:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1440, "height": 1000})
    page.goto(url + "beheer")
    page.locator(".st-key-beheer_account_name input").fill("bench.beheer")
    page.locator(".st-key-beheer_account_password input").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    idle(page)
    before = peak_rss_mb(pid)
    started = time.perf_counter()
    page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(file))
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".leaflet-marker-icon").first).to_be_visible(timeout=TIMEOUT_MS)
    expect(page.get_by_role("button", name="Importeren")).to_be_visible(timeout=TIMEOUT_MS)
    shown = time.perf_counter() - started
    after_preview = peak_rss_mb(pid)
    started = time.perf_counter()
    page.get_by_role("button", name="Importeren").click()
    expect(page.get_by_text("Geïmporteerd", exact=False).first).to_be_visible(timeout=TIMEOUT_MS)
    imported = time.perf_counter() - started
    page.close()
    return {
        "file_chosen_to_map_shown_s": round(shown, 2),
        "import_click_to_done_s": round(imported, 2),
        "server_peak_rss_before_mb": round(before, 1),
        "server_peak_rss_after_preview_mb": round(after_preview, 1),
        "server_peak_rss_after_import_mb": round(peak_rss_mb(pid), 1),
    }


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--rows", type=int, default=10_000)
    arguments.add_argument("--runs", type=int, default=3)
    options = arguments.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    from playwright.sync_api import sync_playwright

    runs = []
    with tempfile.TemporaryDirectory(prefix="wijkmap-bench-upload-") as tmp:
        workdir = Path(tmp)
        store_path, users_path = build(workdir)
        files = []
        for number in range(options.runs):
            # Each run a fresh store copy would hide what a second import does: a run imports
            # its own file (other names), so every run adds `rows` new records.
            file = register(workdir / f"register-{number}.csv", options.rows, store_path)
            text = file.read_bytes().decode("cp1252").replace("Voorziening ", f"Voorziening {number}-")
            file.write_bytes(text.encode("cp1252"))
            files.append(file)
        file_bytes = files[0].stat().st_size
        from wijkmap.data import store

        records_before = len(store.read_records(store_path))
        process, url = start_server(store_path, users_path)
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
                for file in files:
                    runs.append(one_run(browser, url, file, process.pid))
                    print(json.dumps(runs[-1]))
                browser.close()
        finally:
            process.terminate()
            process.wait(timeout=30)
        imported = len(store.read_records(store_path)) - records_before
        if imported != options.rows * options.runs:  # the figures are of an import that did its work
            raise SystemExit(f"{imported} records imported, expected {options.rows * options.runs}")
    result = {
        "rows": options.rows,
        "file_bytes": file_bytes,
        "median_file_chosen_to_map_shown_s": statistics.median(r["file_chosen_to_map_shown_s"] for r in runs),
        "median_import_click_to_done_s": statistics.median(r["import_click_to_done_s"] for r in runs),
        "runs": runs,
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2))
    print(json.dumps({k: v for k, v in result.items() if k != "runs"}, indent=2))


if __name__ == "__main__":
    main()
