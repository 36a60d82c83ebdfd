"""Logging in with a named account on the Moderatie page (AppTest on a copy of the small
store): name then password, wrong passwords throttled per client, the log names the account."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from wijkmap.accounts import login as account_login, users
from wijkmap.config import LOGIN_MAX_FAILURES_CLIENT, REPO_ROOT
from wijkmap.contributions import checks, clients, form, inbox
from wijkmap.data import audit

PAGE = str(REPO_ROOT / "app_pages" / "moderatie.py")
PASSWORD = "lange-zin-met-koffie"
WRONG = "Die accountnaam of dat wachtwoord klopt niet."


@pytest.fixture(autouse=True)
def accounts(tmp_path, monkeypatch):
    """A users file with a moderator and a beheerder; no moderator secret anywhere."""
    path = tmp_path / "gebruikers.json"
    monkeypatch.setenv("WIJKMAP_USERS", str(path))
    monkeypatch.delenv(inbox.SECRET_ENV, raising=False)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(clients, "LOGIN_FAILURES", clients.LoginFailures())
    users.add("mia", users.MODERATOR, PASSWORD, path)
    users.add("ben", users.BEHEERDER, PASSWORD + "-b", path)
    return path


@pytest.fixture
def address(monkeypatch) -> dict:
    client = {"peer": "203.0.113.7"}
    monkeypatch.setattr(form, "_connection", lambda: (client["peer"], lambda name: []))
    return client


def run() -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def log_in(app: AppTest, name: str, password: str) -> AppTest:
    app.text_input(key="mod_account_name").input(name)
    app.text_input(key="mod_account_password").input(password)
    app.button[0].click().run()
    assert not app.exception, app.exception
    return app


def _submission(store) -> int:
    raw = {
        "naam": "**vet** <b>Huiskamer</b>", "omschrijving": "Een huiskamer voor de hele buurt, elke week.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "piet@example.org",
        "contact_naam": "Piet", "toestemming": True,
    }  # fmt: skip
    return inbox.submit(checks.check_submission(raw, checks.StorePlaces(store))[0], store)


def test_the_form_asks_the_account_name_then_the_password_and_no_secret(store, address):
    app = run()
    assert [field.label for field in app.text_input] == ["Accountnaam", "Wachtwoord"]
    assert not app.info and len(app.dataframe) == 0  # a visitor sees no queue


def test_a_moderator_logs_in_approves_and_the_log_names_the_account(store, address):
    number = _submission(store)
    app = log_in(run(), "mia", PASSWORD + "x")
    assert [e.value for e in app.error] == [WRONG]
    assert len(app.dataframe) == 0
    app = log_in(app, "MIA", PASSWORD)
    assert app.dataframe[0].value["#"].tolist() == [number]
    assert [element.value for element in app.sidebar.text] == ["mia"]
    next(button for button in app.button if button.label == "Goedkeuren en publiceren").click().run()
    assert not app.exception, app.exception
    assert inbox.get_submission(number, store)["status"] == inbox.APPROVED
    line = inbox.read_log(store).iloc[0]
    assert [line["moderator"], line["aanmelding"], line["actie"]] == ["mia", audit.BY_ACCOUNT, "goedgekeurd"]
    shown = app.dataframe[-1].value  # the log on the page shows how they logged in
    assert shown["Aanmelding"].tolist() == [audit.BY_ACCOUNT]


def test_a_beheerder_may_moderate_too(store, address):
    app = log_in(run(), "ben", PASSWORD + "-b")
    assert not app.error and app.sidebar.caption[0].value == "Ingelogd als beheerder:"


def test_removing_an_account_ends_its_session(store, address, accounts):
    app = log_in(run(), "mia", PASSWORD)
    assert app.sidebar.text
    users.remove("mia", accounts)
    app.run()
    assert [field.label for field in app.text_input] == ["Accountnaam", "Wachtwoord"]
    assert len(app.dataframe) == 0


def test_log_out_ends_the_session(store, address):
    app = log_in(run(), "mia", PASSWORD)
    next(button for button in app.sidebar.button if button.label == "Uitloggen").click().run()
    assert account_login.ACCOUNT not in app.session_state
    assert [field.label for field in app.text_input] == ["Accountnaam", "Wachtwoord"]


def test_wrong_logins_from_one_client_block_it_but_not_another(store, address):
    for _ in range(LOGIN_MAX_FAILURES_CLIENT):
        app = log_in(run(), "mia", "geraden-wachtwoord")  # a new session each time
        assert [e.value for e in app.error] == [WRONG]
    app = run()
    assert app.warning and app.warning[0].value.startswith("Te veel pogingen")
    assert not app.text_input  # no form to try again with, not even the right password
    address["peer"] = "198.51.100.20"
    app = log_in(run(), "mia", PASSWORD)
    assert not app.error and app.sidebar.text[0].value == "mia"


def test_a_broken_users_file_shows_a_message_and_no_form(store, address, accounts):
    accounts.write_text("kapot", encoding="utf-8")
    app = run()
    assert [e.value for e in app.error] == [
        "Het gebruikersbestand kan niet gelezen worden; vraag de beheerder van de server."
    ]
    assert not app.text_input


def test_a_new_password_ends_the_sessions_of_the_old_one(store, address, accounts):
    app = log_in(run(), "mia", PASSWORD)
    assert app.sidebar.text
    users.add("mia", users.MODERATOR, "een-nieuw-wachtwoord", accounts, replace=True)
    app.run()
    assert [field.label for field in app.text_input] == ["Accountnaam", "Wachtwoord"]
    app = log_in(app, "mia", "een-nieuw-wachtwoord")
    assert app.sidebar.text[0].value == "mia"


def test_wrong_logins_for_one_account_from_ever_new_addresses_are_bounded_too(store, address):
    """A guesser who changes its address (a forwarded-for header passed on by a proxy) gets
    no more than LOGIN_MAX_FAILURES_ACCOUNT tries at one account, then not even the right
    password gets through for a while; another account is not affected."""
    from wijkmap.config import LOGIN_MAX_FAILURES_ACCOUNT

    for attempt in range(LOGIN_MAX_FAILURES_ACCOUNT):
        address["peer"] = f"203.0.113.{attempt}"
        app = log_in(run(), "mia", "geraden-wachtwoord")
        assert [e.value for e in app.error] == [WRONG]
    address["peer"] = "198.51.100.99"
    app = log_in(run(), "Mia", PASSWORD)
    assert app.warning and app.warning[0].value.startswith("Te veel pogingen")
    assert "mia" not in [element.value for element in app.sidebar.text]
