"""import-gebieden and fetch cbs of the whole country, and register files of 10,000 rows: time,
memory, what came in, store size.

Everything happens in a temporary directory; data/ of the checkout is only read. A private
data/sources links the checkout's entries in (cbs/ is a folder of its own with links to
the checkout's cbs/*, since fetch cbs writes into cbs/odata/; gebieden/ starts empty), a
national store is built from it once, and each import runs on a copy of that store with
a copy of those sources, in a fresh process of its own (so its peak RSS is its own):

1. import-gebieden: the bundled 2015 wijk- en buurtkaart of the country, written as one
   GeoPackage in RD New with the field names of a recent CBS edition (buurtcode, ...,
   water = NEE; layers buurten, wijken, gemeenten), imported as 2024 and rebuilt;
2. fetch cbs 85984NED without --gemeente: a local server in this process answers with
   the recorded TableInfos and DataProperties of tests/data/sources/recorded/cbs/ and
   TypedDataSet rows of every gemeente, wijk and buurt of the bundled national subset,
   built as make_recorded.py builds Deventer's, in pages joined by odata.nextLink.

3. register (--only register, without the national store): a register of 10,000 rows and 15
   columns (text, codes, dates, numbers, comma decimals) as .xlsx, .xls, .ods and .csv; each
   read as text rows by calamine (the reader) and, where one exists, by the pure-Python
   reader it replaces (openpyxl for .xlsx, odfpy through pandas for .ods), then checked and
   placed whole by read_register; each in a fresh process, with its peak RSS above what
   the process had before it read (calamine's memory is Rust's, which tracemalloc misses).

Run it from the repository root:

    PYTHONPATH=src .venv/bin/python bench/benchmark_imports.py [--page-rows 10000] [--only register [--rows 10000]]
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import resource
import shutil
import sys
import tempfile
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pandas as pd
import pyogrio

REPO = Path(__file__).resolve().parents[1]
SOURCES = REPO / "data" / "sources"
KAART = SOURCES / "cbs" / "wijkbuurtkaart-2015-tno"
RECORDED = REPO / "tests" / "data" / "sources" / "recorded" / "cbs"
TABEL = "85984NED"
JAAR = 2024
# The 2015 kaart's fields, per level, as a recent edition names them.
RENAMED = {
    "buurt": {"BU_CODE": "buurtcode", "BU_NAAM": "buurtnaam", "WK_CODE": "wijkcode", "GM_CODE": "gemeentecode",
              "GM_NAAM": "gemeentenaam"},
    "wijk": {"WK_CODE": "wijkcode", "WK_NAAM": "wijknaam", "GM_CODE": "gemeentecode", "GM_NAAM": "gemeentenaam"},
    "gemeente": {"GM_CODE": "gemeentecode", "GM_NAAM": "gemeentenaam"},
}  # fmt: skip
LAYERS = {"buurt": "buurten", "wijk": "wijken", "gemeente": "gemeenten"}

sys.path.insert(0, str(REPO))  # tests.…make_recorded: the rows are built as the recorded ones are
from tests.data.sources.recorded.cbs import make_recorded  # noqa: E402


def megabytes(kilobytes: int) -> str:
    return f"{kilobytes / 1024:.0f} MB"


def private_sources(folder: Path) -> Path:
    """A data/sources of links to the checkout's, cbs/ a real folder of links, gebieden/ empty."""
    folder.mkdir(parents=True)
    for part in SOURCES.iterdir():
        if part.name not in ("cbs", "gebieden"):
            (folder / part.name).symlink_to(part)
    (folder / "cbs").mkdir()
    for part in (SOURCES / "cbs").iterdir():
        if part.name != "odata":
            (folder / "cbs" / part.name).symlink_to(part)
    (folder / "gebieden").mkdir()
    return folder


