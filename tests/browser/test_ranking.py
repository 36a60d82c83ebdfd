"""The Hoge nood ranking on Kaart as a person uses it: a click on a row selects its area
(the profile shows it, with its need, reach and matrix), the ranking downloads as CSV
with every area and its sources, and the need profile set in 'Nood en bereik' travels in
the link. The real app (app.py) on the small store, in Chromium."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import Page, expect

from .helpers import MAP_FRAME, TIMEOUT, expect_no_exception, open_expander, query_of, wait_idle

pytestmark = pytest.mark.browser

UTRECHT = "GM0344"
VIEW = f"?gemeente={UTRECHT}&indicator=pct_65plus&nood=pct_65plus:2,bijstand_per_1000"
# st.dataframe draws on a canvas: the header row and each row are 35 px high, and the
# row's selection box sits in the first column.
ROW_HEIGHT = 35


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def open_view(page: Page, server, query: str) -> None:
    page.goto(server.url + query)
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]zoom=\d+"), timeout=TIMEOUT)
    wait_idle(page)


def ranking_grid(page: Page):
    """The ranking: the first table under the 'Hoge nood' heading (the profile column)."""
    heading = page.get_by_text("Hoge nood, dunne sociale basis", exact=True)
    expect(heading).to_be_visible(timeout=TIMEOUT)
    return page.locator('[data-testid="stDataFrame"]').first


def first_row_name(grid) -> str:
    """The area of the first row, read from the grid's accessible copy of its cells
    (column 1 is the rank, column 2 the area)."""
    cell = grid.locator('[data-testid="glide-cell-2-0"]')
    expect(cell).to_have_text(re.compile(r"\S"), timeout=TIMEOUT)
    return cell.inner_text().strip()


def test_a_click_on_a_ranking_row_selects_its_area_on_the_map(page, streamlit_server):
    open_view(page, streamlit_server, VIEW)
    grid = ranking_grid(page)
    expect(grid).to_be_visible()
    name = first_row_name(grid)
    assert name, "the ranking has no rows"
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 16, box["y"] + ROW_HEIGHT + ROW_HEIGHT / 2)
    # The profile of that area replaces the ranking, with the need of the area in it.
    expect(page.locator("h2", has_text=name)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text("Nood en bereik hier")).to_be_visible()
    expect(page.get_by_text("In de rangorde: plaats 1")).to_be_visible()
    expect(page.get_by_text("Bonding/bridging × formeel/informeel")).to_be_visible()
    wait_idle(page)
    query = query_of(page.url)
    assert query["gebied"].startswith("BU0344") and query["nood"] == "pct_65plus:2,bijstand_per_1000"
    # The selected area's outline (black, 4 px) is drawn on the map.
    outline = page.frame_locator(MAP_FRAME).locator('path[stroke="#000"][stroke-width="4"]')
    expect(outline.first).to_be_attached(timeout=TIMEOUT)
    expect_no_exception(page)


def test_the_ranking_downloads_with_every_area_and_its_sources(page, streamlit_server, tmp_path):
    open_view(page, streamlit_server, VIEW)
    ranking_grid(page)
    button = page.locator(".st-key-ranking_csv").get_by_role("button", name="CSV", exact=True)
    button.scroll_into_view_if_needed()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename.startswith("wijkmap-hoge-nood-buurt-")
    saved = tmp_path / "rangorde.csv"
    download.value.save_as(saved)
    rows = list(csv.DictReader(io.StringIO(saved.read_text("utf-8-sig")), delimiter=";"))
    assert len(rows) == 111  # every buurt of Utrecht's 2015 map, ranked or not
    assert rows[0]["rang"] == "1" and rows[0]["status"] == "gerangschikt"
    assert {"pct_65plus", "bijstand_per_1000", "score", "aandeel_500", "bonding_formeel"} <= set(rows[0])
    assert all("CBS" in row["bron"] and "fictief" in row["let_op"] for row in rows)
    expect_no_exception(page)


def test_the_need_profile_chosen_in_the_sidebar_goes_into_the_link(page, streamlit_server):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&indicator=pct_65plus")
    expander = page.locator('[data-testid="stSidebar"] details', has_text="Nood en bereik")
    open_expander(page, expander)
    page.locator(".st-key-nood_indicators input").click()
    page.keyboard.type("Bijstand per")
    # The option as the person reads it: with several matches the list starts with "Select N matches".
    page.get_by_role("option", name="Bijstand per 1.000 inwoners", exact=True).click()
    wait_idle(page)
    expect(page).to_have_url(re.compile(r"[?&]nood=bijstand_per_1000(&|$)"), timeout=TIMEOUT)
    expect(expander.get_by_text("Gewicht: Bijstand per 1.000 inwoners")).to_be_visible()
    expect_no_exception(page)
