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
def store(small_store_path, tmp_path, monkeypatch) -> Path:
    """A private copy of the small store, set as $WIJKMAP_STORE for this test."""
    path = tmp_path / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    monkeypatch.setenv("WIJKMAP_STORE", str(path))
    return path


@pytest.fixture
def recorded_http():
    """A local server answering with recorded responses (see tests/recorded_http.py)."""
    from tests.recorded_http import serve_recorded

    with serve_recorded() as server:
        yield server
