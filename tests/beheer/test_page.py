"""The Beheer page under Streamlit's AppTest: who gets in, and the sections without a file
(uploads need a browser: AppTest has no file uploader; see tests/browser/test_beheer.py)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.beheer.conftest import APP, beheer, log_in


def test_without_a_users_file_beheer_is_closed_and_says_how_to_add_an_account(store, tmp_path, monkeypatch):
    monkeypatch.setenv("WIJKMAP_USERS", str(tmp_path / "geen.json"))
    app = beheer(store)
    assert "python -m wijkmap gebruiker toevoegen" in app.info[0].value
    assert not app.text_input


def test_a_visitor_gets_the_form_and_a_moderator_no_permission(store, users_file):
    app = beheer(store)
    assert [widget.label for widget in app.text_input] == ["Accountnaam", "Wachtwoord"]
    log_in(app, "mia.jansen")
    assert [e.value for e in app.error] == ["Dit account mag hier niet komen (rol: moderator)."]
    assert "beheer_part" not in [radio.key for radio in app.radio]


def test_a_moderator_logged_in_on_moderatie_is_refused_and_stays_logged_in(store, users_file):
    from wijkmap.accounts import login

    app = beheer(store)
    log_in(app, "mia.jansen")
    account = login.users.get("mia.jansen", users_file)
    app.session_state[login.ACCOUNT], app.session_state[login.STAMP] = account.naam, account.stempel
    app.run()
    assert [e.value for e in app.error] == ["Dit account mag hier niet komen (rol: moderator)."]
    assert app.session_state[login.ACCOUNT] == "mia.jansen", "the moderation login is kept"


def test_a_beheerder_gets_the_sections_and_an_empty_history(store, users_file):
    app = log_in(beheer(store), "anna.beheer")
    assert app.radio(key="beheer_part").options == [
        "Register inlezen",
        "Geschiedenis",
        "Record bewerken",
        "Actualiteit",
    ]
    app.radio(key="beheer_part").set_value("beheer_history").run()
    assert [i.value for i in app.info] == ["Er zijn nog geen batches."]
    for part in ("beheer_edit", "beheer_fresh", "beheer_upload"):
        app.radio(key="beheer_part").set_value(part).run()
        assert not app.exception, (part, [e.value for e in app.exception])


def test_logging_out_brings_back_the_form(store, users_file):
    app = log_in(beheer(store), "anna.beheer")
    app.button(key="beheer_logout").click().run()
    assert not app.exception, [e.value for e in app.exception]
    assert [widget.label for widget in app.text_input] == ["Accountnaam", "Wachtwoord"]


def test_in_english_every_section_draws(store, users_file):
    app = AppTest.from_file(str(APP), default_timeout=90)
    app.query_params["lang"] = "en"
    app.run()
    app.switch_page("app_pages/beheer.py").run()
    log_in(app, "anna.beheer")
    assert app.radio(key="beheer_part").options == ["Read a register", "History", "Edit a record", "Freshness"]
    for part in ("beheer_history", "beheer_edit", "beheer_fresh"):
        app.radio(key="beheer_part").set_value(part).run()
        assert not app.exception, (part, [e.value for e in app.exception])
