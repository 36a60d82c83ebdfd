"""Benchmark of the data foundation: building the store, loading it cold, importing a register.

Run it from the repository root:

    cd /work/main && .venv/bin/python bench/benchmark_data.py

It prints a table of figures and writes them, with every single run, to
bench/out/data.json. It is a measurement, not a test: nothing here passes or fails on
a timing. All inputs are deterministic (the bundled sources and a seeded register), and
everything is written in a temporary directory; data/wijkmap.gpkg is never touched.

What is measured:
1. `build_store` of the full national store, the file size and the size of each layer;
2. a cold load as the app does it, in a fresh Python process per run (Python's own
   caches are cold; the OS file cache is warm, because the same file was just read);
3. `python -m wijkmap import` of a 10,000-row register, split into read+validate and
   write, then a re-import of the same file (all updates) and a --dry-run;
4. the peak RSS of each of those processes (from wait4, so exactly that process).
"""

from __future__ import annotations

import json
import os
import platform
import shlex
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
OUT = REPO / "bench" / "out" / "data.json"
PYTHON = sys.executable
LOAD_RUNS = 5
IMPORT_RUNS = 3
REGISTER_ROWS = 10_000
SEED = 20260527
GEMEENTE_VIEW = "GM0344"  # Utrecht
MB = 1024 * 1024


# --- running and measuring subprocesses ---------------------------------------------------


@dataclass
class Run:
    """One finished subprocess: wall time, exit code, peak RSS and its output."""

    seconds: float
    returncode: int
    peak_rss_mb: float
    stdout: str
    stderr: str


def run_measured(command: list[str], env: dict[str, str] | None = None) -> Run:
    """Run `command` from the repository root; wall time and the peak RSS of exactly
    that process (os.wait4 gives its own rusage, not that of all children)."""
    with tempfile.TemporaryFile("w+") as out, tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=REPO, env=env, stdout=out, stderr=err, text=True)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Run(seconds, process.returncode, usage.ru_maxrss / 1024, out.read(), err.read())


def store_env(store: Path) -> dict[str, str]:
    """The environment of a subprocess that uses `store` as the app's store."""
    return {**os.environ, "WIJKMAP_STORE": str(store)}


def shown(command: list[str], env: dict[str, str] | None = None) -> str:
    """A command as someone would type it in the repository root."""
    words = [os.path.relpath(PYTHON, REPO) if word == PYTHON else word for word in command]
    prefix = f"WIJKMAP_STORE={env['WIJKMAP_STORE']} " if env and "WIJKMAP_STORE" in env else ""
    return prefix + shlex.join(words)


# A probe is a small Python program run with `python -c`. It times named steps with
# step(name, fn) and prints one JSON line: the seconds and row counts of each step.
PROBE_HEAD = """
import json, time
timings, counts = {}, {}
def step(name, fn):
    started = time.perf_counter()
    result = fn()
    timings[name] = time.perf_counter() - started
    if hasattr(result, "columns"):  # a (Geo)DataFrame: report its rows
        counts[name] = len(result)
    return result
"""
PROBE_TAIL = """
print(json.dumps({"timings": timings, "counts": counts}))
"""


