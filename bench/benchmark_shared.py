"""Benchmark of a shared deployment: app processes on one store, many browsers, writes, a fault.

Run it from the repository root:

    cd /work/main && .venv/bin/python bench/benchmark_shared.py [--backend both] [--seconds 180]

A measurement, not a test. Per backend it builds a store of Utrecht in a temporary
directory and starts the real app (app.py) with Streamlit:

- postgis: a throwaway PostgreSQL + PostGIS cluster (scripts/postgres, durable settings:
  fsync on), the store copied into it (`store copy`), TWO app processes on it;
- gpkg: the same store as a GeoPackage file, ONE app process (a file is one machine's).

Then `--sessions` browser sessions (one Debian Chromium, a context each, Playwright) are
spread over the processes and work for `--seconds`:

- visitors load the map of Utrecht afresh (interaction "kaart": until the figures are
  drawn and the script is done), then read it for 10-20 s (tiles get an empty answer);
- one beheerder per process logs in on Beheer and imports a register of `--rows` new
  provisions ("import": file chosen until "Geïmporteerd"), over and over;
- one moderator per process logs in (an account) on Moderatie and approves submissions seeded in the
  queue beforehand, each its own share ("approve": click until "Gepubliceerd");
- the command line imports a register every 30 s ("cli_import", a process of its own).

Halfway (postgis only) the database is restarted (`pg_ctl restart -m fast`). An
interaction that fails is counted with what the page said (the app's "database is even
niet bereikbaar", a Python exception, or a timeout), and the session starts afresh.

Afterwards, with the app stopped, every write that was confirmed to a person (the import
message, the approval message, the command's exit status 0) is looked up in the store:
"lost" counts those that are not there and must be 0. Prints, and writes to
bench/out/shared.json: throughput (interactions done per second), p50/p90 per interaction,
failures by kind, the restart's length and how soon the first interaction after it
succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import platform
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "shared.json"
CHROMIUM = os.environ.get("WIJKMAP_CHROMIUM", "/usr/bin/chromium")
UTRECHT = "GM0344"
PASSWORD = "een lange zin als wachtwoord"
SHOWN = "Voorzieningen getoond"
UNREACHABLE = "De database is even niet bereikbaar"
STEP_TIMEOUT_MS = 90_000
CLI_EVERY_S = 30.0
GRACE_S = 20.0  # after the run's time, for interactions under way to end
THINK_S = (10.0, 20.0)  # a visitor reads the map before loading the next one
SOORTEN = ("buurthuis", "huis_van_de_wijk", "repair_cafe", "buurtrestaurant", "koffiehoek")


# --- set-up ----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def build_gpkg(workdir: Path) -> Path:
    from wijkmap.data.build import build_store

    path = workdir / "wijkmap.gpkg"
    build_store(path, gemeenten=[UTRECHT])
    return path


class Postgres:
    """A cluster from scripts/postgres, durable (it is restarted and counted after)."""

    def __init__(self) -> None:
        env = {**os.environ, "WIJKMAP_PG_DURABLE": "1"}
        out = subprocess.run(["bash", str(REPO / "scripts/postgres"), "start"], env=env, check=True,
                             capture_output=True, text=True).stdout  # fmt: skip
        values = dict(re.findall(r"^export (\w+)=(\S+)$", out, re.M))
        self.admin_url, self.dir = values["WIJKMAP_TEST_PG_URL"], values["WIJKMAP_TEST_PG_DIR"]

    def database(self, name: str) -> str:
        subprocess.run(["psql", self.admin_url, "-qc", f'CREATE DATABASE "{name}" TEMPLATE wijkmap_template'],
                       check=True, capture_output=True)  # fmt: skip
        return self.admin_url.rsplit("/", 1)[0] + f"/{name}"

    def restart(self) -> float:
        started = time.perf_counter()
        subprocess.run(["bash", str(REPO / "scripts/postgres"), "restart", self.dir], check=True)
        return time.perf_counter() - started

    def stop(self) -> None:
        subprocess.run(["bash", str(REPO / "scripts/postgres"), "stop", self.dir], check=False)


def seed_submissions(location: str, count: int) -> list[int]:
    """`count` examples waiting for moderation, sent as the form does (each its own sender)."""
    from wijkmap.contributions import checks, inbox

    places = checks.StorePlaces(location)
    numbers = []
    for number in range(count):
        form = {
            "naam": f"Bench bijdrage {number}", "soort": "huis_van_de_wijk", "strategie": "bridging",
            "omschrijving": "Elke dinsdag koffie en soep voor ouderen en nieuwkomers in de buurt.",
            "actortype": ["bewoners"], "doelgroep": ["ouderen"], "tarief": "gratis", "tijdelijk": "nee",
            "geopend": "2019", "gesloten": "", "url": "", "buurtcode": "BU03440611", "lat": "", "lon": "",
            "contact_naam": "Bench", "contact_email": "bench@example.org", "toestemming": True,
            checks.HONEYPOT: "",
        }  # fmt: skip
        submission, problems = checks.check_submission(form, places)
        assert not problems, problems
        numbers.append(inbox.submit(submission, location, sender=f"bench-{number}"))
    return numbers


def register(path: Path, rows: int, tag: str, points) -> list[str]:
    """A register of `rows` new provisions in Utrecht, names tagged; returns the names."""
    rng = random.Random(tag)
    names, lines = [], ["naam;soort;strategie;actortype;doelgroep;lat;lon;geopend"]
    for number in range(rows):
        lon, lat = points[rng.randrange(len(points))]
        name = f"Bench {tag} voorziening {number}"
        names.append(name)
        lines.append(
            f"{name};{SOORTEN[number % len(SOORTEN)]};bridging;bewoners;iedereen;"
            f"{lat + rng.uniform(-2e-4, 2e-4):.6f};{lon + rng.uniform(-2e-4, 2e-4):.6f};2021".replace(".", ",")
        )
    path.write_bytes(("\n".join(lines) + "\n").encode("cp1252"))
    return names


def start_app(location: str, users: Path, name: str) -> tuple[subprocess.Popen, str]:
    port = free_port()
    env = {**os.environ, "WIJKMAP_STORE": location, "WIJKMAP_USERS": str(users),
           "PYTHONPATH": str(REPO / "src")}  # fmt: skip
    # As `wijkmap serve` starts it: streamlit run, warmed up as it starts (wijkmap.server).
    command = [sys.executable, "-m", "wijkmap.server", str(REPO / "app.py"), "--server.port", str(port),
               "--server.address", "127.0.0.1", "--server.headless", "true", "--server.fileWatcherType", "none"]  # fmt: skip
    log = open(Path(tempfile.gettempdir()) / f"bench-shared-{name}.log", "wb")  # noqa: SIM115 (lives with the process)
    process = subprocess.Popen(command, cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "_stcore/health", timeout=2):
                return process, url
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise RuntimeError(f"streamlit did not start (log: {log.name})")


# --- the sessions ----------------------------------------------------------------------


@dataclass
class Run:
    """Everything one backend's run measured (times in s since its start)."""

    backend: str
    processes: int
    t0: float = field(default_factory=time.perf_counter)
    interactions: list[dict] = field(default_factory=list)
    confirmed_imports: list[str] = field(default_factory=list)  # record names
    confirmed_approvals: list[int] = field(default_factory=list)  # submission numbers
    restart: dict = field(default_factory=dict)

    def now(self) -> float:
        return time.perf_counter() - self.t0

    def record(self, kind: str, started: float, ok: bool, why: str = "", session: str = "") -> None:
        self.interactions.append({"kind": kind, "start": round(started, 3), "seconds": round(self.now() - started, 3),
                                  "ok": ok, "why": why, "session": session})  # fmt: skip


