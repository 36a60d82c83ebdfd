"""Batches (data/batches.py): an import as one batch, its plan, the history, and undo that
restores the whole records table exactly, or refuses and says why.

Runs on both backends: a private copy of the small real store as a GeoPackage and as a
PostgreSQL database (`store_url`, tests/conftest.py).
"""

from __future__ import annotations

import threading
import time
from contextlib import closing
from pathlib import Path

import pandas as pd
import pytest

from wijkmap.data import audit, batches, placement, store as wstore
from wijkmap.data.sources.register import read_register

BRON = "Register Testgemeente"
# cp1252, semicolons, comma decimals: a register as Excel saves it on a Dutch Windows machine.
REGISTER = (
    "id;Naam;Soort;Strategie;Geopend;Lat;Lon\n"
    "t-1;Huiskamer Dom;huis_van_de_wijk;bridging;2018;52,0907;5,1214\n"
    "t-2;Voedselbank Zuid;voedselbank;;2012;51,8890;4,4970\n"
    "t-3;Café Één;repair_cafe;;2015;52,3731;4,8922\n"
)


@pytest.fixture
def store(store_url):
    """Every test here on both backends."""
    return store_url


def records_table(path) -> list[tuple]:
    """The whole records table as the store holds it: fid, geometry blob, every field."""
    with closing(wstore.connect(path)) as connection:
        query = f"SELECT fid, {wstore.row_columns(connection)} FROM {wstore.RECORDS} ORDER BY fid"
        return [tuple(row) for row in connection.execute(query).fetchall()]


def register(tmp_path: Path, text: str = REGISTER, name: str = "register.csv") -> pd.DataFrame:
    path = tmp_path / name
    path.write_bytes(text.encode("cp1252"))
    stored = wstore.read_records()
    result = read_register(path, placement.buurten(), bron=BRON, id_owners=dict(zip(stored["id"], stored["bron"])))
    assert result.problems == []
    return result.records


def ours(path: Path | None = None) -> pd.DataFrame:
    return wstore.read_records(path, bron=BRON).set_index("id")


def test_an_import_is_one_batch_in_the_history_and_in_the_audit_log(store, tmp_path):
    records = register(tmp_path)
    plan = batches.plan_import(records)
    assert (len(plan.new), len(plan.updated), len(plan.unchanged), len(plan.missing)) == (3, 0, 0, 0)

    batch = batches.import_batch(records, bestand="register.csv", account="anna", batch_id="voorjaar-2026")

    assert (batch.id, batch.soort, batch.account, batch.bestand, batch.bron) == (
        "voorjaar-2026", "import", "anna", "register.csv", BRON,
    )  # fmt: skip
    assert (batch.nieuw, batch.bijgewerkt, batch.ongewijzigd, batch.gesloten) == (3, 0, 0, 0)
    assert batches.list_batches() == [batch] and batches.get_batch("voorjaar-2026") == batch
    assert set(ours()["laatst_gecontroleerd"]) == {pd.Timestamp.today().date().isoformat()}
    with closing(wstore.connect(store)) as connection:
        line = audit.read(connection, "batch").iloc[0]
    assert (line.account, line.actie, line.onderwerp_id) == ("anna", "import", "voorjaar-2026")
    assert "register.csv: 3 nieuw" in line.toelichting


def test_generated_batch_ids_are_dated_and_names_are_checked(store, tmp_path):
    records = register(tmp_path)
    batch = batches.import_batch(records, bestand="register.csv", account="anna")
    assert len(batch.id) == len("20260301-120000-abcd") and batch.id[8] == "-"
    for wrong in ("", "met spatie", "-voor", "x" * 65, "a/b", batch.id):
        with pytest.raises(batches.BatchError):
            batches.import_batch(records, bestand="register.csv", account="anna", batch_id=wrong)
    with pytest.raises(batches.BatchError, match="account"):
        batches.import_batch(records, bestand="register.csv", account=" ")
    assert len(batches.list_batches()) == 1