def run_probe(body: str, env: dict[str, str]) -> tuple[Run, dict]:
    """Run a probe in a fresh interpreter; returns the process and its step report."""
    code = PROBE_HEAD + textwrap.dedent(body) + PROBE_TAIL
    run = run_measured([PYTHON, "-c", code], env)
    if run.returncode != 0:
        raise RuntimeError(f"probe failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run, json.loads(run.stdout.strip().splitlines()[-1])


def summarise_probes(results: list[tuple[Run, dict]]) -> dict:
    """Median of each step over the runs, process wall time and peak RSS."""
    steps = list(results[0][1]["timings"])
    return {
        "runs": len(results),
        "steps_s": {name: statistics.median(r[1]["timings"][name] for r in results) for name in steps},
        "steps_sum_s": statistics.median(sums := [sum(r[1]["timings"].values()) for r in results]),
        "steps_sum_s_range": [min(sums), max(sums)],
        "process_wall_s": statistics.median(walls := [r[0].seconds for r in results]),
        "process_wall_s_range": [min(walls), max(walls)],
        "peak_rss_mb": statistics.median(r[0].peak_rss_mb for r in results),
        "peak_rss_mb_max": max(r[0].peak_rss_mb for r in results),
        "counts": results[0][1]["counts"],
        "all_runs": [
            {"timings_s": r[1]["timings"], "wall_s": r[0].seconds, "peak_rss_mb": r[0].peak_rss_mb} for r in results
        ],
    }


def summarise_runs(runs: list[Run], command: str) -> dict:
    """Median wall time and peak RSS of repeated runs of one command."""
    return {
        "command": command,
        "runs": len(runs),
        "wall_s": statistics.median(r.seconds for r in runs),
        "wall_s_all": [r.seconds for r in runs],
        "peak_rss_mb": statistics.median(r.peak_rss_mb for r in runs),
        "peak_rss_mb_max": max(r.peak_rss_mb for r in runs),
        "stdout_first_line": runs[0].stdout.splitlines()[0] if runs[0].stdout else "",
    }


# --- 1. building the store ----------------------------------------------------------------

BUILD_PROBE = """
import importlib
from pathlib import Path
build = step("import wijkmap.data.build", lambda: importlib.import_module("wijkmap.data.build"))
summary = step("build_store (national)", lambda: build.build_store(Path({path!r})))
counts["areas"] = summary.areas
counts["statistics"] = summary.statistics
counts["records"] = summary.records
"""


def bench_build(store: Path) -> dict:
    """Build the national store once in a fresh process; its time, size and layers."""
    run, report = run_probe(BUILD_PROBE.format(path=str(store)), dict(os.environ))
    return {
        "command": f"build_store({store})",
        "import_s": report["timings"]["import wijkmap.data.build"],
        "build_s": report["timings"]["build_store (national)"],
        "process_wall_s": run.seconds,
        "peak_rss_mb": run.peak_rss_mb,
        "file_mb": store.stat().st_size / MB,
        "areas": report["counts"]["areas"],
        "statistics_rows": report["counts"]["statistics"],
        "records": report["counts"]["records"],
        "layers_mb": layer_sizes(store),
    }


def layer_sizes(store: Path) -> dict[str, dict[str, float]]:
    """MB per layer, split into its table, its indexes and its R-tree, from SQLite's
    dbstat table. What belongs to no layer is 'GeoPackage metadata'; unused pages 'free'."""
    with sqlite3.connect(store) as connection:
        layers = [row[0] for row in connection.execute("SELECT table_name FROM gpkg_contents")]
        owner = dict(connection.execute("SELECT name, tbl_name FROM sqlite_master"))
        pages = connection.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name").fetchall()
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        free = connection.execute("PRAGMA freelist_count").fetchone()[0] * page_size
    sizes: dict[str, dict[str, float]] = {}
    for name, size in pages:
        table, part = owner.get(name, name), "table"
        if table.startswith("rtree_"):  # rtree_<layer>_<geometry column>[_node|_rowid|_parent]
            table = max((layer for layer in layers if table.startswith(f"rtree_{layer}_")), key=len, default=table)
            part = "rtree"
        elif name != table:
            part = "indexes"
        key = table if table in layers else "GeoPackage metadata"
        parts = sizes.setdefault(key, {"total": 0.0, "table": 0.0, "indexes": 0.0, "rtree": 0.0})
        parts[part] += size / MB
        parts["total"] += size / MB
    if free:
        sizes["free pages"] = {"total": free / MB, "table": 0.0, "indexes": 0.0, "rtree": 0.0}
    return dict(sorted(sizes.items(), key=lambda item: -item[1]["total"]))


# --- 2. loading the store cold ------------------------------------------------------------

LOAD_PROBE = """
import importlib
store = step("import wijkmap.data.store", lambda: importlib.import_module("wijkmap.data.store"))
step("read_areas('buurt_2015'), whole country", lambda: store.read_areas("buurt_2015"))
step("read_areas('gemeente_2015')", lambda: store.read_areas("gemeente_2015"))
step("read_statistics(), all rows", lambda: store.read_statistics())
step("read_catalogue()", lambda: store.read_catalogue())
step("read_records()", lambda: store.read_records())
"""

GEMEENTE_PROBE = """
import importlib
store = step("import wijkmap.data.store", lambda: importlib.import_module("wijkmap.data.store"))
buurten = step("read_areas('buurt_2015', gemeentecode={code!r})",
               lambda: store.read_areas("buurt_2015", gemeentecode={code!r}))
step("read_statistics(codes=its buurten)", lambda: store.read_statistics(codes=list(buurten["code"])))
step("read_records(gemeentecode={code!r})", lambda: store.read_records(gemeentecode={code!r}))
"""


def bench_load(store: Path, body: str) -> dict:
    """Run a load probe LOAD_RUNS times, each in a fresh interpreter."""
    env = store_env(store)
    return summarise_probes([run_probe(body, env) for _ in range(LOAD_RUNS)])


# --- 3. a realistic register --------------------------------------------------------------

# Where the register's records lie: (gemeentecode, weight).
REGISTER_GEMEENTEN = [
    ("GM0344", 4),
    ("GM0363", 2),
    ("GM0599", 2),
    ("GM0518", 1),
    ("GM0772", 1),
    ("GM0014", 1),
    ("GM0200", 1),
    ("GM0935", 1),
]
# Each soort in the spellings real registers use (codes, Dutch and English labels, synonyms).
SOORT_SPELLINGS = [
    ["repair_cafe", "Repair Café", "repair cafe", "REPAIR CAFÉ"],
    ["huis_van_de_wijk", "Huiskamer van de wijk", "Buurtkamer", "Huis/huiskamer van de wijk", "wijkhuis"],
    ["buurthuis", "Buurthuis", "buurtcentrum", "Wijkcentrum", "Community centre"],
    ["bibliotheek", "Bieb", "Bibliotheek(filiaal)", "Library branch"],
    ["voedselbank", "Voedselbank", "Food bank"],
    ["buurtrestaurant", "Buurtrestaurant", "buurt-restaurant"],
    ["kringloopwinkel", "Kringloopwinkel", "Second-hand shop"],
    ["koffiehoek", "Koffiehoek (supermarkt)", "koffiehoek"],
    ["wijkteam", "Wijkteam", "wijk team", "Neighbourhood team"],
    ["kerk", "Kerk", "Church"],
    ["moskee", "Moskee", "Mosque"],
    ["bewonersinitiatief", "Bewonersinitiatief", "bewoners initiatief", "Residents' initiative"],
    ["community_art", "Community art", "community-art"],
    ["naaiatelier", "Naaiatelier"],
    ["wijkwerkplaats", "Wijkwerkplaats"],
    ["dementievriendelijk", "Dementievriendelijk initiatief"],
]
STRATEGIE_SPELLINGS = [
    "bonding",
    "Bridging",
    "Bonding (binden)",
    "Bridging (overbruggen)",
    "beide",
    "Both",
    "",
    "onbekend",
]
ACTOR_SPELLINGS = [
    "Bewoners",
    "bewoners; gemeente",
    "Welzijnsorganisatie, Woningcorporatie",
    "Residents",
    "Sociaal ondernemer (zzp)",
    "sociaal_ondernemer",
    "Vrijwilligersorganisatie",
    "religieuze organisatie",
    "Kunstenaar; bewoners",
    "Commercieel",
    "Zorgaanbieder|gemeente",
    "",
]
DOELGROEP_SPELLINGS = [
    "ouderen; alleenstaanden",
    "Older people",
    "Iedereen",
    "jongeren, nieuwkomers",
    "Mensen in armoede",
    "beperking",
    "People living alone; Newcomers",
    "",
]
TARIEF_SPELLINGS = ["gratis", "Gratis", "Free", "Maatschappelijk tarief", "maatschappelijk", "wisselend", ""]
TIJDELIJK_SPELLINGS = ["ja", "nee", "J", "N", "", "Nee"]
HEADER = [
    "Naam",
    "Soort",
    "Strategie",
    "Actortype(s)",
    "Doelgroepen",
    "Tarief",
    "Tijdelijk",
    "Geopend",
    "Gesloten",
    "Omschrijving",
    "Website",
    "Lat",
    "Lon",
    "X",
    "Y",
    "Buurtcode",
]


def random_points_in(geometries, rng):
    """One uniformly random point inside each geometry (RD New), by rejection sampling."""
    import numpy as np
    import shapely

    geometries = np.asarray(geometries)
    bounds = shapely.bounds(geometries)
    xs, ys = np.empty(len(geometries)), np.empty(len(geometries))
    todo = np.arange(len(geometries))
    while len(todo):
        x = rng.uniform(bounds[todo, 0], bounds[todo, 2])
        y = rng.uniform(bounds[todo, 1], bounds[todo, 3])
        inside = shapely.contains_xy(geometries[todo], x, y)
        xs[todo[inside]], ys[todo[inside]] = x[inside], y[inside]
        todo = todo[~inside]
    return xs, ys


def comma(value: float, decimals: int) -> str:
    """A number as a Dutch spreadsheet writes it: decimal comma."""
    return f"{value:.{decimals}f}".replace(".", ",")


def date_text(rng, year: int) -> str:
    """A date in one of the formats registers use: year, ISO date, or d-m-yyyy."""
    month, day = int(rng.integers(1, 13)), int(rng.integers(1, 29))
    form = rng.integers(0, 4)
    return [str(year), f"{year}-{month:02d}-{day:02d}", f"{day}-{month}-{year}", ""][form]


def location_cells(rng, code: str, x: float, y: float, lon: float, lat: float) -> list[str]:
    """Lat, Lon, X, Y, Buurtcode: 70 % lat/lon (mostly comma decimals), 20 % RD x/y
    (comma decimals, some with a thousands point, some whole metres), 10 % buurtcode."""
    kind = rng.random()
    if kind < 0.70:
        if rng.random() < 0.8:
            return [comma(lat, 6), comma(lon, 6), "", "", ""]
        return [f"{lat:.6f}", f"{lon:.6f}", "", "", ""]
    if kind < 0.90:
        style = rng.integers(0, 3)
        if style == 0:
            return ["", "", comma(x, 2), comma(y, 2), ""]
        if style == 1:
            return [
                "",
                "",
                f"{x:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
                f"{y:,.2f}".replace(",", "_").replace(".", ",").replace("_", "."),
                "",
            ]
        return ["", "", str(round(x)), str(round(y)), ""]
    spelled = [code, code.lower(), code[2:].lstrip("0")][int(rng.integers(0, 3))]
    return ["", "", "", "", spelled]


def make_register(store: Path, path: Path, rows: int = REGISTER_ROWS, seed: int = SEED) -> dict:
    """Write a deterministic register CSV as a municipality's export would look:
    `;`-separated, UTF-8 with BOM, CRLF, decimal commas, mixed locations and spellings,
    quoted names and descriptions with separators, accents and the odd line break."""
    import csv

    import geopandas as gpd
    import numpy as np
    import pyogrio

    rng = np.random.default_rng(seed)
    buurten = pyogrio.read_dataframe(store, layer="buurt_2015", columns=["code", "naam", "gemeentecode"])
    codes, weights = zip(*REGISTER_GEMEENTEN)
    buurten = buurten[buurten["gemeentecode"].isin(codes)].sort_values("code").reset_index(drop=True)
    weight = buurten["gemeentecode"].map(dict(REGISTER_GEMEENTEN)).to_numpy(float)
    chosen = buurten.iloc[rng.choice(len(buurten), size=rows, p=weight / weight.sum())].reset_index(drop=True)
    rd = chosen.to_crs("EPSG:28992")
    xs, ys = random_points_in(rd.geometry.to_numpy(), rng)
    wgs = gpd.GeoSeries(gpd.points_from_xy(xs, ys), crs="EPSG:28992").to_crs("EPSG:4326")

    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle, delimiter=";", lineterminator="\r\n")
        writer.writerow(HEADER)
        for i, buurt in enumerate(chosen.itertuples()):
            spellings = SOORT_SPELLINGS[int(rng.integers(0, len(SOORT_SPELLINGS)))]
            soort = spellings[int(rng.integers(0, len(spellings)))]
            opened = int(rng.integers(1960, 2026))
            closed = str(int(rng.integers(opened + 1, 2027))) if rng.random() < 0.12 else ""
            description = f'Elke {["maandag", "woensdag", "vrijdag"][i % 3]}; koffie & "gezelligheid" in {buurt.naam}'
            if i % 97 == 0:
                description += "\nTweede regel: aanmelden niet nodig."
            writer.writerow(
                [
                    f"{spellings[0].replace('_', ' ').title()} {buurt.naam} nr. {i + 1}",
                    soort,
                    STRATEGIE_SPELLINGS[int(rng.integers(0, len(STRATEGIE_SPELLINGS)))],
                    ACTOR_SPELLINGS[int(rng.integers(0, len(ACTOR_SPELLINGS)))],
                    DOELGROEP_SPELLINGS[int(rng.integers(0, len(DOELGROEP_SPELLINGS)))],
                    TARIEF_SPELLINGS[int(rng.integers(0, len(TARIEF_SPELLINGS)))],
                    TIJDELIJK_SPELLINGS[int(rng.integers(0, len(TIJDELIJK_SPELLINGS)))],
                    date_text(rng, opened),
                    closed,
                    description,
                    f"https://www.example.nl/initiatief/{i + 1}" if rng.random() < 0.4 else "",
                    *location_cells(rng, buurt.code, xs[i], ys[i], wgs.x[i], wgs.y[i]),
                ]
            )
    return {
        "path": str(path),
        "rows": rows,
        "seed": seed,
        "size_mb": path.stat().st_size / MB,
        "gemeenten": list(codes),
    }


