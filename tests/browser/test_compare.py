"""Comparing areas in a real browser: a link opens the comparison, a colleague's fresh
browser opens the same one from the shared link, and the search box finds and opens a
buurt typed with a wrong accent.

One Streamlit server runs app.py on a copy of the session's small store (`reading_app`:
Utrecht with the sample, Rotterdam, Amsterdam with the real repair cafés)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import TIMEOUT, expect_no_exception, query_of, wait_idle
from tests.browser.test_explorer import open_view

pytestmark = pytest.mark.browser

LOMBOK = "BU03440121"
COMPARED = f"?gemeente=GM0344&vergelijk={LOMBOK},GM0363"


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def expect_comparison(page) -> None:
    """The comparison of Lombok-Oost and Amsterdam, as a person sees it."""
    expect(page.get_by_role("heading", name="Vergelijking", exact=True)).to_be_visible(timeout=30_000)
    for name in ("Lombok-Oost", "Amsterdam"):
        expect(page.get_by_role("heading", name=name, exact=True)).to_be_visible()
    # A small map per area and their legend, drawn as images (no map script, no tiles).
    images = page.locator('[data-testid="stImage"] img')
    expect(images).to_have_count(3)
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=stImage] img')].every(i => i.complete && i.naturalWidth > 0)",
        timeout=TIMEOUT,
    )
    expect(page.get_by_text("Cijfers (CBS)", exact=True)).to_be_visible()
    expect(page.get_by_text("Strategie × formaliteit", exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="Vergelijking (CSV)")).to_be_visible()
    expect(page.get_by_role("button", name="Vergelijking (Excel)")).to_be_visible()
    expect(page.get_by_role("button", name="Vergelijking (GeoPackage)")).to_be_visible()


def test_a_shared_link_opens_the_same_comparison_in_a_fresh_browser(page, new_context, streamlit_server, js_errors):
    open_view(page, streamlit_server, COMPARED)
    expect_comparison(page)
    expect_no_exception(page)
    share = page.locator('[data-testid="stCode"]')
    expect(share).to_contain_text(f"vergelijk={LOMBOK}%2CGM0363", timeout=TIMEOUT)
    link = share.inner_text().strip()
    assert query_of(link)["vergelijk"] == f"{LOMBOK},GM0363"

    other = new_context().new_page()
    other.goto(link)
    expect_comparison(other)
    wait_idle(other)
    expect_no_exception(other)
    assert query_of(other.url)["vergelijk"] == f"{LOMBOK},GM0363"
    assert not js_errors


def test_the_search_finds_a_buurt_with_a_wrong_accent_and_opens_it(page, streamlit_server):
    open_view(page, streamlit_server, "")
    box = page.get_by_role("textbox", name="Zoek een gebied")
    box.fill("lómbok oost")
    box.press("Enter")
    hit = page.get_by_role("button", name="Lombok-Oost (Buurt, Utrecht)")
    expect(hit).to_be_visible(timeout=TIMEOUT)
    hit.click()
    expect(page).to_have_url(re.compile(f"gebied={LOMBOK}"), timeout=TIMEOUT)
    wait_idle(page)
    assert query_of(page.url)["gemeente"] == "GM0344"
    expect(page.get_by_role("heading", name="Lombok-Oost", exact=True)).to_be_visible()
    expect_no_exception(page)