def test_undo_of_a_first_import_restores_the_whole_records_table(store, tmp_path):
    before = records_table(store)
    batch = batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")

    undone = batches.undo(batch.id, account="bert")

    assert records_table(store) == before
    assert undone.ongedaan and undone.ongedaan_door == "bert"
    assert batches.get_batch(batch.id) == undone
    with pytest.raises(batches.BatchError, match="al ongedaan"):
        batches.undo(batch.id, account="bert")
    with pytest.raises(batches.BatchError, match="geen batch"):
        batches.undo("bestaat-niet", account="bert")


def test_a_second_import_updates_closes_and_its_undo_restores_exactly(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna", checked="2025-01-15")
    before = records_table(store)
    second = (
        REGISTER.replace("Huiskamer Dom", "Huiskamer aan de Dom").replace(
            "t-3;Café Één;repair_cafe;;2015;52,3731;4,8922\n", ""
        )
        + "t-4;Nieuw;kerk;;2020;52,09;5,12\n"
    )
    records = register(tmp_path, second, "register2.csv")

    plan = batches.plan_import(records)
    assert list(plan.new["id"]) == ["t-4"] and list(plan.updated["id"]) == ["t-1"]
    assert list(plan.unchanged["id"]) == ["t-2"] and list(plan.missing["id"]) == ["t-3"]
    batch = batches.import_batch(records, bestand="register2.csv", account="anna", close_missing="2026-01-31")

    assert (batch.nieuw, batch.bijgewerkt, batch.ongewijzigd, batch.gesloten) == (1, 1, 1, 1)
    after = ours()
    assert after.loc["t-3", "gesloten"] == "2026-01-31"  # closed, never deleted
    assert after.loc["t-1", "naam"] == "Huiskamer aan de Dom"
    assert after.loc["t-2", "laatst_gecontroleerd"] == pd.Timestamp.today().date().isoformat()
    assert after.loc["t-3", "laatst_gecontroleerd"] == "2025-01-15"  # not in the file: not confirmed

    batches.undo(batch.id, account="anna")
    assert records_table(store) == before


def test_missing_records_stay_open_unless_closing_is_asked(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    shorter = register(tmp_path, REGISTER.rsplit("t-3", 1)[0], "kort.csv")
    batch = batches.import_batch(shorter, bestand="kort.csv", account="anna")
    assert batch.gesloten == 0 and ours().loc["t-3", "gesloten"] == ""
    with pytest.raises(batches.BatchError, match="vóór de opening"):
        batches.import_batch(shorter, bestand="kort.csv", account="anna", close_missing="2014-01-01")
    with pytest.raises(batches.BatchError, match="geen geldige dag"):
        batches.import_batch(shorter, bestand="kort.csv", account="anna", close_missing="2026")


def test_undo_is_refused_when_a_later_batch_changed_a_record_and_names_it(store, tmp_path):
    first = batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    changed = register(tmp_path, REGISTER.replace("Huiskamer Dom", "Huiskamer Twee"), "twee.csv")
    second = batches.import_batch(changed, bestand="twee.csv", account="anna", batch_id="tweede")
    state = records_table(store)

    with pytest.raises(batches.BatchError) as refused:
        batches.undo(first.id, account="anna")
    assert "t-1 door batch tweede" in str(refused.value) and "Maak eerst de latere batch ongedaan" in str(refused.value)
    assert records_table(store) == state

    batches.undo(second.id, account="anna")
    batches.undo(first.id, account="anna")  # now it can
    assert ours().empty


def test_undo_is_refused_after_a_gis_edit(store, tmp_path):
    batch = batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    with closing(wstore.connect(store)) as connection, connection:  # as QGIS writes: plain SQL
        connection.execute(f"UPDATE {wstore.RECORDS} SET naam = 'In QGIS' WHERE id = 't-2'")
    with pytest.raises(batches.BatchError, match="t-2 buiten een batch om"):
        batches.undo(batch.id, account="anna")


def test_batches_survive_a_rebuild_and_undo_still_works_after_it(store, tmp_path):
    from wijkmap.data.build import build_store

    before = wstore.read_records(store)
    batch = batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    build_store(store, gemeenten=["GM0344", "GM0599", "GM0363"])

    assert batches.get_batch(batch.id) == batch
    batches.undo(batch.id, account="anna")
    pd.testing.assert_frame_equal(wstore.read_records(store), before)


def test_a_crash_mid_batch_leaves_the_store_as_it_was(store, tmp_path, monkeypatch):
    before = records_table(store)

    def broken(*args, **kwargs):
        raise RuntimeError("stroom uitgevallen")

    monkeypatch.setattr(audit, "log", broken)  # the last step of a batch
    with pytest.raises(RuntimeError):
        batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    assert records_table(store) == before and batches.list_batches() == []


def test_a_second_writer_waits_for_the_first_instead_of_interleaving(store, tmp_path):
    records = register(tmp_path)
    done: list[str] = []
    with wstore.transaction(store):  # another process holds the write lock
        writer = threading.Thread(
            target=lambda: done.append(batches.import_batch(records, bestand="r.csv", account="anna").id)
        )
        writer.start()
        time.sleep(0.5)
        assert done == [] and ours().empty
    writer.join(10)
    assert len(done) == 1 and len(ours()) == 3


def test_an_old_store_without_laatst_gecontroleerd_gains_it_on_the_first_write(store, tmp_path):
    with closing(wstore.connect(store)) as connection, connection:
        connection.execute(f"ALTER TABLE {wstore.RECORDS} DROP COLUMN laatst_gecontroleerd")
    assert set(wstore.read_records(store)["laatst_gecontroleerd"]) == {""}
    assert len(batches.plan_import(register(tmp_path)).new) == 3, "the plan (the beheer page's preview) reads it too"

    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna", checked="2026-02-01")
    assert set(ours()["laatst_gecontroleerd"]) == {"2026-02-01"}


def test_undo_after_a_re_placement_is_allowed_and_places_what_returns_again(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    changed = register(tmp_path, REGISTER.replace("Huiskamer Dom", "Huiskamer Twee"), "twee.csv")
    second = batches.import_batch(changed, bestand="twee.csv", account="anna")
    placed = ours().loc["t-1", ["buurtcode", "wijkcode", "gemeentecode"]].tolist()
    with wstore.transaction(store) as connection:  # what placement.place_again writes after a new indeling
        connection.execute(f"UPDATE {wstore.RECORDS} SET buurtcode = 'BU99999999' WHERE id = 't-1'")

    batches.undo(second.id, account="anna")

    assert ours().loc["t-1", "naam"] == "Huiskamer Dom"
    assert ours().loc["t-1", ["buurtcode", "wijkcode", "gemeentecode"]].tolist() == placed


def test_edit_checks_like_the_importer_and_is_a_batch_that_can_be_undone(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    before = records_table(store)

    batch = batches.edit_record({"id": "t-2", "naam": "Voedselbank Rotterdam-Zuid", "soort": "Voedselbank"},
                                account="bert")  # fmt: skip

    assert (batch.soort, batch.bijgewerkt, batch.bestand) == ("bewerking", 1, "")
    assert ours().loc["t-2", ["naam", "soort"]].tolist() == ["Voedselbank Rotterdam-Zuid", "voedselbank"]
    with pytest.raises(batches.BatchError) as refused:
        batches.edit_record({"id": "t-2", "soort": "vrijwilligersorganisatei", "url": "ftp://x"}, account="bert")
    assert "soort “vrijwilligersorganisatei”: onbekende waarde" in str(refused.value)
    assert "url “ftp://x”" in str(refused.value)
    with pytest.raises(batches.BatchError, match="geen enkele buurt"):
        batches.edit_record({"id": "t-2", "lon": "2,0", "lat": "48,8"}, account="bert")
    with pytest.raises(batches.BatchError, match="niet bewerkt"):
        batches.edit_record({"id": "t-2", "bron": "Iets anders"}, account="bert")
    with pytest.raises(batches.BatchError, match="Onbekende record"):
        batches.edit_record({"id": "t-9", "naam": "X"}, account="bert")
    with pytest.raises(batches.BatchError, match="niets gewijzigd"):
        batches.edit_record({"id": "t-2", "naam": "Voedselbank Rotterdam-Zuid"}, account="bert")

    batches.undo(batch.id, account="bert")
    assert records_table(store) == before


def test_an_edit_that_moves_a_record_places_it_again(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna")
    batches.edit_record({"id": "t-1", "lon": "4,4970", "lat": "51,8890"}, account="bert")  # to Rotterdam
    assert ours().loc["t-1", "gemeentecode"] == "GM0599"


def test_confirm_and_close_are_batches_and_refuse_bundled_records(store, tmp_path):
    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna", checked="2024-05-01")
    before = records_table(store)

    confirmed = batches.confirm(["t-1", "t-2"], account="bert", on="2026-01-10")
    assert (confirmed.soort, confirmed.bijgewerkt, confirmed.ongewijzigd) == ("bevestiging", 2, 0)
    again = batches.confirm(["t-1"], account="bert", on="2026-01-10")
    assert (again.bijgewerkt, again.ongewijzigd) == (0, 1)
    closed = batches.close(["t-3"], on="2026-02-01", account="bert")
    assert (closed.soort, closed.gesloten) == ("sluiting", 1)
    assert ours()["gesloten"].to_dict() == {"t-1": "", "t-2": "", "t-3": "2026-02-01"}
    with pytest.raises(batches.BatchError, match="vóór de opening"):
        batches.close(["t-1"], on="2017-01-01", account="bert")
    with pytest.raises(batches.BatchError, match="toekomst"):
        batches.confirm(["t-1"], account="bert", on="2099-01-01")
    sample = wstore.read_records(store, bron="voorbeeld")["id"].iloc[0]
    with pytest.raises(batches.BatchError, match="meegeleverd"):
        batches.confirm([sample], account="bert")

    for batch in (closed, again, confirmed):
        batches.undo(batch.id, account="bert")
    assert records_table(store) == before


def test_stale_lists_open_records_not_confirmed_for_over_the_months(store, tmp_path):
    from datetime import date

    batches.import_batch(register(tmp_path), bestand="register.csv", account="anna", checked="2025-01-31")
    batches.confirm(["t-2"], account="bert", on="2025-06-01")
    batches.close(["t-3"], on="2025-07-01", account="bert")
    today = date(2026, 2, 1)

    assert list(batches.stale(months=12, today=today)["id"]) == ["t-1"]  # t-3 is closed
    assert list(batches.stale("GM0599", months=6, today=today)["id"]) == ["t-2"]
    assert batches.stale("GM0363", today=today).empty
    assert batches.is_stale("2025-01-31", months=12, today=today)
    assert not batches.is_stale("2025-02-01", months=12, today=today)
    assert not batches.is_stale("", today=today)
    assert batches.is_stale("2024-02-29", months=12, today=date(2025, 3, 1))


def test_stale_months_come_from_the_environment(monkeypatch):
    from wijkmap import config

    assert config._months("18", 12) == 18 and config._months("nul", 12) == 12 and config._months("0", 12) == 12
    monkeypatch.setattr(config, "STALE_MONTHS", 3)
    assert batches.is_stale("2025-10-31", today=__import__("datetime").date(2026, 2, 1))


def test_a_register_may_carry_its_own_laatst_gecontroleerd(store, tmp_path):
    text = "id;naam;soort;gecontroleerd;lat;lon\nt-1;Kerk;kerk;1-3-2025;52,0907;5,1214\nt-2;Moskee;moskee;;52,09;5,12\n"
    batches.import_batch(register(tmp_path, text), bestand="r.csv", account="anna", checked="2026-01-02")
    assert ours()["laatst_gecontroleerd"].to_dict() == {"t-1": "2025-03-01", "t-2": "2026-01-02"}

    path = tmp_path / "fout.csv"
    path.write_text("naam;soort;laatst_gecontroleerd;lat;lon\nKerk;kerk;2025;52,0907;5,1214\n", encoding="utf-8")
    (problem,) = read_register(path, placement.buurten(), bron=BRON).problems
    assert (problem.column, problem.value) == ("laatst_gecontroleerd", "2025") and "geen geldige dag" in problem.message