def write_kaart(path: Path) -> dict[str, int]:
    """The 2015 kaart of the country as one GeoPackage in RD New with recent field names."""
    counts = {}
    for niveau, renamed in RENAMED.items():
        frame = pyogrio.read_dataframe(KAART / f"{niveau}_2015.geojson", columns=list(renamed))
        frame = frame.rename(columns=renamed).assign(water="NEE").to_crs(28992)
        pyogrio.write_dataframe(frame, path, layer=LAYERS[niveau])
        counts[niveau] = len(frame)
    return counts


def typed_rows(properties: dict) -> list[dict]:
    """TypedDataSet rows of every area of the national subset, as make_recorded.rows() builds a gemeente's."""
    cbs = SOURCES / "cbs"
    subset = pd.read_csv(cbs / "kwb-2024-buurt-national/kwb_2024_gwb_subset.csv", dtype=str, keep_default_na=False)
    gw = pd.read_csv(cbs / "kwb-2024-gemeente-wijk/kwb_2024_gemeente_wijk.csv", dtype=str, keep_default_na=False)
    gw = gw.set_index("code")
    topics = [key for key, item in properties.items() if item["Type"] == "Topic"]
    answer = []
    for number_, area in enumerate(subset.sort_values("code").itertuples()):
        row = {"ID": number_, "WijkenEnBuurten": area.code.ljust(10)} | dict.fromkeys(topics)
        row["Gemeentenaam_1"] = area.gemeente_naam.ljust(40)
        row["SoortRegio_2"] = make_recorded.SOORT[area.level].ljust(10)
        row["Codering_3"] = area.code.ljust(10)
        row["IndelingswijzigingGemeenteWijkBuurt_4"] = "1"
        for key, column in make_recorded.SUBSET_KEYS.items():
            row[key] = make_recorded.number(getattr(area, column), key, properties)
        if area.code in gw.index:
            for key in make_recorded.GEMEENTE_WIJK_KEYS:
                row[key] = make_recorded.number(gw.loc[area.code, key], key, properties)
        answer.append(row)
    return answer


def recorded_answers(page_rows: int) -> dict[str, bytes]:
    """Path + query -> body: TableInfos, DataProperties and the TypedDataSet pages."""
    api, feed = f"/ODataApi/odata/{TABEL}", f"/ODataFeed/odata/{TABEL}"
    listed = json.loads((RECORDED / "DataProperties.json").read_text(encoding="utf-8"))["value"]
    properties = {item["Key"]: item for item in listed if item.get("Key")}
    rows = typed_rows(properties)
    answers = {
        f"{api}/TableInfos?$format=json": (RECORDED / "TableInfos.json").read_bytes(),
        f"{api}/DataProperties?$format=json": (RECORDED / "DataProperties.json").read_bytes(),
    }
    for start in range(0, len(rows), page_rows):
        target = f"{feed}/TypedDataSet?$format=json" + (f"&$skip={start}" if start else "")
        following = start + page_rows
        # On CBS's own host, as CBS writes it; fetch rebases it on the root it was given.
        link = f"{make_recorded.FEED}/TypedDataSet?$format=json&$skip={following}" if following < len(rows) else None
        page = make_recorded.envelope("TypedDataSet", rows[start:following], link, make_recorded.FEED)
        answers[target] = json.dumps(page, ensure_ascii=False).encode("utf-8")
    return answers


class Served:
    """What the local server did: requests, bytes, its own CPU time (thread time per request) and
    its wall time answering (from the request to its last byte written, so also waiting on the reader)."""

    def __init__(self) -> None:
        self.requests = self.bytes = 0
        self.cpu = self.wall = 0.0
        self.lock = threading.Lock()


def serve(answers: dict[str, bytes], served: Served) -> ThreadingHTTPServer:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            started, cpu = time.perf_counter(), time.thread_time()
            parts = urlsplit(self.path)
            body = answers.get(parts.path + (f"?{parts.query}" if parts.query else ""))
            self.send_response(200 if body is not None else 404)
            body = body if body is not None else b'{"error": "not recorded"}'
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            with served.lock:
                served.requests += 1
                served.bytes += len(body)
                served.cpu += time.thread_time() - cpu
                served.wall += time.perf_counter() - started

        def log_message(self, format, *args) -> None:  # noqa: A002 (the base class's name)
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def peaks() -> tuple[int, int]:
    """Peak RSS (kB) of this process and of its largest finished child."""
    return (
        resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss,
    )