LOCAL = "http://127.0.0.1:"


async def offline(route) -> None:
    """Basemap tiles get an empty answer and nothing else leaves the machine: the figures
    are of the app, not of the tile server or of this machine's network."""
    if "pdok.nl" in route.request.url:
        await route.fulfill(status=204, body=b"")
    else:
        await route.abort("blockedbyclient")


async def idle(page) -> None:
    from playwright.async_api import expect

    app = page.locator('[data-testid="stApp"]')
    for _ in range(2):
        await expect(app).to_have_attribute("data-test-script-state", "notRunning", timeout=STEP_TIMEOUT_MS)
        await page.wait_for_timeout(250)


async def why_failed(page, error: Exception) -> str:
    """What the page said when an interaction failed (with $WIJKMAP_BENCH_SHOTS set, a
    screenshot of it goes there)."""
    try:
        if os.environ.get("WIJKMAP_BENCH_SHOTS"):
            shot = Path(os.environ["WIJKMAP_BENCH_SHOTS"]) / f"failed-{time.time():.3f}.png"
            await page.screenshot(path=str(shot), full_page=True)
        if await page.get_by_text(UNREACHABLE, exact=False).count():
            return "unreachable_shown"
        if await page.locator('[data-testid="stException"]').count():
            return "exception_shown"
    except Exception:  # noqa: BLE001 (the page itself went away)
        return "page_gone"
    # Playwright's expect() says AssertionError when its time is up.
    timed_out = isinstance(error, AssertionError) or "Timeout" in type(error).__name__
    return "timeout" if timed_out else f"{type(error).__name__}: {str(error)[:120]}"


