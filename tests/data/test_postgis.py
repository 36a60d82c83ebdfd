"""The PostgreSQL/PostGIS store (data/postgis.py, data/backend.py) and `store copy` (data/copy.py).

The same operations on both backends are tested where they are used (test_batches,
test_audit, contributions/test_model, test_cli*: `store_url`); here what only PostgreSQL
has: the frames equal to the GeoPackage's, the version row every process reads, the
schema swap of a rebuild, what a GIS edit gets, the password never shown, and the copy
between the two with its check. Needs WIJKMAP_TEST_PG_URL (tests/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import closing

import pandas as pd
import pytest

from tests.conftest import SMALL_GEMEENTEN
from wijkmap.cli import main
from wijkmap.contributions import checks, inbox
from wijkmap.data import backend, batches, store as wstore
from wijkmap.data.copy import CopyError, copy_store, summary

SRC = os.path.join(os.path.dirname(__file__), "..", "..", "src")


@pytest.fixture
def empty_database(pg_database):
    """A new database with PostGIS and no store; its URL."""
    yield pg_database
    backend.close_idle(pg_database)


def _plain(frame) -> pd.DataFrame:
    return pd.DataFrame(frame.drop(columns="geometry"))


def test_both_backends_read_the_same_frames(pg_store, small_store_path):
    gpkg, pg = small_store_path, pg_store
    assert wstore.area_layers(pg) == wstore.area_layers(gpkg) and wstore.layer_counts(pg) == wstore.layer_counts(gpkg)
    for layer in wstore.area_layers(gpkg):
        ours, theirs = wstore.read_areas(layer, path=gpkg), wstore.read_areas(layer, path=pg)
        pd.testing.assert_frame_equal(_plain(theirs), _plain(ours))
        assert theirs.crs == ours.crs and theirs.geometry.geom_equals_exact(ours.geometry, 0).all(), layer
        pd.testing.assert_frame_equal(wstore.read_area_names(layer, pg), wstore.read_area_names(layer, gpkg))
    pd.testing.assert_frame_equal(
        _plain(wstore.read_areas("buurt_2015", "GM0599", pg)), _plain(wstore.read_areas("buurt_2015", "GM0599", gpkg))
    )
    box = (4.85, 52.05, 5.2, 52.2)  # around Utrecht; the file's R-tree gives another order
    in_box = [wstore.read_areas_in("buurt_2015", box, where).sort_values("code") for where in (pg, gpkg)]
    assert len(in_box[0]) > 50 and list(in_box[0]["code"]) == list(in_box[1]["code"])
    pd.testing.assert_frame_equal(wstore.read_statistics(pg), wstore.read_statistics(gpkg))
    pd.testing.assert_frame_equal(
        wstore.read_statistics(pg, indicator="a_inw", codes=["GM0344", "GM0599"]),
        wstore.read_statistics(gpkg, indicator="a_inw", codes=["GM0344", "GM0599"]),
    )
    pd.testing.assert_frame_equal(wstore.read_catalogue(pg), wstore.read_catalogue(gpkg))
    pd.testing.assert_frame_equal(_plain(wstore.read_records(pg)), _plain(wstore.read_records(gpkg)))
    pd.testing.assert_frame_equal(
        _plain(wstore.read_records(pg, gemeentecode="GM0363")), _plain(wstore.read_records(gpkg, gemeentecode="GM0363"))
    )


def _version_elsewhere(url: str) -> tuple:
    """data_version as another process (another app server) reads it."""
    code = "import sys; from wijkmap.data import store; print(repr(store.data_version(sys.argv[1])))"
    done = subprocess.run(
        [sys.executable, "-c", code, url], capture_output=True, text=True, check=True,
        env={**os.environ, "PYTHONPATH": SRC},
    )  # fmt: skip
    return eval(done.stdout)  # noqa: S307 - our own repr of a tuple


def test_every_write_changes_the_version_every_process_reads_and_reads_do_not(pg_store):
    first = wstore.data_version(pg_store)
    wstore.read_records(pg_store)
    assert wstore.data_version(pg_store) == first == _version_elsewhere(pg_store)
    with pytest.raises(RuntimeError), wstore.transaction(pg_store) as connection:
        connection.execute("UPDATE voorzieningen SET naam = 'weg' WHERE id = (SELECT MIN(id) FROM voorzieningen)")
        raise RuntimeError("teruggedraaid")
    assert wstore.data_version(pg_store) == first, "a rolled-back write changes nothing"
    number = inbox.submit(checks.check_submission(_form(), checks.StorePlaces(pg_store))[0], pg_store)
    after_submit = wstore.data_version(pg_store)
    assert after_submit != first and _version_elsewhere(pg_store) == after_submit
    inbox.approve(number, "Anna", pg_store)
    assert wstore.data_version(pg_store) != after_submit
    assert backend.masked(pg_store) == wstore.data_version(pg_store)[0]


def _form(**overrides) -> dict:
    from tests.contributions.test_model import form

    return form(**overrides)


def _schemas(url: str) -> list[str]:
    with closing(backend.connect_postgres(url)) as connection:
        rows = connection.execute("SELECT nspname FROM pg_namespace WHERE nspname LIKE 'wijkmap%' ORDER BY 1")
        return [row[0] for row in rows]


def test_a_rebuild_swaps_in_a_new_schema_and_carries_ids_version_and_writes_on(pg_store):
    from wijkmap.data.build import build_store

    places = checks.StorePlaces(pg_store)
    number = inbox.submit(checks.check_submission(_form(), places)[0], pg_store)
    inbox.approve(number, "Anna", pg_store)
    inbox.reject(
        inbox.submit(checks.check_submission(_form(naam="Tweede"), places)[0], pg_store), "Bert", "dubbel", pg_store
    )
    before = wstore.data_version(pg_store)[1]

    build_store(pg_store, gemeenten=SMALL_GEMEENTEN)

    assert _schemas(pg_store) == ["wijkmap"], "no build or retired schema is left behind"
    assert wstore.data_version(pg_store)[1] > before
    assert inbox.record_id(number) in set(wstore.read_records(pg_store)["id"])
    assert list(inbox.read_log(pg_store)["actie"]) == ["afgewezen", "goedgekeurd"]
    assert inbox.submit(checks.check_submission(_form(), places)[0], pg_store) == number + 2, "ids are never reused"


def test_a_build_that_fails_leaves_the_store_and_no_schema_behind(pg_store, monkeypatch):
    from wijkmap.data import postgis
    from wijkmap.data.build import build_store

    before = summary(pg_store)

    def broken(*args, **kwargs):
        raise RuntimeError("schijf vol")

    monkeypatch.setattr(postgis, "_swap_in", broken)
    with pytest.raises(RuntimeError):
        build_store(pg_store, gemeenten=SMALL_GEMEENTEN)
    assert _schemas(pg_store) == ["wijkmap"] and summary(pg_store) == before


def test_a_gis_edit_in_postgis_gets_an_id_and_bron_and_a_moved_point_loses_its_codes(pg_store):
    with closing(wstore.connect(pg_store)) as connection:  # as QGIS writes: plain SQL, no id, no bron
        connection.execute(
            "INSERT INTO voorzieningen (geom, naam) VALUES (ST_SetSRID(ST_MakePoint(5.12, 52.09), 4326), 'Uit QGIS')"
        )
        moved = connection.execute("SELECT MIN(id) FROM voorzieningen WHERE bron = 'voorbeeld'").fetchone()[0]
        connection.execute(
            "UPDATE voorzieningen SET geom = ST_SetSRID(ST_MakePoint(4.48, 51.92), 4326) WHERE id = ?", [moved]
        )
    records = wstore.read_records(pg_store).set_index("id")
    added = records[records["naam"] == "Uit QGIS"].iloc[0]
    assert added.name.startswith(wstore.GIS_ID_PREFIX) and added["bron"] == wstore.GIS_BRON
    assert (added["lon"], added["lat"]) == (5.12, 52.09)
    assert (records.loc[moved, "lon"], records.loc[moved, "lat"]) == (4.48, 51.92)
    assert records.loc[moved, ["buurtcode", "wijkcode", "gemeentecode"]].tolist() == ["", "", ""]


def test_the_password_is_never_shown(capsys, monkeypatch):
    url = "postgresql://wijkmap:geheim-wachtwoord@127.0.0.1:1/wijkmap"
    assert backend.masked(url) == "postgresql://wijkmap:***@127.0.0.1:1/wijkmap"
    with pytest.raises(backend.StoreUnreachable) as refused:
        wstore.read_records(url)
    assert "geheim" not in str(refused.value) and "127.0.0.1:1" in str(refused.value)
    monkeypatch.setenv("WIJKMAP_STORE", url)
    assert main(["imports"]) == 1
    out, err = capsys.readouterr()
    assert "niet bereikbaar" in err and "geheim" not in out + err


def test_the_password_may_come_from_streamlit_secrets():
    environ = {"WIJKMAP_STORE": "postgresql://wijkmap@db:5432/wijkmap"}
    assert backend.use_password_from({"wijkmap": {"store_password": "uit-secrets"}}, environ)
    assert environ["PGPASSWORD"] == "uit-secrets"
    given = {"WIJKMAP_STORE": "postgresql://wijkmap:in-url@db:5432/wijkmap"}
    assert not backend.use_password_from({"wijkmap": {"store_password": "uit-secrets"}}, given)
    assert "PGPASSWORD" not in given, "the URL's own password wins"


def test_store_copy_goes_to_postgis_and_back_with_everything_the_app_wrote(store, tmp_path, empty_database, capsys):
    places = checks.StorePlaces(store)
    number = inbox.submit(checks.check_submission(_form(), places)[0], store, sender="abc")
    inbox.approve(number, "Anna", store)
    stored = wstore.read_records(store)
    batches.confirm([stored[stored["bron"] == inbox.BRON]["id"].iloc[0]], account="anna", path=store)
    original = summary(store)
    assert {inbox.QUEUE, batches.BATCH_TABLE, "auditlog"} <= set(original.tables)

    assert main(["store", "copy", str(store), empty_database]) == 0
    out = capsys.readouterr().out
    assert f"naar {empty_database}" in out and "bijdrage_wachtrij: 1 rijen" in out and "(gelijk)" in out
    assert summary(empty_database).tables == original.tables
    back = tmp_path / "terug.gpkg"
    copy_store(empty_database, back)
    assert summary(back).tables == original.tables
    records = wstore.read_records(back)
    assert inbox.record_id(number) in set(records["id"])
    # The copies carry on: undo works there, and the next submission gets the next number.
    assert batches.list_batches(empty_database)[0].soort == "bevestiging"
    assert (
        inbox.submit(checks.check_submission(_form(), checks.StorePlaces(empty_database))[0], empty_database)
        == number + 1
    )

    assert main(["store", "copy", str(store), empty_database]) == 1
    assert "kies --vervang" in capsys.readouterr().err
    assert main(["store", "copy", str(store), empty_database, "--vervang"]) == 0
    assert summary(empty_database).tables == original.tables


def test_the_check_of_a_copy_sees_one_changed_value(store, empty_database):
    copy_store(store, empty_database)
    with wstore.transaction(empty_database) as connection:
        connection.execute("UPDATE statistiek SET waarde = waarde + 1 WHERE fid = 1")
    different = summary(store).differences(summary(empty_database))
    rows = summary(store).tables["statistiek"][0]
    assert different == [f"statistiek: {rows} rijen tegen {rows} rijen, andere inhoud"]
    with pytest.raises(CopyError, match="Van en naar"):
        copy_store(store, str(store))
