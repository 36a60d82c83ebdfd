"""Undoing a batch on the Beheer page (AppTest): a confirmation first, and a refusal of
batches.undo shown next to the button, user text in it as typed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.beheer.conftest import beheer, log_in

REGISTER = "id;naam;soort;lat;lon\nr1;Huiskamer **De Linde**;huis_van_de_wijk;52,0907;5,1214\n"


def import_register(store: Path, tmp_path: Path, text: str, name: str) -> str:
    from wijkmap.data import batches, placement
    from wijkmap.data.sources.register import read_register

    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    result = read_register(path, placement.buurten(store), bron="register Utrecht")
    assert result.ok, [str(problem) for problem in result.problems]
    return batches.import_batch(result.records, bestand=name, account="anna.beheer", path=store).id


def history(app: AppTest) -> AppTest:
    app.radio(key="beheer_part").set_value("beheer_history").run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_undo_asks_first_then_restores_the_store(store, users_file, tmp_path):
    from wijkmap.data import store as wstore

    before = wstore.read_records(path=store).drop(columns="geometry")
    batch = import_register(store, tmp_path, REGISTER, "linde.csv")
    app = history(log_in(beheer(store), "anna.beheer"))
    assert app.selectbox(key="beheer_undo_choice").value == batch
    app.button(key="beheer_undo").click().run()
    assert "Batch" in app.warning[0].value and len(wstore.read_records(path=store)) == len(before) + 1
    app.button(key="beheer_undo_no").click().run()
    assert not app.warning, "No: nothing undone"
    app.button(key="beheer_undo").click().run()
    app.button(key="beheer_undo_yes").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "is ongedaan gemaakt" in app.success[0].value
    after = wstore.read_records(path=store).drop(columns="geometry")
    assert after.sort_values("id").reset_index(drop=True).equals(before.sort_values("id").reset_index(drop=True))


def test_a_refused_undo_says_why_next_to_the_button(store, users_file, tmp_path):
    first = import_register(store, tmp_path, REGISTER, "linde.csv")
    import_register(store, tmp_path, REGISTER.replace("De Linde", "De Eik <b>x</b>"), "linde-2.csv")
    app = history(log_in(beheer(store), "anna.beheer"))
    app.selectbox(key="beheer_undo_choice").set_value(first).run()
    app.button(key="beheer_undo").click().run()
    app.button(key="beheer_undo_yes").click().run()
    assert not app.exception, [e.value for e in app.exception]
    (error,) = [e.value for e in app.error]
    assert "kan niet ongedaan worden gemaakt" in error and "r1" in error, error


def edit_section(app: AppTest, gemeente: str, search: str) -> AppTest:
    app.radio(key="beheer_part").set_value("beheer_edit").run()
    app.selectbox(key="beheer_edit_gemeente").set_value(gemeente).run()
    app.text_input(key="beheer_edit_search").input(search).run()
    assert not app.exception, [e.value for e in app.exception]
    return app


def test_an_edit_with_a_wrong_value_is_refused_next_to_the_button_and_a_close_is_a_batch(store, users_file, tmp_path):
    from wijkmap.data import batches, store as wstore

    import_register(store, tmp_path, REGISTER, "linde.csv")
    app = edit_section(log_in(beheer(store), "anna.beheer"), "GM0344", "**De Linde**")
    assert app.text_input(key="beh_edit_naam").value == "Huiskamer **De Linde**"
    app.text_input(key="beh_edit_geopend").input("ooit").run()
    app.button(key="beheer_edit_save").click().run()
    (error,) = [e.value for e in app.error]
    assert "geopend" in error and "ooit" in error, error
    assert wstore.read_records(path=store).set_index("id").loc["r1", "geopend"] == ""

    app.button(key="beheer_close").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Gesloten per" in app.success[0].value
    assert batches.list_batches(store)[0].soort == "sluiting"
    assert wstore.read_records(path=store).set_index("id").loc["r1", "gesloten"] != ""


def test_the_history_names_each_kind_of_batch_in_the_interface_language():
    from wijkmap.beheer import history
    from wijkmap.data import batches

    found = [
        batches.Batch(f"b{i}", "2026-12-02T04:00:00Z", "anna.beheer", kind, "", "", 0, 0, 0, 0)
        for i, kind in enumerate(batches.KINDS)
    ]
    assert list(history.table(found, "en")["Kind"]) == ["import", "edit", "confirmation", "closing"]
    assert list(history.table(found, "nl").iloc[:, 3]) == list(batches.KINDS)


def test_an_undo_by_a_beheerder_from_the_provider_names_them_and_openid_connect_in_the_audit_log(store, tmp_path):
    import sqlite3

    from tests.accounts.test_oidc import secrets
    from wijkmap.data import audit

    batch = import_register(store, tmp_path, REGISTER, "linde.csv")
    app = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=90)
    app.secrets.update(secrets())
    app.user = {"is_logged_in": True, "sub": "a1", "email": "anna@gemeente.nl"}
    app.run()
    app.switch_page("app_pages/beheer.py").run()
    history(app)
    app.button(key="beheer_undo").click().run()
    app.button(key="beheer_undo_yes").click().run()
    assert "is ongedaan gemaakt" in app.success[0].value
    with sqlite3.connect(store) as connection:
        line = audit.read(connection).iloc[0]
    assert (line["account"], line["aanmelding"], line["onderwerp_id"]) == ("anna@gemeente.nl", audit.BY_OIDC, batch)


def test_an_edit_saved_by_someone_else_meanwhile_is_not_overwritten_and_what_was_typed_is_shown(
    store, users_file, tmp_path
):
    from wijkmap.data import batches, store as wstore

    import_register(store, tmp_path, REGISTER, "linde.csv")
    app = edit_section(log_in(beheer(store), "anna.beheer"), "GM0344", "**De Linde**")
    # Bob saves the record from his own session while Anna has the form open.
    batches.edit_record({"id": "r1", "naam": "Huiskamer **De Linde** (Bob)"}, account="bob.beheer", path=store)
    app.text_input(key="beh_edit_naam").input("Huiskamer **De Linde** (Anna)")
    app.button(key="beheer_edit_save").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert "Iemand anders heeft dit record opgeslagen" in app.warning[0].value
    assert "naam: Huiskamer **De Linde** (Anna)" in [element.value for element in app.text]
    assert wstore.read_records(path=store).set_index("id").loc["r1", "naam"] == "Huiskamer **De Linde** (Bob)"
    assert app.text_input(key="beh_edit_naam").value == "Huiskamer **De Linde** (Bob)"
    # Saving again now is her choice, made on what is stored.
    app.text_input(key="beh_edit_naam").input("Huiskamer **De Linde** (Anna)")
    app.button(key="beheer_edit_save").click().run()
    assert not app.warning and app.success[0].value.startswith("Opgeslagen")
    assert wstore.read_records(path=store).set_index("id").loc["r1", "naam"] == "Huiskamer **De Linde** (Anna)"
    assert [batch.account for batch in batches.list_batches(store)][:2] == ["anna.beheer", "bob.beheer"]
