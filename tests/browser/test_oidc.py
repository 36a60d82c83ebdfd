"""Logging in with an OpenID Connect provider on the real app (app.py) in Chromium.

The tests start a small local provider (oidc-provider-mock, on 127.0.0.1: no network)
with two people, and the app with secrets naming it: Mia's group maps to moderator,
Piet has no role. No users file, no moderator secret. Mia clicks "Inloggen met
Gemeente-ID" on Moderatie, picks herself at the provider, comes back logged in, approves
a contribution and the audit log names her e-mail address and "openid connect"; Piet
is told he has no role and logs out again."""

from __future__ import annotations

import dataclasses
import os
import threading
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from wijkmap.shell.text import WORD_JOINER

from .helpers import TIMEOUT, expect_no_exception, store_copy, wait_idle

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_LABEL = "Gemeente-ID"
# The mock provider's own pages (not the app's) link a stylesheet on this CDN; the harness
# aborts that request like any other outside host, so it is only let through the check.
PROVIDER_PAGE_CDN = "cdn.jsdelivr.net"


@pytest.fixture
def allowed_hosts(allowed_hosts):
    return allowed_hosts | {PROVIDER_PAGE_CDN}


@pytest.fixture(scope="module")
def provider_url():
    """A local OpenID Connect provider on a free port; its URL ("http://127.0.0.1:<port>")."""
    import oidc_provider_mock
    import werkzeug.serving

    # The provider speaks plain HTTP on loopback; Authlib refuses that unless told.
    previous = os.environ.get("AUTHLIB_INSECURE_TRANSPORT")
    os.environ["AUTHLIB_INSECURE_TRANSPORT"] = "1"
    people = [
        oidc_provider_mock.User(
            sub="mia",
            claims={"email": "mia@gemeente.nl", "email_verified": True, "name": "Mia", "groups": ["sociale-kaart"]},
        ),
        oidc_provider_mock.User(
            sub="piet", claims={"email": "piet@gemeente.nl", "email_verified": True, "name": "Piet"}
        ),
    ]
    server = werkzeug.serving.make_server(
        "127.0.0.1", 0, oidc_provider_mock.app(user_claims=people, require_nonce=True), threaded=True
    )
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()
    if previous is None:
        os.environ.pop("AUTHLIB_INSECURE_TRANSPORT", None)
    else:
        os.environ["AUTHLIB_INSECURE_TRANSPORT"] = previous


@pytest.fixture(scope="module")
def oidc_store(small_store_path, tmp_path_factory) -> Path:
    return store_copy(small_store_path, tmp_path_factory, "oidc-store")


@pytest.fixture(scope="module")
def app_spec(app_spec, oidc_store, provider_url, tmp_path_factory):
    """The real app with secrets naming the provider (given with --secrets.files, so a
    developer's own .streamlit/secrets.toml plays no part)."""
    folder = tmp_path_factory.mktemp("oidc-secrets")
    (folder / "secrets.toml").write_text(
        f"""
[auth]
redirect_uri = "http://127.0.0.1:{{port}}/oauth2callback"
cookie_secret = "een-lang-willekeurig-koekjesgeheim-voor-de-test"

[auth.gemeente]
client_id = "wijkmap"
client_secret = "wijkmap-geheim"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"

[wijkmap.oidc]
naam = "{PROVIDER_LABEL}"

[wijkmap.rollen]
"sociale-kaart" = "moderator"
""",
        encoding="utf-8",
    )
    return dataclasses.replace(
        app_spec,
        script=PROJECT_ROOT / "app.py",
        env={
            "WIJKMAP_STORE": str(oidc_store),
            "WIJKMAP_USERS": str(folder / "geen-gebruikers.json"),
            "WIJKMAP_MODERATOR_SECRET": "",
            "AUTHLIB_INSECURE_TRANSPORT": "1",
        },
        args=("--secrets.files", str(folder / "secrets.toml")),
    )


