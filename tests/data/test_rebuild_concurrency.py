"""A rebuild (`build-data`) while imports and approvals go on, in real separate processes,
on both backends (a GeoPackage, and a PostgreSQL store whose rebuild swaps schemas).

Each child process is a fresh interpreter running the checkout's code. The rebuild is
slowed down in its own process at two moments, so the race is certain: once while it
builds (the writers then write to the old file) and once while it holds the write lock
to swap the file (the writers then wait for it, longer than their busy timeout, which
they set to 1 s to stand for a national build that outlasts any fixed timeout).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from wijkmap.config import REPO_ROOT
from wijkmap.contributions import checks, inbox
from wijkmap.data import store as wstore

REPO = REPO_ROOT
SMALL_GEMEENTEN = ["GM0344", "GM0599", "GM0363"]  # as in conftest.small_store_path
STEPS = 3
HOLD_S = 3.0  # how long a rebuild holds the lock at the swap: longer than the writers' timeout
WRITER_TIMEOUT_S = 1

CHILD = r"""
import json, os, sys, time
from pathlib import Path
from wijkmap.data import build, postgis, store
from wijkmap.contributions import checks, inbox

role, signals = sys.argv[1], Path(sys.argv[3])
url = store.is_postgres(sys.argv[2])
path = sys.argv[2] if url else Path(sys.argv[2])
options = json.loads(sys.argv[4])


def wait_for(*names):
    deadline = time.monotonic() + 120
    while not all((signals / name).exists() for name in names):
        if time.monotonic() > deadline:
            raise SystemExit(f"{role}: waited in vain for {names}")
        time.sleep(0.02)


def signal(name):
    (signals / name).touch()


if role == "rebuild":
    name = options["name"]
    real_write, real_swap, real_replace = store.write_store, store._swap_in, os.replace

    def slow_write(*args, **kwargs):  # the sources are read; the new file is not written yet
        signal(f"{name}-building")
        wait_for(*options["before_write"])
        return real_write(*args, **kwargs)

    def late_swap(*args, **kwargs):  # the new file is written; the old one not yet locked
        wait_for(*options.get("before_swap", []))
        return real_swap(*args, **kwargs)

    def slow_replace(source, target):  # called with the old store's write lock held
        if ".tmp-" in str(source):
            signal(f"{name}-swapping")
            time.sleep(options["hold"])
        return real_replace(source, target)

    if url:  # the swap: postgis._swap_in takes the lock, _rename runs with it held
        real_swap, real_rename = postgis._swap_in, postgis._rename

        def slow_rename(*args, **kwargs):
            signal(f"{name}-swapping")
            time.sleep(options["hold"])
            return real_rename(*args, **kwargs)

        store.write_store, postgis._swap_in, postgis._rename = slow_write, late_swap, slow_rename
    else:
        store.write_store, store._swap_in, os.replace = slow_write, late_swap, slow_replace
    build.build_store(path, gemeenten=options["gemeenten"])
    signal(f"{name}-built")
else:
    store.BUSY_TIMEOUT_S = options["busy_timeout"]
    from wijkmap.cli import main

    for step, after in enumerate(options["after"]):
        wait_for(*after)
        time.sleep(options["delay"])
        result = {"ok": False}
        try:
            if role == "import":
                register = signals / f"register-{step}.csv"
                register.write_text(
                    "Naam;Soort;Lat;Lon\n"
                    f"Import stap {step};huis_van_de_wijk;52,0907;5,12{step}4\n", encoding="utf-8"
                )
                result["ok"] = main(["import", str(register), "--bron", f"Register stap {step}"]) == 0
            else:
                number = options["submissions"][step]
                result.update(ok=True, record_id=inbox.approve(number, "Anna", path))
        except Exception as error:
            result["error"] = repr(error)
        (signals / f"{role}-{step}.json").write_text(json.dumps(result))