# --- what runs in a fresh process -----------------------------------------------------------


def run_build(store_path: Path, sources: Path) -> dict:
    from wijkmap.data import build

    started = time.perf_counter()
    summary = build.build_store(store_path, sources_dir=sources)
    return {"seconds": time.perf_counter() - started, "peaks": peaks(), "areas": summary.areas,
            "statistics": summary.statistics, "indicators": summary.indicators}  # fmt: skip


def run_gebieden(store_path: Path, sources: Path, kaart: Path) -> dict:
    from wijkmap.data import build
    from wijkmap.data.sources import gebieden

    def rebuild() -> None:  # as cli._gebieden without --gemeente
        build.rebuild(store_path, sources)

    started = time.perf_counter()
    summary = gebieden.import_gebieden([kaart], JAAR, sources, rebuild)
    levels = [(level.name, level.areas, level.gemeenten, level.water, level.repaired) for level in summary.levels]
    return {"seconds": time.perf_counter() - started, "peaks": peaks(), "levels": levels}


def run_fetch(store_path: Path, sources: Path, root: str) -> dict:
    from wijkmap.data.sources.cbs.fetch import fetch_cbs

    started = time.perf_counter()
    result = fetch_cbs(TABEL, root=root, sources_dir=sources, store_path=store_path, progress=False)
    return {"seconds": time.perf_counter() - started, "peaks": peaks(), "fetched": result.fetched,
            "levels": result.levels, "skipped": result.skipped, "jaar": result.jaar,
            "mapped": len(result.mapped), "extra": len(result.extra)}  # fmt: skip


def register_rows(count: int) -> tuple[list[str], list[list]]:
    """A register of `count` rows placed in Utrecht's buurten, as a municipality keeps one."""
    import datetime as dt
    import random

    from wijkmap.core import vocabulary as vocab

    buurten = pyogrio.read_dataframe(KAART / "buurt_2015.geojson", columns=["BU_CODE"], where="GM_CODE = 'GM0344'")
    points = buurten.geometry.representative_point()
    pick = random.Random(12)
    soorten, actors = list(vocab.SOORTEN), list(vocab.ACTORTYPES)
    header = ["id", "Naam", "Soort", "Strategie", "Actortype", "Doelgroep", "Tarief", "Tijdelijk", "Geopend",
              "Omschrijving", "Website", "Latitude", "Longitude", "Telefoon", "Contactpersoon"]  # fmt: skip
    rows = []
    for number in range(count):
        point = points.iloc[number % len(points)]
        rows.append([
            f"{number:06d}", f"Voorziening {number} aan de {pick.choice(['Oudegracht', 'Biltstraat', 'Amsterdamsestraatweg'])}",
            pick.choice(soorten), pick.choice(["bonding", "bridging", "beide", ""]),
            f"{pick.choice(actors)}; {pick.choice(actors)}", pick.choice(["ouderen", "jongeren", "iedereen"]),
            pick.choice(["gratis", "maatschappelijk", ""]), pick.choice(["ja", "nee"]),
            dt.date(2000 + number % 25, 1 + number % 12, 1 + number % 28), "Koffie, een praatje en hulp bij formulieren",
            f"https://example.org/{number}", round(point.y, 6), round(point.x, 6), f"030-{number:07d}", "J. de Vries",
        ])  # fmt: skip
    return header, rows