async def visitor(run: Run, context, url: str, name: str, deadline: float) -> None:
    from playwright.async_api import expect

    page = await context.new_page()
    rng = random.Random(name)
    while run.now() < deadline:
        started = run.now()
        try:
            await page.goto(f"{url}?gemeente={UTRECHT}", timeout=STEP_TIMEOUT_MS, wait_until="domcontentloaded")
            await expect(page.locator('[data-testid="stMetric"]').first).to_be_visible(timeout=STEP_TIMEOUT_MS)
            await idle(page)
            if await page.get_by_text(UNREACHABLE, exact=False).count():
                raise RuntimeError("unreachable")
            run.record("kaart", started, True, session=name)
        except Exception as error:  # noqa: BLE001 (counted, then the session goes on)
            run.record("kaart", started, False, await why_failed(page, error), session=name)
        await asyncio.sleep(rng.uniform(*THINK_S))


async def beheerder(run: Run, context, url: str, name: str, account: str, files, deadline: float) -> None:
    from playwright.async_api import expect

    page = await context.new_page()
    for path, names in files:
        if run.now() >= deadline:
            break
        started = run.now()
        try:
            await page.goto(url + "beheer", timeout=STEP_TIMEOUT_MS, wait_until="domcontentloaded")
            await page.locator(".st-key-beheer_account_name input").fill(account, timeout=STEP_TIMEOUT_MS)
            await page.locator(".st-key-beheer_account_password input").fill(PASSWORD)
            await page.get_by_role("button", name="Inloggen").click()
            await idle(page)
            run.record("login", started, True, session=name)
        except Exception as error:  # noqa: BLE001
            run.record("login", started, False, await why_failed(page, error), session=name)
            await asyncio.sleep(2)
            continue
        started = run.now()
        try:
            await page.locator('[data-testid="stFileUploader"] input[type="file"]').set_input_files(str(path))
            button = page.get_by_role("button", name="Importeren")
            await expect(button).to_be_visible(timeout=STEP_TIMEOUT_MS)
            await button.click()
            done = page.get_by_text(re.compile(f"Geïmporteerd uit {re.escape(path.name)}"))
            await expect(done).to_be_visible(timeout=STEP_TIMEOUT_MS)
            run.confirmed_imports.extend(names)
            run.record("import", started, True, session=name)
        except Exception as error:  # noqa: BLE001
            run.record("import", started, False, await why_failed(page, error), session=name)
        await asyncio.sleep(1)