# --- 3 and 4. importing the register ------------------------------------------------------

SPLIT_PROBE = """
import importlib
from pathlib import Path
store = step("import wijkmap.data.store", lambda: importlib.import_module("wijkmap.data.store"))
register = step("import wijkmap.data.sources.register",
                lambda: importlib.import_module("wijkmap.data.sources.register"))
buurten = step("read_areas('buurt_2015')", lambda: store.read_areas("buurt_2015"))
result = step("read_register: read + validate + place",
              lambda: register.read_register(Path({path!r}), buurten, bron="bench"))
counts["read_register: read + validate + place"] = len(result.records)
counts["problems"] = [str(p) for p in result.problems[:5]] + [len(result.problems)]
counts["inserted, updated"] = step("store.upsert_records: write", lambda: store.upsert_records(result.records))
"""


def fresh_copy(store: Path, target: Path) -> Path:
    """A copy of the built store, so every first import starts from the same state."""
    shutil.copyfile(store, target)
    return target


def bench_import_split(store: Path, register: Path, workdir: Path) -> dict:
    """The import's steps, each run in a fresh interpreter against a fresh store copy."""
    results = []
    for run in range(IMPORT_RUNS):
        target = fresh_copy(store, workdir / f"split-{run}.gpkg")
        results.append(run_probe(SPLIT_PROBE.format(path=str(register)), store_env(target)))
        problems = results[-1][1]["counts"]["problems"]
        if problems[-1]:
            raise RuntimeError(f"the generated register has {problems[-1]} problems: {problems[:-1]}")
    return summarise_probes(results)