def write_registers(folder: Path, count: int) -> dict[str, Path]:
    import csv

    import xlwt

    header, rows = register_rows(count)
    paths = {suffix: folder / f"register{suffix}" for suffix in (".xlsx", ".xls", ".ods", ".csv")}
    frame = pd.DataFrame(rows, columns=header)
    frame.to_excel(paths[".xlsx"], index=False, engine="openpyxl")
    frame.to_excel(paths[".ods"], index=False, engine="odf")
    workbook, date_style = xlwt.Workbook(), xlwt.easyxf(num_format_str="YYYY-MM-DD")
    sheet = workbook.add_sheet("register")
    for r, row in enumerate([header, *rows]):
        for c, value in enumerate(row):
            sheet.write(r, c, value, date_style) if hasattr(value, "isoformat") else sheet.write(r, c, value)
    workbook.save(str(paths[".xls"]))
    with paths[".csv"].open("w", encoding="cp1252", newline="") as out:  # another gemeente's export
        writer = csv.writer(out, delimiter=";")
        writer.writerow(header)
        writer.writerows([str(v).replace(".", ",") if isinstance(v, float) else v for v in row] for row in rows)
    return paths


def run_register(path: Path, how: str) -> dict:
    """Read `path` one way in this fresh process: time and peak RSS growth."""
    from wijkmap.data.sources.register import files, read_register

    buurten = None
    if how == "read_register":
        buurten = pyogrio.read_dataframe(KAART / "buurt_2015.geojson", columns=["BU_CODE", "WK_CODE", "GM_CODE"],
                                         where="GM_CODE = 'GM0344'")  # fmt: skip
        buurten = buurten.rename(columns={"BU_CODE": "code", "WK_CODE": "wijkcode", "GM_CODE": "gemeentecode"})
    import openpyxl  # noqa: F401 - imported before the baseline, like the others
    import python_calamine  # noqa: F401

    before = reset_peak()
    started = time.perf_counter()
    if how == "checks":  # what the reader measures before calamine is given the file
        if path.suffix == ".xls":
            files._check_xls(path)
        else:
            files._check_unzipped_size(path)
            if path.suffix == ".ods":
                files._check_ods(path)
        rows = 0
    elif how == "calamine":
        rows = len(files.read_table(path).rows)
    elif how == "openpyxl":  # the reader before calamine, as it was
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
        sheet = workbook.worksheets[0]
        sheet.reset_dimensions()
        numbered = enumerate(sheet.iter_rows(values_only=True), start=1)
        texts = ((number, [files._cell_text(value) for value in files._trimmed(values)]) for number, values in numbered)
        rows = len(files._table_from_rows(texts, path.name).rows)
        workbook.close()
    elif how == "odfpy":
        rows = len(pd.read_excel(path, engine="odf", dtype=object))
    else:
        result = read_register(path, buurten)
        rows = len(result.records)
        if result.problems:
            raise SystemExit(f"{path.name}: {result.problems[0]}")
    return {"seconds": time.perf_counter() - started, "rows": rows, "grown": peak_since() - before}


def reset_peak() -> int:
    """Reset this process's peak RSS (Linux: clear_refs 5) and return its RSS now (kB)."""
    Path("/proc/self/clear_refs").write_text("5")
    return _status("VmRSS")


def peak_since() -> int:
    """The peak RSS (kB) since reset_peak."""
    return _status("VmHWM")


def _status(key: str) -> int:
    line = next(line for line in Path("/proc/self/status").read_text().splitlines() if line.startswith(key + ":"))
    return int(line.split()[1])


def bench_register(folder: Path, count: int = 10_000) -> None:
    started = time.perf_counter()
    paths = write_registers(folder, count)
    print(
        f"registers of {count} rows written in {time.perf_counter() - started:.0f} s: "
        + ", ".join(f"{suffix} {path.stat().st_size / 1e6:.1f} MB" for suffix, path in paths.items())
    )
    ways = {
        ".xlsx": ["openpyxl", "checks", "calamine"],
        ".xls": ["checks", "calamine"],
        ".ods": ["odfpy", "checks", "calamine"],
        ".csv": ["calamine"],
    }
    for suffix, path in paths.items():
        for how in [*ways[suffix], "read_register"]:
            figures = in_fresh_process(run_register, path, how)
            label = {"calamine": "csv module" if suffix == ".csv" else "checks+calamine"}.get(how, how)
            print(
                f"  {suffix:5} {label:15} {figures['seconds']:6.2f} s, peak RSS +{megabytes(figures['grown'])}"
                f" ({figures['rows']} rows)"
            )


