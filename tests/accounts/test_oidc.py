"""OpenID Connect login: the secrets' settings, the role mapping, and the Moderatie page
with a provider (AppTest with st.user as the provider would fill it; the real round trip
through a provider is in tests/browser/test_oidc.py)."""

from __future__ import annotations

import pytest
from argon2 import PasswordHasher
from streamlit.testing.v1 import AppTest

from wijkmap.accounts import oidc, users
from wijkmap.config import REPO_ROOT
from wijkmap.contributions import checks, clients, form, inbox
from wijkmap.data import audit
from wijkmap.shell.text import literal

PAGE = str(REPO_ROOT / "app_pages" / "moderatie.py")
PASSWORD = "lange-zin-met-koffie"
AUTH = {"redirect_uri": "http://localhost:8501/oauth2callback", "cookie_secret": "een-lang-koekjesgeheim"}
PROVIDER = {"client_id": "wijkmap", "client_secret": "geheim", "server_metadata_url": "http://localhost:9/.well-known/openid-configuration"}  # fmt: skip
ROLES = {"Anna@Gemeente.nl": "beheerder", "sociale-kaart": "moderator", "piet@gemeente.nl": "koning"}


def secrets(**oidc_options) -> dict:
    return {"auth": {**AUTH, "gemeente": PROVIDER}, "wijkmap": {"oidc": {"naam": "Gemeente-ID", **oidc_options}, "rollen": ROLES}}  # fmt: skip


# --- settings and mapping ------------------------------------------------------------------


def test_no_auth_section_or_an_incomplete_one_means_no_oidc():
    assert oidc.settings({}) is None
    assert oidc.settings({"wijkmap": {"rollen": ROLES}}) is None
    assert oidc.settings({"auth": {"redirect_uri": AUTH["redirect_uri"], **PROVIDER}}) is None  # no cookie_secret
    assert oidc.settings({"auth": AUTH}) is None  # no provider


def test_the_provider_is_auth_itself_its_only_named_one_or_the_one_chosen():
    assert oidc.settings({"auth": {**AUTH, **PROVIDER}}).provider == oidc.DEFAULT_PROVIDER
    assert oidc.settings({"auth": {**AUTH, **PROVIDER}}).label == "OpenID Connect"
    assert oidc.settings({"auth": {**AUTH, "entra": PROVIDER}}).provider == "entra"
    two = {"auth": {**AUTH, "entra": PROVIDER, "okta": PROVIDER}}
    assert oidc.settings(two) is None  # which one is not said
    assert oidc.settings({**two, "wijkmap": {"oidc": {"provider": "okta"}}}).provider == "okta"
    assert oidc.settings({**two, "wijkmap": {"oidc": {"provider": "google"}}}) is None


def test_settings_keep_the_label_the_password_choice_and_only_real_roles():
    config = oidc.settings(secrets())
    assert (config.provider, config.label, config.passwords) == ("gemeente", "Gemeente-ID", True)
    assert dict(config.roles) == {"Anna@Gemeente.nl": "beheerder", "sociale-kaart": "moderator"}
    assert oidc.settings(secrets(wachtwoorden=False)).passwords is False


def test_an_identity_becomes_an_account_named_by_its_email_with_the_mapped_role():
    config = oidc.settings(secrets())
    anna = oidc.account({"sub": "a1", "email": "anna@gemeente.nl", "email_verified": True}, config)
    assert (anna.naam, anna.rol, anna.aanmelding) == ("anna@gemeente.nl", users.BEHEERDER, audit.BY_OIDC)
    assert anna.may(users.MANAGE)
    group = oidc.account({"sub": "b2", "email": "bob@gemeente.nl", "groups": ["Sociale-Kaart"]}, config)
    assert (group.naam, group.rol) == ("bob@gemeente.nl", users.MODERATOR)
    assert not group.may(users.MANAGE) and group.may(users.MODERATE)
    stranger = oidc.account({"sub": "c3", "email": "piet@gemeente.nl"}, config)
    assert stranger.rol == "" and not stranger.may(users.MODERATE)  # "koning" is no role
    assert oidc.account({"sub": "", "email": ""}, config) is None


def test_an_unverified_email_neither_names_nor_maps_the_person():
    account = oidc.account(
        {"sub": "x9", "email": "anna@gemeente.nl", "email_verified": False}, oidc.settings(secrets())
    )
    assert (account.naam, account.rol) == ("x9", "")


# --- the Moderatie page with a provider ----------------------------------------------------


@pytest.fixture(autouse=True)
def no_secret_no_users(tmp_path, monkeypatch):
    """No moderator secret; a users file only where a test writes one."""
    monkeypatch.setenv("WIJKMAP_USERS", str(tmp_path / "gebruikers.json"))
    monkeypatch.delenv(inbox.SECRET_ENV, raising=False)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    monkeypatch.setattr(clients, "LOGIN_FAILURES", clients.LoginFailures())
    monkeypatch.setattr(form, "_connection", lambda: ("203.0.113.7", lambda name: []))
    return tmp_path / "gebruikers.json"


@pytest.fixture
def logins(monkeypatch) -> list[str]:
    """The providers st.login was asked for (a browser would go there)."""
    asked: list[str] = []
    monkeypatch.setattr(oidc, "log_in", lambda config: asked.append(config.provider))
    return asked


def run(user: dict | None = None, **oidc_options) -> AppTest:
    app = AppTest.from_file(PAGE, default_timeout=60)
    app.secrets.update(secrets(**oidc_options))
    if user is not None:
        app.user = {"is_logged_in": True, **user}
    app.run()
    assert not app.exception, app.exception
    return app


