"""Shared fixtures: a small real store, built once per session from the bundled sources.

The store holds Utrecht (GM0344), Rotterdam (GM0599) and Amsterdam (GM0363): the
gemeenten with extra buurt statistics, the sample records and the real repair cafés.
Building it takes about 3 s; each test gets its own copy, so tests may write to it.
"""

from __future__ import annotations

import shutil
from pathlib import Path

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


# --- both backends ---------------------------------------------------------------------------
# WIJKMAP_TEST_PG_URL: an admin URL of a running PostgreSQL server with PostGIS installed
# (e.g. postgresql://postgres@localhost:55432/postgres). Without it the "postgis" runs are
# skipped. scripts/test starts a throwaway server and sets it (issue 15).
PG_URL_ENV = "WIJKMAP_TEST_PG_URL"


def _database_url(admin_url: str, database: str) -> str:
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(admin_url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{database}", parts.query, parts.fragment))


def _admin(admin_url: str, *statements: str) -> None:
    import psycopg

    with psycopg.connect(admin_url, autocommit=True) as connection:
        for statement in statements:
            connection.execute(statement)


@pytest.fixture(scope="session")
def pg_template(small_store_path):
    """A database holding the small store, built once per session; tests get copies of it
    (CREATE DATABASE ... TEMPLATE). None when no server is configured."""
    import os
    import secrets

    admin_url = os.environ.get(PG_URL_ENV)
    if not admin_url:
        yield None
        return
    from wijkmap.data.copy import copy_store

    name = f"wijkmap_test_tpl_{secrets.token_hex(4)}"
    _admin(admin_url, f"CREATE DATABASE {name}")
    url = _database_url(admin_url, name)
    _admin(url, "CREATE EXTENSION IF NOT EXISTS postgis")
    copy_store(small_store_path, url)
    from wijkmap.data.backend import close_idle

    close_idle()  # a template database must have no connections
    yield admin_url, name
    close_idle()
    _admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture
def pg_store(pg_template, monkeypatch) -> str:
    """A private PostgreSQL database holding the small store, set as $WIJKMAP_STORE."""
    import secrets

    if pg_template is None:
        pytest.skip(f"geen PostgreSQL-server voor de tests: zet {PG_URL_ENV}")
    admin_url, template = pg_template
    name = f"wijkmap_test_{secrets.token_hex(4)}"
    _admin(admin_url, f"CREATE DATABASE {name} TEMPLATE {template}")
    url = _database_url(admin_url, name)
    monkeypatch.setenv("WIJKMAP_STORE", url)
    yield url
    from wijkmap.data.backend import close_idle

    close_idle(url)
    _admin(admin_url, f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


@pytest.fixture(params=["gpkg", "postgis"])
def store_url(request) -> str:
    """The small store on either backend, set as $WIJKMAP_STORE: a private GeoPackage
    copy (`store`) or a private PostgreSQL database (`pg_store`); its location as a str."""
    if request.param == "gpkg":
        return str(request.getfixturevalue("gpkg_store"))
    return request.getfixturevalue("pg_store")