def in_fresh_process(function, *args) -> dict:
    with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
        return pool.submit(function, *args).result()


# --- the benchmark --------------------------------------------------------------------------


def stage(folder: Path, name: str, national: Path) -> tuple[Path, Path]:
    """A copy of the national store and a private sources folder for one import."""
    sources = private_sources(folder / name / "sources")
    copy = folder / name / "wijkmap.gpkg"
    shutil.copyfile(national, copy)
    return copy, sources


def bench_gebieden(folder: Path, national: Path) -> None:
    store_path, sources = stage(folder, "gebieden", national)
    kaart = folder / "wijkenbuurten_2015_als_2024.gpkg"
    started = time.perf_counter()
    counts = write_kaart(kaart)
    print(
        f"kaart written in {time.perf_counter() - started:.1f} s: {kaart.stat().st_size / 1e6:.0f} MB,"
        f" {', '.join(f'{count} {niveau}' for niveau, count in counts.items())}"
    )
    figures = in_fresh_process(run_gebieden, store_path, sources, kaart)
    own, children = figures["peaks"]
    print(
        f"import-gebieden --jaar {JAAR}: {figures['seconds']:.1f} s, peak RSS {megabytes(own)}"
        f" (children {megabytes(children)}), store {store_path.stat().st_size / 1e6:.0f} MB after"
    )
    for name, areas, gemeenten, water, repaired in figures["levels"]:
        print(f"  {name}: {areas} areas in {gemeenten} gemeenten, {water} water apart, {repaired} repaired")


def bench_fetch(folder: Path, national: Path, page_rows: int) -> None:
    store_path, sources = stage(folder, "fetch", national)
    started = time.perf_counter()
    answers = recorded_answers(page_rows)
    pages = sum("TypedDataSet" in target for target in answers)
    size = sum(len(body) for target, body in answers.items() if "TypedDataSet" in target)
    print(f"answers built in {time.perf_counter() - started:.1f} s: {pages} TypedDataSet pages, {size / 1e6:.0f} MB")
    served = Served()
    server = serve(answers, served)
    try:
        host, port = server.server_address[:2]
        figures = in_fresh_process(run_fetch, store_path, sources, f"http://{host}:{port}")
    finally:
        server.shutdown()
        server.server_close()
    own, children = figures["peaks"]
    print(
        f"fetch cbs {TABEL}: {figures['seconds']:.1f} s, peak RSS {megabytes(own)}"
        f" (children {megabytes(children)}), store {store_path.stat().st_size / 1e6:.0f} MB after"
    )
    print(
        f"  {figures['fetched']} areas {figures['levels']}, {figures['skipped']} skipped, year {figures['jaar']},"
        f" {figures['mapped']} indicators mapped + {figures['extra']} CBS variables of their own"
    )
    print(
        f"  server: {served.requests} requests, {served.bytes / 1e6:.0f} MB, {served.cpu:.2f} s CPU of its own,"
        f" {served.wall:.1f} s answering"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--page-rows", type=int, default=10_000, help="TypedDataSet rows per page")
    parser.add_argument("--only", choices=("gebieden", "fetch", "register"), help="one of the imports")
    parser.add_argument("--rows", type=int, default=10_000, help="rows of the register files")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.only == "register":
            bench_register(folder, args.rows)
            return
        national = folder / "national.gpkg"
        figures = in_fresh_process(run_build, national, private_sources(folder / "build-sources"))
        print(
            f"national store built in {figures['seconds']:.0f} s: {national.stat().st_size / 1e6:.0f} MB,"
            f" peak RSS {megabytes(figures['peaks'][0])}, {sum(figures['areas'].values())} areas"
            f" in {len(figures['areas'])} layers, {figures['statistics']} values"
        )
        if args.only != "fetch":
            bench_gebieden(folder, national)
        if args.only != "gebieden":
            bench_fetch(folder, national, args.page_rows)
        print(f"this process (server, answers): peak RSS {megabytes(peaks()[0])}")


if __name__ == "__main__":
    main()