def log_in_at_the_provider(page: Page, app_url: str, person: str) -> None:
    """From Moderatie, through the provider's page, and back to Moderatie."""
    page.goto(app_url + "moderatie")
    expect(page.get_by_role("heading", name="Moderatie", exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)
    page.get_by_role("button", name=f"Inloggen met {PROVIDER_LABEL}").click()
    page.get_by_role("button", name=person, exact=True).click(timeout=TIMEOUT)  # the provider's page
    page.wait_for_url(lambda url: url.startswith(app_url) and "oauth2callback" not in url, timeout=TIMEOUT)
    page.goto(app_url + "moderatie")  # Streamlit comes back to the home page
    expect(page.get_by_role("heading", name="Moderatie", exact=True)).to_be_visible(timeout=30_000)
    wait_idle(page)


def test_a_moderator_logs_in_at_the_provider_and_approves_and_the_log_names_her(
    page, streamlit_server, oidc_store, provider_url
):
    from wijkmap.contributions import checks, inbox
    from wijkmap.data import audit

    raw = {
        "naam": "Buurtkamer <i>Zuid</i>", "omschrijving": "Een buurtkamer waar iedereen binnen mag lopen.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "kees@example.org",
        "contact_naam": "Kees", "toestemming": True,
    }  # fmt: skip
    number = inbox.submit(checks.check_submission(raw, checks.StorePlaces(oidc_store))[0], oidc_store)

    page.goto(streamlit_server.url + "moderatie")
    expect(page.get_by_role("button", name=f"Inloggen met {PROVIDER_LABEL}")).to_be_visible(timeout=30_000)
    expect(page.locator('[data-testid="stTextInput"]')).to_have_count(0)  # no secret, no password

    log_in_at_the_provider(page, streamlit_server.url, "mia")
    expect(page.get_by_text("Ingelogd als moderator:")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator('[data-testid="stSidebar"]').get_by_text("mia@gemeente.nl")).to_be_visible()
    expect(page.locator(".st-key-mod_chosen input")).to_have_value(f"#{number} · Buurtkamer <i>Zuid</i>")
    page.get_by_role("button", name="Goedkeuren en publiceren").click()
    wait_idle(page)
    expect(page.get_by_text(f"Gepubliceerd: bijdrage {number}", exact=False)).to_be_visible(timeout=TIMEOUT)
    expect_no_exception(page)
    line = inbox.read_log(oidc_store).iloc[0]
    assert [line["moderator"], line["aanmelding"], line["actie"]] == ["mia@gemeente.nl", audit.BY_OIDC, "goedgekeurd"]


def test_a_person_without_a_role_is_told_so_and_logs_out(page, streamlit_server, provider_url):
    log_in_at_the_provider(page, streamlit_server.url, "piet")
    expect(page.get_by_text("heeft hier geen rol", exact=False)).to_be_visible(timeout=TIMEOUT)
    warning = page.locator('[data-testid="stAlert"]').filter(has_text="geen rol").inner_text()
    assert "ingelogd als piet@gemeente.nl," in warning.replace(WORD_JOINER, "")
    expect(page.get_by_role("link", name="piet@gemeente.nl")).to_have_count(0)
    expect(page.get_by_role("button", name="Goedkeuren en publiceren")).to_have_count(0)
    expect(page.locator('[data-testid="stDataFrame"]')).to_have_count(0)

    wait_idle(page)
    page.get_by_role("button", name="Uitloggen").click()
    page.wait_for_url(lambda url: url.startswith(provider_url + "/oauth2/end_session"), timeout=TIMEOUT)
    page.get_by_role("button", name="End session").click()  # the provider's end-session page
    page.wait_for_url(lambda url: url.startswith(streamlit_server.url), timeout=TIMEOUT)
    page.goto(streamlit_server.url + "moderatie")
    expect(page.get_by_role("button", name=f"Inloggen met {PROVIDER_LABEL}")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("heeft hier geen rol", exact=False)).to_have_count(0)
