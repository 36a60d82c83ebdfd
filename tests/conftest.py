"""Shared fixtures: a small real store, built once per session from the bundled sources.

The store holds Utrecht (GM0344), Rotterdam (GM0599) and Amsterdam (GM0363): the
gemeenten with extra buurt statistics, the sample records and the real repair cafés.
Building it takes about 3 s; each test gets its own copy, so tests may write to it.

Some forty tests build or rebuild a store (the CLI, rebuilds under load, imports that
rebuild), and most of each build is GDAL and pandas parsing the same bundled source files
(the national boundaries alone are 30 MB of GeoJSON). `source_files_read_once` keeps what
each file parsed into, keyed by the file's bytes, so every build after the first in a
session runs all of its own steps on frames equal to a fresh read.
"""

from __future__ import annotations

import functools
import hashlib
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
