"""WCAG 2.1 AA on every page, checked with axe-core in the browser (issue 16).

Each page is opened as a person would, in Dutch and in English (Moderatie and Beheer at
their login, and behind it), Kaart also in presentation mode, and axe runs on the page and
inside the map frame. No violation may remain but the moderate ones named below, each with
its reason."""

from __future__ import annotations

import dataclasses

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from . import helpers
from .helpers import MAP_FRAME, PASSWORD, TIMEOUT, wait_idle

pytestmark = pytest.mark.browser

UTRECHT = "GM0344"
ROTTERDAM = "GM0599"

# Rules that do not apply to a frame inside a page: streamlit-folium's iframe holds only
# the map, which sits inside the page's own main landmark, under the page's own h1.
FRAME_ONLY_RULES = {
    "landmark-one-main": "the map frame is part of the page's main landmark",
    "page-has-heading-one": "the map frame sits under the page's h1",
}

# Minor, in Streamlit's own widgets on the pages behind a login.
LOGGED_IN_RULES = {
    "presentation-role-conflict": "Streamlit's file drop zone is a <section role=presentation tabindex=-1>;"
    " its Browse files button is the keyboard's way in, and is named",
}

PAGES = [
    # (path and query, lang, has a map)
    (f"?gemeente={UTRECHT}", "nl", True),
    (f"?gemeente={UTRECHT}", "en", True),
    (f"?gemeente={ROTTERDAM}&presentatie=1", "nl", True),
    (f"?gemeente={ROTTERDAM}&presentatie=1", "en", True),
    (f"verandering?gemeente={UTRECHT}", "nl", True),
    (f"verandering?gemeente={UTRECHT}", "en", True),
    ("gegevens", "nl", False),
    ("gegevens", "en", False),
    ("voorbeelden", "nl", False),
    ("voorbeelden", "en", False),
    ("insturen", "nl", False),
    ("insturen", "en", False),
    ("moderatie", "nl", False),
    ("moderatie", "en", False),
    ("beheer", "nl", False),
    ("beheer", "en", False),
]


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def serious(violations: list[dict], allowed: dict[str, str]) -> list[str]:
    """The violations a person is hindered by, each with where it is: every one of impact
    serious or critical, and any other one not named in `allowed`."""
    return [
        f"{v['impact']} {v['id']}: "
        f"{[(node['target'], node.get('html', '')[:160], node.get('failureSummary', '')[:200]) for node in v['nodes'][:3]]}"
        for v in violations
        if v["impact"] in ("serious", "critical") or v["id"] not in allowed
    ]


def with_lang(path: str, lang: str) -> str:
    return path + ("&" if "?" in path else "?") + f"lang={lang}"


@pytest.mark.parametrize("path, lang, has_map", PAGES, ids=[f"{p or 'kaart'}-{lang}" for p, lang, _ in PAGES])
def test_page_has_no_serious_wcag_violation(page: Page, streamlit_server, path, lang, has_map):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(streamlit_server.url + with_lang(path, lang))
    # Wait for what shows the page has run: its drawn map (presentation mode has no visible
    # h1), or else its h1.
    frames = []
    if has_map:
        expect(page.frame_locator(MAP_FRAME).locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=30_000)
        frames = [f for f in page.frames if "st_folium" in f.url]
        assert frames, "the map frame is not there"
    else:
        expect(page.locator("h1").first).to_be_visible(timeout=30_000)
    wait_idle(page)
    assert not axe_findings(page, frames)


def axe_findings(page: Page, frames=(), allowed: dict[str, str] | None = None) -> list[str]:
    """What axe finds on the page, once it has settled (but the `allowed` rules), and in
    its map `frames`."""
    # Elements of a run that was just replaced fade out; measured then, text looks too pale.
    expect(page.locator("[data-stale=true]")).to_have_count(0, timeout=TIMEOUT)
    page.wait_for_timeout(600)  # Streamlit's fade back to full opacity
    axe = Axe()
    found = serious(axe.run(page).response["violations"], allowed or {})
    for frame in frames:
        found += [f"map frame: {v}" for v in serious(axe.run(frame).response["violations"], FRAME_ONLY_RULES)]
    return found


@pytest.fixture(scope="module")
def accounts_app(reading_app, tmp_path_factory):
    """The reading app with a beheerder's account (who may moderate too)."""
    users = helpers.users_file(tmp_path_factory, "axe-accounts", {"anna.beheer": "beheerder"})
    return dataclasses.replace(
        reading_app, env={**dict(reading_app.env), "WIJKMAP_USERS": str(users), "WIJKMAP_MODERATOR_SECRET": ""}
    )


@pytest.mark.parametrize("path, lang", [("moderatie", "nl"), ("beheer", "en")])
def test_logged_in_pages_have_no_serious_wcag_violation(page: Page, streamlit_servers, accounts_app, path, lang):
    """Moderatie's queue and Beheer's upload, mapping and records, behind their login."""
    server = streamlit_servers(accounts_app)
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(server.url + path)
    expect(page.get_by_role("button", name="Inloggen")).to_be_visible(timeout=30_000)
    page.get_by_role("textbox", name="Accountnaam").fill("anna.beheer")
    page.get_by_role("textbox", name="Wachtwoord").fill(PASSWORD)
    page.get_by_role("button", name="Inloggen").click()
    expect(page.get_by_role("button", name="Uitloggen")).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    assert not axe_findings(page, allowed=LOGGED_IN_RULES)
    page.locator('[data-testid="stSidebar"]').get_by_text("English" if lang == "en" else "Nederlands").click()
    wait_idle(page)
    assert not axe_findings(page, allowed=LOGGED_IN_RULES)
