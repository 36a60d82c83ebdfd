"""Shared fixtures: a small real store, built once per session from the bundled sources.

The store holds Utrecht (GM0344), Rotterdam (GM0599) and Amsterdam (GM0363): the
gemeenten with extra buurt statistics, the sample records and the real repair cafés.
Building it takes about 3 s; each test gets its own copy, so tests may write to it.

PostgreSQL + PostGIS (the shared-deployment backend)
----------------------------------------------------
The test command (scripts/test) starts a throwaway server with scripts/postgres and sets
$WIJKMAP_TEST_PG_URL to its admin URL (superuser, trust auth, loopback only); by hand:
``eval "$(scripts/postgres start)"`` ... ``scripts/postgres stop``.

pg_admin_url   session: that URL. Without it the tests that need the server are skipped
               with a loud reason; when $CI is set they fail instead.
pg_database    the URL of a fresh, empty database with the postgis extension (copied from
               the server's `wijkmap_template`), dropped after the test.
pg_store       a private PostgreSQL database holding the small store, set as $WIJKMAP_STORE:
               the store is copied once per session into a template database (`pg_small_store`)
               and each test gets `CREATE DATABASE ... TEMPLATE` of it (a file copy inside
               the server, well under a second).
store_url      parametrised ["gpkg", "postgis"]: `store` or `pg_store`, as a str (a file
               path, or a postgresql:// URL).

Source files read once
----------------------
Some forty tests build or rebuild a store (the CLI, rebuilds under load, imports that
rebuild), and most of each build is GDAL and pandas parsing the same bundled source files
(the national boundaries alone are 30 MB of GeoJSON). `source_files_read_once` keeps what
each file parsed into, keyed by the file's bytes, so every build after the first in a
session runs all of its own steps on frames equal to a fresh read.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

SMALL_GEMEENTEN = ["GM0344", "GM0599", "GM0363"]


@pytest.fixture(scope="session", autouse=True)
def no_users_file(tmp_path_factory):
    """No test (nor a server it starts) reads a developer's data/gebruikers.json: tests
    that want accounts point WIJKMAP_USERS at their own file."""
    mp = pytest.MonkeyPatch()
    mp.setenv("WIJKMAP_USERS", str(tmp_path_factory.mktemp("no-users") / "gebruikers.json"))
    yield
    mp.undo()


def _file_key(path: Path) -> tuple[str, int, str]:
    """What a parsed source file depends on: its bytes (a copy in another folder is the same file)."""
    data = Path(path).read_bytes()
    return Path(path).name, len(data), hashlib.sha256(data).hexdigest()


def _read_once(read, key_of):
    """`read`, remembered per key: each call gets its own deep copy; errors are not remembered."""
    seen: dict = {}

    @functools.wraps(read)
    def remembered(*args):
        key = key_of(*args)
        if key not in seen:
            seen[key] = read(*args)
        return seen[key].copy(deep=True)

    return remembered


@pytest.fixture(scope="session", autouse=True)
def source_files_read_once():
    """In this test process, a bundled CBS boundary file or figures table is parsed once per
    content, however many builds read it (see the module docstring). Only the readers that
    cbs.load_areas and cbs.load_statistics call are wrapped; tests that call the readers
    themselves (tests/data/sources/test_cbs.py, test_gebieden.py) get the real ones, and a
    build in a subprocess (the CLI tests) parses everything itself."""
    from wijkmap.data.sources.cbs import areas, tables

    mp = pytest.MonkeyPatch()
    mp.setattr(areas, "read_area_file", _read_once(areas.read_area_file, lambda path, spec: (_file_key(path), spec)))
    mp.setattr(
        tables,
        "read_table",
        _read_once(tables.read_table, lambda cbs_dir, table: (_file_key(Path(cbs_dir) / table.path), repr(table))),
    )
    yield
    mp.undo()


@pytest.fixture(scope="session")
def small_store_path(tmp_path_factory) -> Path:
    """A store of the three gemeenten, built once; treat it as read-only (use `store`)."""
    from wijkmap.data.build import build_store

    path = tmp_path_factory.mktemp("small-store") / "wijkmap.gpkg"
    build_store(path, gemeenten=SMALL_GEMEENTEN)
    return path


@pytest.fixture(scope="session")
def mixed_store_path(tmp_path_factory) -> Path:
    """A store of Utrecht (the sample), Amsterdam (real repair cafés only) and Deventer
    (GM0150: CBS figures, no provisions), built once; treat it as read-only."""
    from wijkmap.data.build import build_store

    path = tmp_path_factory.mktemp("mixed-store") / "wijkmap.gpkg"
    build_store(path, gemeenten=["GM0344", "GM0363", "GM0150"])
    return path


@pytest.fixture
def gpkg_store(small_store_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the small store, set as $WIJKMAP_STORE for this test."""
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


@pytest.fixture
def store(gpkg_store) -> Path:
    """The small store as a GeoPackage (a module may override this with `store_url` to
    run its tests on both backends)."""
    return gpkg_store