async def moderator(run: Run, context, url: str, name: str, account: str, numbers: list[int], deadline: float) -> None:
    from playwright.async_api import expect

    page = await context.new_page()
    logged_in = False
    for number in numbers:
        if run.now() >= deadline:
            break
        while not logged_in and run.now() < deadline:
            started = run.now()
            try:
                await page.goto(url + "moderatie", timeout=STEP_TIMEOUT_MS, wait_until="domcontentloaded")
                await page.locator(".st-key-mod_account_name input").fill(account, timeout=STEP_TIMEOUT_MS)
                await page.locator(".st-key-mod_account_password input").fill(PASSWORD)
                await page.get_by_role("button", name="Inloggen").click()
                await expect(page.get_by_role("button", name="Goedkeuren en publiceren")).to_be_visible(
                    timeout=STEP_TIMEOUT_MS
                )
                await idle(page)
                run.record("login", started, True, session=name)
                logged_in = True
            except Exception as error:  # noqa: BLE001
                run.record("login", started, False, await why_failed(page, error), session=name)
                await asyncio.sleep(2)
        started = run.now()
        try:
            chosen = page.locator(".st-key-mod_chosen input")
            if not (await chosen.input_value()).startswith(f"#{number} "):
                await chosen.click()
                await page.keyboard.type(f"#{number} ")
                await page.get_by_role("option").first.click()
                await expect(chosen).to_have_value(re.compile(f"^#{number} "), timeout=STEP_TIMEOUT_MS)
                await idle(page)
            await page.get_by_role("button", name="Goedkeuren en publiceren").click()
            message = page.get_by_text(f"Gepubliceerd: bijdrage {number}", exact=False)
            await expect(message).to_be_visible(timeout=STEP_TIMEOUT_MS)
            run.confirmed_approvals.append(number)
            run.record("approve", started, True, session=name)
        except Exception as error:  # noqa: BLE001
            run.record("approve", started, False, await why_failed(page, error), session=name)
            logged_in = False
        await asyncio.sleep(random.uniform(1, 3))


async def command_line(run: Run, location: str, files, deadline: float) -> None:
    env = {**os.environ, "WIJKMAP_STORE": location, "PYTHONPATH": str(REPO / "src")}
    for path, names in files:
        await asyncio.sleep(CLI_EVERY_S)
        if run.now() >= deadline:
            break
        started = run.now()
        process = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "wijkmap", "import", str(path), "--bron", "bench cli",
            env=env, cwd=REPO, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        out, err = await process.communicate()
        if process.returncode == 0:
            run.confirmed_imports.extend(names)
        why = "" if process.returncode == 0 else err.decode(errors="replace").strip().splitlines()[-1][:200]
        run.record("cli_import", started, process.returncode == 0, why, session="cli")


async def fault(run: Run, postgres: Postgres | None, at: float) -> None:
    if postgres is None:
        return
    await asyncio.sleep(max(0.0, at - run.now()))
    started = run.now()
    seconds = await asyncio.to_thread(postgres.restart)
    run.restart = {"at_s": round(started, 2), "pg_ctl_restart_s": round(seconds, 2)}