def bench_import_cli(store: Path, register: Path, workdir: Path) -> dict:
    """`python -m wijkmap import` end to end: first import (fresh store copy each run),
    re-import of the same file into the imported store (all updates), and --dry-run."""
    command = [PYTHON, "-m", "wijkmap", "import", str(register), "--bron", "bench"]
    first, again, dry = [], [], []
    for run in range(IMPORT_RUNS):
        env = store_env(fresh_copy(store, workdir / f"import-{run}.gpkg"))
        first.append(checked(run_measured(command, env)))
    reimport_env = store_env(workdir / "import-0.gpkg")
    for _ in range(IMPORT_RUNS):
        again.append(checked(run_measured(command, reimport_env)))
    for _ in range(IMPORT_RUNS):
        dry.append(checked(run_measured([*command, "--dry-run"], store_env(store))))
    size_after = (workdir / "import-0.gpkg").stat().st_size / MB
    return {
        "first_import": summarise_runs(first, shown(command, store_env(workdir / "import-N.gpkg"))),
        "reimport": summarise_runs(again, shown(command, reimport_env)),
        "dry_run": summarise_runs(dry, shown([*command, "--dry-run"], store_env(store))),
        "store_mb_after_import": size_after,
    }


def checked(run: Run) -> Run:
    """A CLI run that must have succeeded for its time to mean anything."""
    if run.returncode != 0:
        raise RuntimeError(f"import failed ({run.returncode}):\n{run.stderr[-3000:]}")
    return run