@pytest.fixture
def recorded_http():
    """A local server answering with recorded responses (see tests/recorded_http.py)."""
    from tests.recorded_http import serve_recorded

    with serve_recorded() as server:
        yield server


PG_URL_ENV = "WIJKMAP_TEST_PG_URL"
PG_TEMPLATE = "wijkmap_template"  # made by scripts/postgres: empty, with postgis


def pg_url(admin_url: str, database: str) -> str:
    """`admin_url` pointing at another database of the same server."""
    parts = urlsplit(admin_url)
    return urlunsplit(parts._replace(path=f"/{database}"))


def pg_sql(url: str, sql: str) -> str:
    """Run `sql` with psql (the server's own client: no Python driver needed for admin work)
    and return its unaligned output."""
    done = subprocess.run(
        ["psql", url, "-X", "-A", "-t", "-q", "-v", "ON_ERROR_STOP=1", "-c", sql],
        capture_output=True,
        text=True,
        timeout=120,
    )
    if done.returncode:
        raise RuntimeError(f"psql failed on {sql!r}: {done.stderr.strip()}")
    return done.stdout.strip()


@contextlib.contextmanager
def fresh_database(admin_url: str, template: str = PG_TEMPLATE, prefix: str = "test") -> Iterator[str]:
    """A new database copied from `template`, dropped (connections and all) on exit."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    pg_sql(admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    try:
        yield pg_url(admin_url, name)
    finally:
        pg_sql(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def pg_admin_url() -> str:
    """The admin URL of the test PostgreSQL server ($WIJKMAP_TEST_PG_URL, set by scripts/test)."""
    url = os.environ.get(PG_URL_ENV)
    if not url:
        why = (
            f"!!! NO POSTGRESQL: ${PG_URL_ENV} is not set, so this PostGIS test did not run. "
            'Run the test command (scripts/test), or eval "$(scripts/postgres start)" first.'
        )
        if os.environ.get("CI"):
            pytest.fail(why + " CI must test PostGIS.", pytrace=False)
        pytest.skip(why)
    try:
        pg_sql(url, "SELECT 1")
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        pytest.fail(f"the test PostgreSQL server at ${PG_URL_ENV} does not answer: {exc}", pytrace=False)
    return url


@pytest.fixture
def pg_database(pg_admin_url) -> Iterator[str]:
    """The URL of a fresh empty database with postgis, dropped after the test."""
    with fresh_database(pg_admin_url) as url:
        yield url


@pytest.fixture(scope="session")
def pg_small_store(pg_admin_url, small_store_path) -> Iterator[str]:
    """The name of a template database holding the small store, loaded once per session."""
    from wijkmap.data import backend
    from wijkmap.data.copy import copy_store

    name = f"small_store_{uuid.uuid4().hex[:8]}"
    pg_sql(pg_admin_url, f'CREATE DATABASE "{name}" TEMPLATE "{PG_TEMPLATE}"')
    try:
        copy_store(small_store_path, pg_url(pg_admin_url, name))
        backend.close_idle()  # reads keep idle connections, and a template must have none
        # No one may connect to a template while it is being copied.
        pg_sql(pg_admin_url, f'ALTER DATABASE "{name}" IS_TEMPLATE true ALLOW_CONNECTIONS false')
        yield name
    finally:
        pg_sql(pg_admin_url, f'ALTER DATABASE "{name}" IS_TEMPLATE false')
        pg_sql(pg_admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_store(pg_admin_url, pg_small_store, monkeypatch) -> Iterator[str]:
    """A private PostgreSQL database holding the small store, set as $WIJKMAP_STORE."""
    from wijkmap.data.backend import close_idle

    with fresh_database(pg_admin_url, pg_small_store, prefix="store") as url:
        monkeypatch.setenv("WIJKMAP_STORE", url)
        yield url
        close_idle(url)


@pytest.fixture(params=["gpkg", "postgis"])
def store_url(request) -> str:
    """The small store on either backend, set as $WIJKMAP_STORE: a private GeoPackage
    copy (`store`) or a private PostgreSQL database (`pg_store`); its location as a str."""
    if request.param == "gpkg":
        return str(request.getfixturevalue("gpkg_store"))
    return request.getfixturevalue("pg_store")


def pytest_collection_modifyitems(items):
    """The browser modules first. Two workers each take whole modules (--dist loadfile,
    scripts/test) in this order: the long ones go out first, and the many short modules
    after them even out the end, instead of one worker starting a long module last."""
    items.sort(key=lambda item: not item.nodeid.startswith("tests/browser/"))


def pytest_terminal_summary(terminalreporter):
    """Say loudly, below everything else, when tests of the PostGIS backend did not run."""
    skipped = terminalreporter.stats.get("skipped", [])
    missed = sum(1 for report in skipped if "NO POSTGRESQL" in str(report.longrepr))
    if missed:
        terminalreporter.write_sep("!", f"{missed} PostGIS tests SKIPPED: no PostgreSQL server", red=True, bold=True)
