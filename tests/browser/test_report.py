"""Kaart's "Rapport (PDF)" button in a real browser: a click on a buurt's view downloads
the report of that view (its name, its link back, the map image), made on the click
and then downloaded."""

from __future__ import annotations

import re
import subprocess

import pytest
from playwright.sync_api import Page, expect

from .helpers import MAP_FRAME, TIMEOUT, expect_no_exception, wait_idle

pytestmark = pytest.mark.browser

BUURT = "BU03441024"  # Veldhuizen, Utrecht


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def test_report_button_downloads_the_report_of_the_view(page: Page, streamlit_server, tmp_path):
    page.goto(f"{streamlit_server.url}?gemeente=GM0344&gebied={BUURT}&indicator=pct_65plus")
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]zoom=\d+"), timeout=TIMEOUT)
    wait_idle(page)
    button = page.get_by_role("button", name="Rapport (PDF)")
    button.scroll_into_view_if_needed()
    button.click()  # makes the report, then offers its download
    download_button = page.get_by_role("button", name="Download rapport (PDF)")
    expect(download_button).to_be_visible(timeout=120_000)
    with page.expect_download(timeout=30_000) as download:
        download_button.click()
    assert download.value.suggested_filename == f"wijkmap-rapport-{BUURT}.pdf"
    saved = tmp_path / "rapport.pdf"
    download.value.save_as(saved)
    text = " ".join(subprocess.run(["pdftotext", str(saved), "-"], capture_output=True, text=True).stdout.split())
    assert "De sociale basis van Veldhuizen" in text
    assert "Inwoners van 65 jaar of ouder (%)" in text  # the view's indicator colours the map
    assert f"gebied={BUURT}" in text and "indicator=pct_65plus" in text  # the link reopens this view
    assert "fictieve voorbeelddata" in text
    images = subprocess.run(["pdfimages", "-list", str(saved)], capture_output=True, text=True).stdout
    assert " 1     0 image" in images
    expect_no_exception(page)
