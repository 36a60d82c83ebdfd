"""Logging in with a named account on the real app (app.py) in Chromium: a users file
with a moderator; no moderator secret. The form asks the account name, then the password;
a wrong password is refused; the moderator approves and the audit log names the account."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from . import helpers
from .helpers import PASSWORD, TIMEOUT, store_copy, wait_idle

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def account_store(small_store_path, tmp_path_factory) -> Path:
    return store_copy(small_store_path, tmp_path_factory, "account-store")


@pytest.fixture(scope="module")
def users_file(tmp_path_factory) -> Path:
    return helpers.users_file(tmp_path_factory, "accounts", {"mia.jansen": "moderator"})


@pytest.fixture(scope="module")
def app_spec(app_spec, account_store, users_file):
    return dataclasses.replace(
        app_spec,
        script=PROJECT_ROOT / "app.py",
        env={"WIJKMAP_STORE": str(account_store), "WIJKMAP_USERS": str(users_file), "WIJKMAP_MODERATOR_SECRET": ""},
    )


def log_in(page: Page, name: str, password: str) -> None:
    page.locator(".st-key-mod_account_name input").fill(name)
    page.locator(".st-key-mod_account_password input").fill(password)
    page.get_by_role("button", name="Inloggen").click()
    wait_idle(page)


def test_a_moderator_account_logs_in_and_approves_and_the_log_names_it(page, streamlit_server, account_store):
    from wijkmap.contributions import checks, inbox
    from wijkmap.data import audit

    raw = {
        "naam": "Huiskamer **De Linde**", "omschrijving": "Een huiskamer voor de hele buurt, elke week.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "piet@example.org",
        "contact_naam": "Piet", "toestemming": True,
    }  # fmt: skip
    number = inbox.submit(checks.check_submission(raw, checks.StorePlaces(account_store))[0], account_store)

    page.goto(streamlit_server.url + "moderatie")
    expect(page.get_by_role("heading", name="Moderatie", exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)
    labels = page.locator('[data-testid="stTextInput"] label').all_inner_texts()
    assert labels == ["Accountnaam", "Wachtwoord"]
    expect(page.locator(".st-key-mod_account_password input")).to_have_attribute("type", "password")
    expect(page.get_by_text("Moderatorgeheim")).to_have_count(0)

    log_in(page, "mia.jansen", "dat is het niet")
    expect(page.get_by_text("Die accountnaam of dat wachtwoord klopt niet.")).to_be_visible()
    expect(page.get_by_role("button", name="Goedkeuren en publiceren")).to_have_count(0)

    log_in(page, "Mia.Jansen", PASSWORD)
    expect(page.get_by_text("Ingelogd als moderator:")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".st-key-mod_chosen input")).to_have_value(f"#{number} · Huiskamer **De Linde**")
    page.get_by_role("button", name="Goedkeuren en publiceren").click()
    wait_idle(page)
    expect(page.get_by_text(f"Gepubliceerd: bijdrage {number}", exact=False)).to_be_visible(timeout=TIMEOUT)
    line = inbox.read_log(account_store).iloc[0]
    assert [line["moderator"], line["aanmelding"], line["actie"]] == ["mia.jansen", audit.BY_ACCOUNT, "goedgekeurd"]