# --- reporting ----------------------------------------------------------------------------


def machine_facts() -> dict:
    """The machine and software the figures were measured on."""
    import geopandas
    import pyogrio
    import shapely

    return {
        "nproc": len(os.sched_getaffinity(0)),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": platform.python_implementation(),
        "platform": platform.platform(),
        "geopandas": geopandas.__version__,
        "pyogrio": pyogrio.__version__,
        "gdal": pyogrio.__gdal_version_string__,
        "shapely": shapely.__version__,
        "sqlite": sqlite3.sqlite_version,
        "memory_gb": os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3,
        "load_average_at_start": os.getloadavg(),
    }


def print_table(title: str, rows: list[tuple[str, str]]) -> None:
    """A titled two-column table: what, and the figure."""
    width = max(len(label) for label, _ in rows)
    print(f"\n{title}\n{'-' * len(title)}")
    for label, value in rows:
        print(f"  {label:<{width}}  {value}")


def seconds(value: float) -> str:
    return f"{value * 1000:8.0f} ms" if value < 1 else f"{value:8.2f} s "


def spread(values: list[float]) -> str:
    """The range of repeated runs, to show how noisy the machine was."""
    return f"   (min {min(values):.2f} s, max {max(values):.2f} s)"


def megabytes(value: float) -> str:
    return f"{value:8.1f} MB"


