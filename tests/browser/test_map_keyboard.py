"""The map without a mouse (issue 16): the areas and provisions are buttons reached with
Tab, Enter selects an area or opens a provision, Escape closes it, and the list of areas
beside the map is a second way in, the same choice as a click."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import MAP_FRAME, TIMEOUT, query_of, wait_idle

pytestmark = pytest.mark.browser

ROTTERDAM = "GM0599"


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def open_map(page: Page, streamlit_server, query: str):
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(streamlit_server.url + query)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator("path[role=button]").first).to_be_attached(timeout=30_000)
    wait_idle(page)
    return frame


def choose_in_list(page: Page, name: str):
    """Choose an area in the list beside the map as a keyboard user does: type, Enter."""
    picker = page.get_by_role("combobox", name="Gebied op de kaart")
    picker.focus()
    page.keyboard.type(name)
    page.keyboard.press("Enter")
    return picker


def test_tab_goes_from_the_map_to_its_areas_and_enter_selects_one(page: Page, streamlit_server):
    frame = open_map(page, streamlit_server, f"?gemeente={ROTTERDAM}")
    frame.locator(".leaflet-container").focus()
    page.keyboard.press("Tab")
    focused = frame.locator("path:focus")
    expect(focused).to_have_count(1)
    name = focused.get_attribute("aria-label")
    assert re.match(r".+: .+", name), name  # the area's name and its value, as its tooltip says
    expect(frame.locator(".leaflet-tooltip")).to_contain_text(name.split(":")[0])
    # Keyboard focus is drawn on the area's own outline, not as the browser's rectangle.
    style = focused.evaluate("p => { const s = getComputedStyle(p); return [s.outlineStyle, s.strokeWidth]; }")
    assert style == ["none", "4px"], style

    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"gebied=BU\d+"), timeout=TIMEOUT)
    wait_idle(page)
    chosen = query_of(page.url)["gebied"]
    profile = page.get_by_role("heading", level=2, name=name.split(":")[0], exact=True)
    expect(profile).to_be_visible(timeout=TIMEOUT)
    # The list beside the map says the same.
    expect(page.get_by_role("combobox", name="Gebied op de kaart")).to_have_value(re.compile(re.escape(f"({chosen})")))


def test_enter_opens_a_provision_and_escape_closes_it_back_on_its_symbol(page: Page, streamlit_server):
    frame = open_map(page, streamlit_server, f"?gemeente={ROTTERDAM}&zoom=15&lat=51.918&lon=4.48")
    symbol = frame.locator(".wm-symbol[role=button]").first
    expect(symbol).to_be_attached(timeout=TIMEOUT)
    name = symbol.get_attribute("aria-label")
    assert name
    symbol.focus()
    page.keyboard.press("Enter")
    popup = frame.locator(".leaflet-popup")
    expect(popup).to_be_visible(timeout=TIMEOUT)
    expect(popup.locator(".wm-name")).to_have_text(name)
    page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    assert symbol.evaluate("el => el === document.activeElement"), "focus went back to the provision"


@pytest.mark.parametrize("path", ["", "verandering"])
def test_the_list_beside_the_map_selects_an_area_by_keyboard(page: Page, streamlit_server, path):
    open_map(page, streamlit_server, f"{path}?gemeente={ROTTERDAM}")
    picker = choose_in_list(page, "Cool")
    expect(page).to_have_url(re.compile(r"gebied=BU\d+"), timeout=TIMEOUT)
    wait_idle(page)
    expect(page.get_by_role("heading", level=2, name="Cool", exact=True)).to_be_visible(timeout=TIMEOUT)
    chosen = query_of(page.url)["gebied"]
    expect(picker).to_have_value(f"Cool ({chosen})")


def test_after_a_click_on_the_map_the_list_chooses_and_clears(page: Page, streamlit_server):
    """Map, then list: the list's choice holds (the map keeps reporting its last click),
    and a second choice, the first one again and clearing the list all take at once."""
    frame = open_map(page, streamlit_server, f"?gemeente={ROTTERDAM}")
    area = frame.locator("path[role=button]").first
    area.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"gebied=BU\d+"), timeout=TIMEOUT)
    wait_idle(page)
    first = query_of(page.url)["gebied"]
    picker = choose_in_list(page, "Cool")
    expect(page).to_have_url(re.compile(rf"gebied=(?!{first})BU\d+"), timeout=TIMEOUT)
    wait_idle(page)
    cool = query_of(page.url)["gebied"]
    page.wait_for_timeout(1500)  # the map's next reports must not bring the click back
    wait_idle(page)
    assert query_of(page.url)["gebied"] == cool
    expect(picker).to_have_value(f"Cool ({cool})")
    choose_in_list(page, "Oude Westen")
    expect(page).to_have_url(re.compile(rf"gebied=(?!{cool})BU\d+"), timeout=TIMEOUT)
    wait_idle(page)
    choose_in_list(page, "Cool")
    expect(page).to_have_url(re.compile(rf"gebied={cool}"), timeout=TIMEOUT)
    wait_idle(page)
    page.get_by_role("button", name=re.compile("Clear|Wis", re.I)).first.click()
    expect(page).not_to_have_url(re.compile(r"gebied="), timeout=TIMEOUT)


def test_tab_skips_the_outlines_that_are_only_context(page: Page, streamlit_server):
    """After the last area comes the first provision: the wijkteams' service areas (and
    the neighbouring gemeenten) have tooltips but are not choices."""
    frame = open_map(page, streamlit_server, f"?gemeente={ROTTERDAM}")
    expect(frame.locator(".leaflet-overlay-pane path:not([role])").first).to_be_attached()  # outlines are drawn
    frame.locator("path[role=button]").last.focus()
    for _ in range(3):
        page.keyboard.press("Tab")
        focused = frame.locator(":focus")
        expect(focused).to_have_attribute("role", "button")
        assert focused.get_attribute("aria-label") or focused.get_attribute("title"), "a named button"


def test_enter_on_a_cluster_zooms_in_to_where_its_provisions_part(page: Page, streamlit_server):
    """A cluster is a button named by its count and kinds; Enter, as a click, zooms the
    map in until its provisions are drawn apart, and the link keeps the new zoom."""
    frame = open_map(page, streamlit_server, f"?gemeente={ROTTERDAM}")
    clusters = frame.locator(".wm-cluster[role=button]")
    expect(clusters.first).to_be_attached(timeout=TIMEOUT)
    counts = [int(title.split(":")[0]) for title in clusters.evaluate_all("cs => cs.map(c => c.title)")]
    largest = clusters.nth(counts.index(max(counts)))
    assert re.fullmatch(r"\d+: \d+ \S.*", largest.get_attribute("title") or ""), largest.get_attribute("title")

    def zoom() -> float:
        return frame.locator(".leaflet-container").evaluate("() => window.wijkmapRecords._map.getZoom()")

    before = zoom()
    largest.focus()
    page.keyboard.press("Enter")
    for _ in range(100):
        if zoom() > before:
            break
        page.wait_for_timeout(100)
    assert zoom() > before, "the map did not zoom in"
    # The cluster is gone with the zoom: the keyboard goes on from the map.
    assert frame.locator(".leaflet-container").evaluate("el => el === document.activeElement")
    expect(page).to_have_url(re.compile(rf"zoom={zoom():g}(&|$)"), timeout=TIMEOUT)
    # Every cluster now holds fewer than the largest did: it fell apart.
    parted = [int(title.split(":")[0]) for title in clusters.evaluate_all("cs => cs.map(c => c.title)")]
    assert max(parted, default=0) < max(counts), (counts, parted)
    assert frame.locator(".wm-symbol, .wm-cluster").count() > 1