async def drive(run: Run, urls: list[str], location: str, options, workdir: Path, numbers: list[int],
                points, postgres: Postgres | None) -> None:  # fmt: skip
    from playwright.async_api import async_playwright

    deadline = options.seconds
    tasks = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        contexts = []
        for _ in range(options.sessions):
            context = await browser.new_context(viewport={"width": 1280, "height": 900})
            await context.route(lambda url: not url.startswith(LOCAL), offline)
            contexts.append(context)
        # Warm each process's caches once, as a running deployment has them.
        for url in urls:
            page = await contexts[0].new_page()
            await page.goto(f"{url}?gemeente={UTRECHT}", timeout=120_000)
            await idle(page)
            await page.close()
        run.t0 = time.perf_counter()
        special = 2 * len(urls) if len(urls) > 1 else 4  # a beheerder and a moderator per process
        for index, context in enumerate(contexts):
            url = urls[index % len(urls)]
            process = index % len(urls)
            if index < special:
                role = index // len(urls) if len(urls) > 1 else index % 2
                if role == 0:
                    tag = f"{run.backend}-b{index}"
                    files = [(workdir / f"{tag}-{n}.csv", None) for n in range(200)]
                    files = [
                        (path, register(path, options.rows, f"{tag}-{n}", points)) for n, (path, _) in enumerate(files)
                    ]
                    coroutine = beheerder(
                        run, context, url, f"beheerder-{index}", f"bench.beheer.{process}", files, deadline
                    )
                else:
                    share = numbers[index % special :: special]
                    coroutine = moderator(
                        run, context, url, f"moderator-{index}", f"bench.moderator.{process}", share, deadline
                    )
            else:
                coroutine = visitor(run, context, url, f"visitor-{index}", deadline)
            tasks.append(asyncio.create_task(coroutine))
            await asyncio.sleep(0.3)  # people do not all arrive in the same instant
        cli_files = []
        for n in range(int(options.seconds // CLI_EVERY_S) + 1):
            path = workdir / f"{run.backend}-cli-{n}.csv"
            cli_files.append((path, register(path, options.rows, f"{run.backend}-cli-{n}", points)))
        tasks.append(asyncio.create_task(command_line(run, location, cli_files, deadline)))
        tasks.append(asyncio.create_task(fault(run, postgres, options.seconds / 2)))
        # What is still waiting when the time is up is cut off, not counted either way.
        _, pending = await asyncio.wait(tasks, timeout=max(0.0, deadline - run.now()) + GRACE_S)
        for task in pending:
            task.cancel()
        await asyncio.gather(*pending, return_exceptions=True)
        await browser.close()


# --- after -----------------------------------------------------------------------------


def lost_writes(run: Run, location: str) -> dict:
    """Confirmed writes that are not in the store (must be none)."""
    from wijkmap.contributions import inbox
    from wijkmap.data import store

    names = set(store.read_records(location)["naam"])
    queue = inbox.read_queue(location)
    approved = set(queue.loc[queue["status"] == inbox.APPROVED, "id"].astype(int))
    records = set(store.read_records(location)["id"])
    lost_imports = [name for name in run.confirmed_imports if name not in names]
    lost_approvals = [n for n in set(run.confirmed_approvals) if n not in approved or inbox.record_id(n) not in records]
    return {
        "confirmed_import_records": len(run.confirmed_imports),
        "confirmed_approvals": len(set(run.confirmed_approvals)),
        "lost_import_records": len(lost_imports),
        "lost_approvals": len(lost_approvals),
        "lost": len(lost_imports) + len(lost_approvals),
        "lost_examples": (lost_imports + [str(n) for n in lost_approvals])[:10],
    }


def summary(run: Run, seconds: float) -> dict:
    done = [i for i in run.interactions if i["ok"]]
    per_kind = {}
    for kind in sorted({i["kind"] for i in run.interactions}):
        ok = [i["seconds"] for i in done if i["kind"] == kind]
        failed = [i for i in run.interactions if i["kind"] == kind and not i["ok"]]
        cuts = statistics.quantiles(ok, n=10, method="inclusive") if len(ok) > 1 else [ok[0]] * 9 if ok else []
        per_kind[kind] = {
            "done": len(ok), "failed": len(failed),
            "p50_s": round(statistics.median(ok), 2) if ok else None,
            "p90_s": round(cuts[8], 2) if cuts else None,
            "failed_because": {why: sum(1 for i in failed if i["why"] == why) for why in sorted({i["why"] for i in failed})},
        }  # fmt: skip
    result = {
        "backend": run.backend,
        "app_processes": run.processes,
        "seconds": seconds,
        "interactions_done": len(done),
        "throughput_per_s": round(len(done) / seconds, 2),
        "per_interaction": per_kind,
    }
    if run.restart:
        back = run.restart["at_s"] + run.restart["pg_ctl_restart_s"]
        failed_during = [
            i for i in run.interactions if not i["ok"] and i["start"] + i["seconds"] >= run.restart["at_s"]
        ]
        first_ok = min((i["start"] + i["seconds"] for i in done if i["start"] >= back), default=None)
        result["restart"] = {
            **run.restart,
            "first_success_after_restart_s": round(first_ok - back, 2) if first_ok is not None else None,
            "failed_interactions_around_it": len(failed_during),
        }
    return result


def one_backend(backend: str, options, workdir: Path) -> dict:
    from wijkmap.accounts import users
    from wijkmap.data import placement

    workdir.mkdir(parents=True)
    gpkg = build_gpkg(workdir)
    buurten = placement.buurten(gpkg)
    points = list(buurten[buurten["gemeentecode"] == UTRECHT].representative_point().to_crs(4326).get_coordinates()
                  .itertuples(index=False, name=None))  # fmt: skip
    users_path = workdir / "gebruikers.json"
    for process in range(2):
        users.add(f"bench.beheer.{process}", users.BEHEERDER, PASSWORD, users_path)
        users.add(f"bench.moderator.{process}", users.MODERATOR, PASSWORD, users_path)
    postgres = None
    if backend == "postgis":
        from wijkmap.data.copy import copy_store

        postgres = Postgres()
        location = postgres.database("bench")
        copy_store(gpkg, location)
    else:
        location = str(gpkg)
    os.environ["WIJKMAP_STORE"] = location
    numbers = seed_submissions(location, options.submissions)
    processes = 2 if backend == "postgis" else 1
    apps = []
    run = Run(backend, processes)
    try:
        apps = [start_app(location, users_path, f"{backend}-{n}") for n in range(processes)]
        asyncio.run(drive(run, [url for _, url in apps], location, options, workdir, numbers, points, postgres))
    finally:
        for process, _ in apps:
            process.terminate()
        for process, _ in apps:
            process.wait(timeout=30)
    result = summary(run, options.seconds)
    # The machine's load (1, 5, 15 min) as the run ended: the browsers share its cores with
    # the app processes, and whatever else runs there counts too.
    result["load_average"] = [round(value, 1) for value in os.getloadavg()]
    result["writes"] = lost_writes(run, location)
    result["interactions"] = run.interactions
    if postgres:
        postgres.stop()
    return result


def main() -> None:
    arguments = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    arguments.add_argument("--backend", choices=["postgis", "gpkg", "both"], default="both")
    arguments.add_argument("--sessions", type=int, default=30)
    arguments.add_argument("--seconds", type=float, default=180.0)
    arguments.add_argument("--rows", type=int, default=10, help="provisions per imported register")
    arguments.add_argument("--submissions", type=int, default=300, help="examples waiting before the run")
    options = arguments.parse_args()
    sys.path.insert(0, str(REPO / "src"))
    backends = ["postgis", "gpkg"] if options.backend == "both" else [options.backend]
    results = []
    with tempfile.TemporaryDirectory(prefix="wijkmap-bench-shared-") as tmp:
        for backend in backends:
            results.append(one_backend(backend, options, Path(tmp) / backend))
            shown = {k: v for k, v in results[-1].items() if k != "interactions"}
            print(json.dumps(shown, indent=2, ensure_ascii=False), flush=True)
    OUT.parent.mkdir(parents=True, exist_ok=True)
    machine = {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform(),
               "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds")}  # fmt: skip
    OUT.write_text(json.dumps({"options": vars(options), "runs": results, "machine": machine}, indent=2))
    for result in results:
        kinds = ", ".join(
            f"{kind} p50 {v['p50_s']} s p90 {v['p90_s']} s ({v['done']} done, {v['failed']} failed)"
            for kind, v in result["per_interaction"].items()
        )
        print(f"{result['backend']} x{result['app_processes']}: {result['throughput_per_s']} interactions/s; "
              f"{kinds}; lost {result['writes']['lost']}")  # fmt: skip
    if any(result["writes"]["lost"] for result in results):
        raise SystemExit("confirmed writes were lost")


if __name__ == "__main__":
    main()