"""


def start(role: str, store_path: Path, signals: Path, **options) -> subprocess.Popen:
    env = {
        **os.environ,
        "WIJKMAP_STORE": str(store_path),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(REPO / "src"), os.environ.get("PYTHONPATH")])),
    }
    return subprocess.Popen(
        [sys.executable, "-c", CHILD, role, str(store_path), str(signals), json.dumps(options)],
        env=env,
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(processes: dict[str, subprocess.Popen]) -> None:
    deadline = time.monotonic() + 300
    for role, process in processes.items():
        try:
            _, err = process.communicate(timeout=max(1, deadline - time.monotonic()))
        except subprocess.TimeoutExpired:
            for other in processes.values():
                other.kill()
            pytest.fail(f"{role} did not finish")
        assert process.returncode == 0, f"{role}:\n{err[-3000:]}"


def results(signals: Path, role: str) -> list[dict]:
    return [json.loads((signals / f"{role}-{step}.json").read_text()) for step in range(STEPS)]


def submissions(store_path: Path, count: int) -> list[int]:
    places = checks.StorePlaces(store_path)
    raw = {
        "naam": "", "omschrijving": "Elke dinsdag koffie en soep voor ouderen in de buurt.",
        "soort": "huis_van_de_wijk", "strategie": "bridging", "actortype": ["bewoners"],
        "doelgroep": ["ouderen"], "tarief": "gratis", "tijdelijk": "nee", "geopend": "2019",
        "gesloten": "", "url": "", "buurtcode": "BU03440611", "lat": "", "lon": "",
        "contact_naam": "Sam", "contact_email": "sam@example.org", "toestemming": True, checks.HONEYPOT: "",
    }  # fmt: skip
    numbers = []
    for i in range(count):
        submission, problems = checks.check_submission({**raw, "naam": f"Bijdrage {i}"}, places)
        assert problems == []
        numbers.append(inbox.submit(submission, store_path))
    return numbers


def assert_every_confirmed_write_is_there(store_path: Path, signals: Path, numbers: list[int]) -> None:
    imports, approvals = results(signals, "import"), results(signals, "approve")
    records = wstore.read_records(store_path)
    queue = inbox.read_queue(store_path).set_index("id")
    lost = []
    for step, result in enumerate(imports):
        if result["ok"] and list(records.loc[records["bron"] == f"Register stap {step}", "naam"]) != [
            f"Import stap {step}"
        ]:
            lost.append(f"import {step}")
    for number, result in zip(numbers, approvals):
        if result["ok"] and not (
            result["record_id"] == inbox.record_id(number) in set(records["id"])
            and queue.loc[number, ["status", "record_id"]].tolist() == [inbox.APPROVED, inbox.record_id(number)]
        ):
            lost.append(f"approval {number}")
    assert lost == [], f"confirmed, then lost by the rebuild: {lost}"
    refused = [result for result in imports + approvals if not result["ok"]]
    assert refused == [], f"refused while a rebuild ran: {refused}"
    assert sorted(inbox.read_log(store_path)["bijdrage_id"]) == sorted(numbers)
    if not wstore.is_postgres(store_path):
        assert [p.name for p in Path(store_path).parent.iterdir() if ".tmp-" in p.name] == []


@pytest.fixture
def store(store_url):
    """Both tests on both backends."""
    return store_url


def writer_options(numbers: list[int], after: list[list[str]]) -> dict:
    return {"after": after, "delay": 0.3, "busy_timeout": WRITER_TIMEOUT_S, "submissions": numbers}


def test_a_rebuild_keeps_every_import_and_approval_made_while_it_runs(store, tmp_path):
    signals = tmp_path / "signals"
    signals.mkdir()
    numbers = submissions(store, STEPS)
    # Each writer writes once while the rebuild builds, once while it holds the lock to
    # swap, and once after it is done.
    after = [["rebuild-building"], ["rebuild-swapping"], ["rebuild-built"]]
    processes = {
        "rebuild": start(
            "rebuild", store, signals, name="rebuild", gemeenten=SMALL_GEMEENTEN, hold=HOLD_S,
            before_write=["import-0.json", "approve-0.json"],
        ),
        "import": start("import", store, signals, **writer_options(numbers, after)),
        "approve": start("approve", store, signals, **writer_options(numbers, after)),
    }  # fmt: skip
    finish(processes)
    assert_every_confirmed_write_is_there(store, signals, numbers)


def test_two_rebuilds_at_once_keep_what_was_written_in_between(store, tmp_path):
    """The second rebuild reaches the swap while the first holds the lock: it must carry
    over from the file the first swapped in, with what was written to it meanwhile (the
    second write of each writer, which waited for the first swap)."""
    signals = tmp_path / "signals"
    signals.mkdir()
    numbers = submissions(store, STEPS)
    after = [["first-building"], ["first-swapping"], ["second-built"]]
    processes = {
        "first": start(
            "rebuild", store, signals, name="first", gemeenten=SMALL_GEMEENTEN, hold=HOLD_S,
            before_write=["import-0.json", "approve-0.json"],
        ),
        "second": start(
            "rebuild", store, signals, name="second", gemeenten=SMALL_GEMEENTEN, hold=HOLD_S,
            before_write=[], before_swap=["first-swapping"],
        ),
        "import": start("import", store, signals, **writer_options(numbers, after)),
        "approve": start("approve", store, signals, **writer_options(numbers, after)),
    }  # fmt: skip
    finish(processes)
    assert_every_confirmed_write_is_there(store, signals, numbers)
