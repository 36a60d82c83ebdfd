"""The store: crash safety of both write paths, reading, and what QGIS sees.

Runs on a private copy of the small real store (`store` fixture, tests/conftest.py).
"""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from pathlib import Path

import pandas as pd
import pyogrio
import pytest

from wijkmap.config import REPO_ROOT
from wijkmap.core.records import FIELDS
from wijkmap.data import store as wstore

DOM = (5.1214, 52.0907)  # lon, lat


def digest(path: Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def new_records(count: int, prefix: str = "test") -> pd.DataFrame:
    """`count` valid records near the Dom, ids prefix-0, prefix-1, ..."""
    rows = []
    for i in range(count):
        row = {field: "" for field in FIELDS}
        row.update(
            id=f"{prefix}-{i}",
            naam=f"Record {i}",
            soort="kerk",
            strategie="onbekend",
            bron="test",
            buurtcode="BU03440611",
            wijkcode="WK034406",
            gemeentecode="GM0344",
            lon=DOM[0] + i / 10_000,
            lat=DOM[1],
        )
        rows.append(row)
    return pd.DataFrame(rows, columns=FIELDS)


def whole_store(path: Path) -> dict[str, pd.DataFrame]:
    frames = {layer: wstore.read_areas(layer, path=path) for layer in wstore.area_layers(path)}
    frames["records"] = wstore.read_records(path)
    frames["statistics"] = wstore.read_statistics(path)
    frames["catalogue"] = wstore.read_catalogue(path)
    return frames


# --- (a) a failed upsert changes nothing ------------------------------------------------


def test_failure_while_preparing_rows_leaves_records_as_they_were(store, monkeypatch):
    before = wstore.read_records(store)
    real = wstore.gpkg.point_blob
    calls = []

    def failing(lon, lat):
        calls.append((lon, lat))
        if len(calls) == 3:
            raise RuntimeError("stroomstoring")
        return real(lon, lat)

    monkeypatch.setattr(wstore.gpkg, "point_blob", failing)
    with pytest.raises(RuntimeError, match="stroomstoring"):
        wstore.upsert_records(new_records(5), store)

    assert len(calls) == 3
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


def test_failure_inside_the_transaction_rolls_back_rows_already_written(store):
    """Rows 1 and 2 reach SQLite (an update of an existing record, then an insert) before
    SQLite refuses row 3 (here a trigger, as a full disk would): the whole upsert must be undone."""
    before = wstore.read_records(store)
    existing = before.iloc[[0]][FIELDS].assign(naam="Overschreven")
    batch = pd.concat([existing, new_records(1), new_records(1).assign(id="kapot")], ignore_index=True)
    with closing(sqlite3.connect(store)) as connection, connection:
        connection.execute(
            f"CREATE TRIGGER refuse BEFORE INSERT ON {wstore.RECORDS} WHEN NEW.id = 'kapot'"
            " BEGIN SELECT RAISE(ABORT, 'geweigerd'); END"
        )

    with pytest.raises(sqlite3.IntegrityError):
        wstore.upsert_records(batch, store)

    pd.testing.assert_frame_equal(wstore.read_records(store), before)


def test_a_record_without_an_id_is_refused_and_changes_nothing(store):
    """A GIS may add a feature without an id (the store's trigger gives it one); our own writers may not."""
    before = wstore.read_records(store)
    batch = new_records(3)
    batch.loc[1, "id"] = ""
    with pytest.raises(ValueError, match="zonder id"):
        wstore.upsert_records(batch, store)
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


def test_a_record_without_a_position_is_refused_and_changes_nothing(store):
    before = wstore.read_records(store)
    batch = new_records(5)
    batch.loc[2, "lon"] = None
    with pytest.raises((TypeError, ValueError)):
        wstore.upsert_records(batch, store)
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


def test_an_error_inside_a_transaction_undoes_all_of_it(store):
    before = wstore.read_records(store)
    with pytest.raises(RuntimeError, match="halverwege"), wstore.transaction(store) as connection:
        wstore.upsert_records(new_records(2), connection=connection)
        wstore.delete_records([before["id"].iloc[0]], connection)
        raise RuntimeError("halverwege")
    pd.testing.assert_frame_equal(wstore.read_records(store), before)
    assert wstore.upsert_records(new_records(1), store) == (1, 0)  # and the lock is free again


CRASHING_IMPORT = """
import os, signal, sys
from wijkmap.data import store
from wijkmap.cli import main
real = store._write_rows
def crash(connection, rows):  # every row written, the commit not yet
    real(connection, rows)
    os.kill(os.getpid(), signal.SIGKILL)
store._write_rows = crash
main(["import", sys.argv[1], "--bron", "Register crash"])
"""


def test_a_process_killed_mid_import_leaves_the_store_as_it_was(store, tmp_path):
    before = wstore.read_records(store)
    register = tmp_path / "register.csv"
    register.write_text("Naam;Soort;Lat;Lon\nHuiskamer Dom;huis_van_de_wijk;52,0907;5,1214\n", encoding="utf-8")
    env = {**os.environ, "WIJKMAP_STORE": str(store), "PYTHONPATH": str(REPO_ROOT / "src")}
    done = subprocess.run(
        [sys.executable, "-c", CRASHING_IMPORT, str(register)], env=env, capture_output=True, timeout=120
    )
    assert done.returncode == -signal.SIGKILL, done.stderr

    pd.testing.assert_frame_equal(wstore.read_records(store), before)
    from wijkmap.data import batches

    assert batches.list_batches(store) == []  # nor half a batch in the history
    with sqlite3.connect(store) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert wstore.upsert_records(new_records(1), store) == (1, 0)


def test_upsert_inserts_then_updates(store):
    before = len(wstore.read_records(store))
    assert wstore.upsert_records(new_records(3), store) == (3, 0)
    changed = new_records(3).assign(naam="Nieuwe naam")
    assert wstore.upsert_records(changed, store) == (0, 3)
    records = wstore.read_records(store, bron="test")
    assert len(wstore.read_records(store)) == before + 3
    assert set(records["naam"]) == {"Nieuwe naam"}


# --- (b) a failed rebuild leaves the old file ------------------------------------------


@pytest.fixture
def store_contents(store):
    frames = whole_store(store)
    areas = {layer: frame for layer, frame in frames.items() if layer not in ("records", "statistics", "catalogue")}
    return areas, frames["statistics"], frames["catalogue"], frames["records"]


def test_failure_while_writing_layers_leaves_the_old_store_untouched(store, store_contents, monkeypatch):
    areas, statistics, catalogue, records = store_contents
    assert len(areas) >= 3
    before = digest(store)
    real = pyogrio.write_dataframe
    layers = []

    def failing(frame, path, *args, **kwargs):
        layers.append(kwargs.get("layer"))
        if len(layers) == 3:
            raise OSError("schijf vol")
        return real(frame, path, *args, **kwargs)

    monkeypatch.setattr(pyogrio, "write_dataframe", failing)
    with pytest.raises(OSError, match="schijf vol"):
        wstore.write_store(store, areas, statistics, catalogue, records)

    assert len(layers) == 3
    assert digest(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["wijkmap.gpkg"]


def test_failure_while_writing_records_leaves_the_old_store_untouched(store, store_contents, monkeypatch):
    """The last step (the records, in SQLite) fails after every layer was written."""
    areas, statistics, catalogue, records = store_contents
    before = digest(store)

    def failing(connection, frame):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(wstore, "_upsert", failing)
    with pytest.raises(sqlite3.OperationalError):
        wstore.write_store(store, areas, statistics, catalogue, records)

    assert digest(store) == before
    assert sorted(p.name for p in store.parent.iterdir()) == ["wijkmap.gpkg"]


def test_rewriting_a_store_keeps_its_content_and_leaves_no_temporary_files(store, store_contents):
    areas, statistics, catalogue, records = store_contents
    before = whole_store(store)
    wstore.write_store(store, areas, statistics, catalogue, records)
    after = whole_store(store)
    assert before.keys() == after.keys()
    for name in before:
        pd.testing.assert_frame_equal(after[name], before[name], obj=name)
    assert sorted(p.name for p in store.parent.iterdir()) == ["wijkmap.gpkg"]


def test_a_rebuild_removes_temporary_files_of_dead_builds_only(store, store_contents):
    """kill -9 of `build-data` leaves its temporary store (and journals) next to the store;
    the temporary store of a build that still runs must stay."""
    finished = subprocess.Popen([sys.executable, "-c", "pass"])
    finished.wait()  # its pid is free again: that build is dead
    running = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(120)"])
    dead, live = finished.pid, running.pid
    stale = [
        f"wijkmap.tmp-{dead}.gpkg", f"wijkmap.tmp-{dead}.gpkg-journal",
        f"wijkmap.tmp-{dead}-0a1b2c3d.gpkg", f"wijkmap.tmp-{dead}-0a1b2c3d.gpkg-wal",
        f"wijkmap.tmp-{dead}-0a1b2c3d.gpkg-shm",
    ]  # fmt: skip
    kept = [f"wijkmap.tmp-{live}-99aa88bb.gpkg", f"wijkmap.tmp-{live}-99aa88bb.gpkg-journal",
            f"ander.tmp-{dead}.gpkg", "wijkmap.tmp-notities.txt"]  # fmt: skip
    for name in stale + kept:
        (store.parent / name).write_bytes(b"half geschreven")
    try:
        wstore.write_store(store, *store_contents)
    finally:
        running.kill()
        running.wait()
    assert sorted(p.name for p in store.parent.iterdir()) == sorted(["wijkmap.gpkg", *kept])


# --- (c) reading areas of one gemeente --------------------------------------------------


@pytest.mark.parametrize("layer", ["buurt_2015", "wijk_2015", "wijk_2024", "gemeente_2023"])
def test_read_areas_of_one_gemeente(store, layer):
    everything = wstore.read_areas(layer)
    rotterdam = wstore.read_areas(layer, gemeentecode="GM0599")
    assert len(rotterdam) > 0
    assert set(rotterdam["gemeentecode"]) == {"GM0599"}
    assert len(rotterdam) == int((everything["gemeentecode"] == "GM0599").sum())
    assert set(everything["gemeentecode"]) == {"GM0344", "GM0599", "GM0363"}
    assert rotterdam.geometry.name == "geometry" and rotterdam.crs.to_epsg() == 4326


def test_read_areas_refuses_a_code_that_is_not_one(store):
    with pytest.raises(ValueError):
        wstore.read_areas("buurt_2015", gemeentecode="GM0344' OR '1'='1")


def test_read_records_filters(store):
    records = wstore.read_records(store, gemeentecode="GM0363", bron="Repair Cafés in Amsterdam")
    assert len(records) > 0
    assert set(records["gemeentecode"]) == {"GM0363"}
    assert list(records["id"]) == sorted(records["id"])


# --- (d) a missing store says what to do -------------------------------------------------


def test_all_statistics_read_as_the_filtered_ones_do(store):
    """The whole table comes through GDAL (fast), a filtered read through SQL: the same
    rows, values, order and types."""
    everything = wstore.read_statistics(store)
    indicator = everything["indicator"].iloc[len(everything) // 2]
    pd.testing.assert_frame_equal(
        everything[everything["indicator"] == indicator].reset_index(drop=True),
        wstore.read_statistics(store, indicator=indicator),
    )
    assert len(everything["indicator"].unique()) > 1


def test_store_missing_is_dutch_and_names_the_build_command(tmp_path, monkeypatch):
    missing = tmp_path / "nergens" / "wijkmap.gpkg"
    monkeypatch.setenv("WIJKMAP_STORE", str(missing))
    assert wstore.store_path() == missing
    calls = [
        wstore.read_records,
        wstore.read_statistics,
        wstore.read_catalogue,
        wstore.area_layers,
        lambda: wstore.read_areas("buurt_2015"),
        lambda: wstore.upsert_records(new_records(1)),
    ]
    for call in calls:
        with pytest.raises(wstore.StoreMissing) as raised:
            call()
        assert isinstance(raised.value, FileNotFoundError)
        assert str(raised.value) == (f"Geen gegevensbestand op {missing}. Maak het met: python -m wijkmap build-data")
    assert not missing.exists() and not missing.parent.exists()  # reading never creates it


# --- (e) what GDAL and QGIS see --------------------------------------------------------


def test_the_store_is_a_geopackage_with_a_point_layer_of_records(store):
    layers = dict(pyogrio.list_layers(store).tolist())
    assert layers[wstore.RECORDS] == "Point"
    for layer in ("buurt_2015", "wijk_2015", "gemeente_2015", "gemeente_2023", "gemeente_2025", "wijk_2024"):
        assert layers[layer] in ("Polygon", "MultiPolygon"), layer
    assert layers[wstore.STATISTICS] is None and layers[wstore.CATALOGUE] is None  # plain tables

    info = pyogrio.read_info(store, layer=wstore.RECORDS)
    records = wstore.read_records(store)
    assert info["crs"] == "EPSG:4326"
    assert info["geometry_type"] == "Point"
    assert info["features"] == len(records) > 500
    assert set(FIELDS) <= set(info["fields"])

    frame = pyogrio.read_dataframe(store, layer=wstore.RECORDS)
    assert frame.crs.to_epsg() == 4326
    frame = frame.sort_values("id").reset_index(drop=True)
    assert list(frame["id"]) == list(records["id"])
    assert (frame.geometry.x - frame["lon"]).abs().max() < 1e-9
    assert (frame.geometry.y - frame["lat"]).abs().max() < 1e-9


def test_records_imported_later_are_seen_by_gdal(store):
    wstore.upsert_records(new_records(2), store)
    frame = pyogrio.read_dataframe(store, layer=wstore.RECORDS, where="bron = 'test'")
    assert sorted(frame["id"]) == ["test-0", "test-1"]
    assert frame.geometry.iloc[0].x == pytest.approx(DOM[0])
    assert pyogrio.read_info(store, layer=wstore.RECORDS)["features"] == len(wstore.read_records(store))