def buttons(app: AppTest) -> list[str]:
    return [button.label for button in app.button]


def test_with_only_a_provider_the_page_offers_its_button_and_no_form(store, logins):
    app = run()
    assert buttons(app) == ["Inloggen met Gemeente-ID"]
    assert not app.text_input and len(app.dataframe) == 0  # no secret, no password, no queue
    app.button[0].click().run()
    assert logins == ["gemeente"]


def test_with_a_users_file_too_the_page_offers_both_unless_told_not_to(store, no_secret_no_users):
    users.add("mia", users.MODERATOR, PASSWORD, no_secret_no_users)
    app = run()
    assert buttons(app) == ["Inloggen met Gemeente-ID", "Inloggen"]
    assert [field.label for field in app.text_input] == ["Accountnaam", "Wachtwoord"]
    app = run(wachtwoorden=False)
    assert buttons(app) == ["Inloggen met Gemeente-ID"] and not app.text_input


def test_a_mapped_moderator_approves_and_the_log_names_the_email_and_oidc(store):
    raw = {
        "naam": "Huiskamer <b>De Linde</b>", "omschrijving": "Een huiskamer voor de hele buurt, elke week.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "piet@example.org",
        "contact_naam": "Piet", "toestemming": True,
    }  # fmt: skip
    number = inbox.submit(checks.check_submission(raw, checks.StorePlaces(store))[0], store)
    app = run({"sub": "b2", "email": "bob@gemeente.nl", "groups": ["sociale-kaart"]})
    assert app.sidebar.caption[0].value == "Ingelogd als moderator:"
    assert [element.value for element in app.sidebar.text] == ["bob@gemeente.nl"]
    next(button for button in app.button if button.label == "Goedkeuren en publiceren").click().run()
    assert not app.exception, app.exception
    assert inbox.get_submission(number, store)["status"] == inbox.APPROVED
    line = inbox.read_log(store).iloc[0]
    assert [line["moderator"], line["aanmelding"], line["actie"]] == ["bob@gemeente.nl", audit.BY_OIDC, "goedgekeurd"]


def test_a_person_without_a_role_is_told_so_and_can_log_out(store):
    app = run({"sub": "c3", "email": "piet@gemeente.nl", "name": "Piet"})
    assert [w.value for w in app.warning] == [  # the name as written, never Markdown or a mailto link
        f"Je bent bij {literal('Gemeente-ID')} ingelogd als {literal('piet@gemeente.nl')}, maar dat account heeft "
        "hier geen rol. Vraag de beheerder van wijkmap om je een rol te geven."
    ]
    assert len(app.dataframe) == 0 and not app.sidebar.text
    next(button for button in app.button if button.label == "Uitloggen").click().run()
    assert not app.exception, app.exception
    assert not app.get("text") and len(app.dataframe) == 0  # the run stops; the browser goes to the provider
    assert buttons(app.run()) == ["Inloggen met Gemeente-ID"]  # st.logout emptied st.user


def test_logging_out_of_the_sidebar_ends_the_provider_login(store):
    app = run({"sub": "a1", "email": "anna@gemeente.nl"})
    assert app.sidebar.caption[0].value == "Ingelogd als beheerder:"
    next(button for button in app.sidebar.button if button.label == "Uitloggen").click().run()
    assert not app.exception, app.exception
    assert buttons(app.run()) == ["Inloggen met Gemeente-ID"] and not app.sidebar.text


def _beheer_gate():
    """A page that needs MANAGE, as the beheer page asks for it."""
    import streamlit as st

    from wijkmap.accounts import login, users
    from wijkmap.contributions import clients

    account = login.logged_in("nl", users.MANAGE, "client", clients.LOGIN_FAILURES, key="beheer_account")
    if account is not None:
        st.text(f"beheer voor {account.naam}")


def test_a_moderator_from_the_provider_cannot_reach_beheer_and_a_beheerder_can():
    app = AppTest.from_function(_beheer_gate, default_timeout=30)
    app.secrets.update(secrets())
    app.user = {"is_logged_in": True, "sub": "b2", "email": "bob@gemeente.nl", "groups": ["sociale-kaart"]}
    app.run()
    assert [e.value for e in app.error] == ["Dit account mag hier niet komen (rol: moderator)."]
    assert not app.text and buttons(app) == ["Uitloggen"]
    app.user = {"is_logged_in": True, "sub": "a1", "email": "anna@gemeente.nl"}
    app.run()
    assert [element.value for element in app.text] == ["beheer voor anna@gemeente.nl"]


def test_after_a_provider_login_kaart_greets_once_and_links_to_the_roles_page(store):
    """Streamlit sends every provider login back to the home page: Kaart says who is
    logged in and links to Beheer (a beheerder) or Moderatie (a moderator), once."""
    from wijkmap.config import REPO_ROOT
    from wijkmap.shell.text import literal

    greeting = f"Ingelogd als {literal('anna@gemeente.nl')} (beheerder)."  # the name as text, never a mail link
    app = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)
    app.secrets.update(secrets())
    app.user = {"is_logged_in": True, "sub": "a1", "email": "anna@gemeente.nl"}
    app.run()
    assert not app.exception, app.exception
    assert greeting in [info.value for info in app.info]
    assert [link.label for link in app.get("page_link")] == ["Beheer"]
    app.run()
    assert greeting not in [info.value for info in app.info]