def probe_rows(summary: dict) -> list[tuple[str, str]]:
    """Rows for a probe summary: each step's median, their sum, wall time and RSS."""
    rows = []
    for name, value in summary["steps_s"].items():
        count = summary["counts"].get(name)
        rows.append((name, seconds(value) + (f"   ({count:,} rows)" if isinstance(count, int) else "")))
    rows += [
        ("sum of the steps", seconds(summary["steps_sum_s"]) + spread(summary["steps_sum_s_range"])),
        (
            "process wall time (incl. interpreter start)",
            seconds(summary["process_wall_s"]) + spread(summary["process_wall_s_range"]),
        ),
        ("peak RSS (median / max)", f"{megabytes(summary['peak_rss_mb'])} / {summary['peak_rss_mb_max']:.1f} MB"),
    ]
    return rows


def report(results: dict) -> None:
    """Print every figure as a table."""
    machine, build = results["machine"], results["build"]
    print_table(
        "Machine",
        [
            ("nproc", str(machine["nproc"])),
            ("python", f"{machine['python']} ({PYTHON})"),
            ("platform", machine["platform"]),
            ("memory", f"{machine['memory_gb']:.1f} GB"),
            (
                "load average (1 min) at start / end",
                f"{machine['load_average_at_start'][0]:.2f} / {results['load_average_at_end'][0]:.2f}"
                "   (other processes on this machine add noise; compare medians and minimums)",
            ),
            (
                "libraries",
                f"geopandas {machine['geopandas']}, pyogrio {machine['pyogrio']}, GDAL {machine['gdal']}, "
                f"shapely {machine['shapely']}, SQLite {machine['sqlite']}",
            ),
            ("command", results["command"]),
            ("work directory", results["workdir"]),
        ],
    )
    print_table(
        "1. Build of the national store (one run, fresh process)",
        [
            ("import wijkmap.data.build", seconds(build["import_s"])),
            ("build_store", seconds(build["build_s"])),
            ("process wall time", seconds(build["process_wall_s"])),
            ("peak RSS", megabytes(build["peak_rss_mb"])),
            ("store file size", megabytes(build["file_mb"])),
            (
                "contents",
                f"{sum(build['areas'].values()):,} areas in {len(build['areas'])} layers, "
                f"{build['statistics_rows']:,} statistics, {sum(build['records'].values()):,} records",
            ),
            ("size per layer (SQLite dbstat)", "   total    (table / indexes / R-tree)"),
            *[
                (
                    f"  {name}",
                    f"{megabytes(size['total'])}   ({size['table']:.1f} / {size['indexes']:.1f} / {size['rtree']:.1f})",
                )
                for name, size in build["layers_mb"].items()
            ],
        ],
    )
    print_table(
        f"2a. Cold load of the national dataset (median of {LOAD_RUNS}, fresh process each; OS file cache warm)",
        probe_rows(results["load_national"]),
    )
    print(
        "  Cold here means a new Python process (no imported modules, no lru/streamlit caches);\n"
        "  the store file and the .pyc files are in the OS page cache, as they were just read."
    )
    print_table(
        f"2b. Cold load of one gemeente view, {GEMEENTE_VIEW} (median of {LOAD_RUNS}, fresh process each)",
        probe_rows(results["load_gemeente"]),
    )
    register = results["register"]
    print_table(
        "3. Register used for the import",
        [
            ("rows", f"{register['rows']:,} (seed {register['seed']})"),
            ("file", f"{register['size_mb']:.2f} MB, ';' separated, UTF-8 with BOM, CRLF, decimal commas"),
            ("locations", "70 % lat/lon, 20 % RD x/y, 10 % buurtcode, in " + ", ".join(register["gemeenten"])),
        ],
    )
    print_table(
        f"3a. Import split (median of {IMPORT_RUNS}, fresh process and store copy each)",
        probe_rows(results["import_split"]),
    )
    cli = results["import_cli"]
    rows = []
    for key, label in (
        ("first_import", "first import (all new)"),
        ("reimport", "re-import (all updates)"),
        ("dry_run", "--dry-run (nothing written)"),
    ):
        run = cli[key]
        rows.append(
            (
                label,
                f"{seconds(run['wall_s'])}{spread(run['wall_s_all'])}   peak RSS {run['peak_rss_mb']:.1f} MB"
                f' (max {run["peak_rss_mb_max"]:.1f})   "{run["stdout_first_line"]}"',
            )
        )
    rows.append(("store size after import", megabytes(cli["store_mb_after_import"])))
    print_table(f"3b/4. python -m wijkmap import, end to end (median of {IMPORT_RUNS}; wall time, peak RSS)", rows)
    print("\n  command: " + cli["first_import"]["command"])
    print(f"\nTotal benchmark time {results['total_s']:.0f} s; figures written to {os.path.relpath(OUT, REPO)}")


def main() -> int:
    started = time.perf_counter()
    command = f"cd {REPO} && {shown([PYTHON, *sys.argv])}"
    print(f"wijkmap data benchmark: {command}", flush=True)
    results: dict = {"command": command, "machine": machine_facts()}
    with tempfile.TemporaryDirectory(prefix="wijkmap-bench-") as tmp:
        workdir = Path(tmp)
        results["workdir"] = f"{workdir} (temporary, removed afterwards)"
        store = workdir / "wijkmap.gpkg"
        print("building the national store ...", flush=True)
        results["build"] = bench_build(store)
        print("cold loads ...", flush=True)
        results["load_national"] = bench_load(store, LOAD_PROBE)
        results["load_gemeente"] = bench_load(store, GEMEENTE_PROBE.format(code=GEMEENTE_VIEW))
        print(f"generating a {REGISTER_ROWS:,}-row register and importing it ...", flush=True)
        register = workdir / f"register-{REGISTER_ROWS}.csv"
        results["register"] = make_register(store, register)
        results["import_split"] = bench_import_split(store, register, workdir)
        results["import_cli"] = bench_import_cli(store, register, workdir)
    results["total_s"] = time.perf_counter() - started
    results["load_average_at_end"] = os.getloadavg()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    report(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
