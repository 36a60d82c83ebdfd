"""The change page (Verandering) as a person uses it: the real app in Chromium.

One Streamlit server runs app.py on a copy of the session's small store (`reading_app`)
(Utrecht's fictional sample with closures 2005-2020 and successors; the real Amsterdam
repair cafés). What each view must show is computed from the store with change.py before
the browser is involved, so the tests compare the drawing with the rules, not with
themselves. The harness fails any test whose page contacts a host other than localhost
and the tile server: the cycle chart (Vega) included.

Inside streamlit-folium's iframe every status symbol carries the class
`wm-status-<status>`, every succession line `wm-succession`.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .helpers import MAP_FRAME, TIMEOUT, expect_no_exception, query_of, wait_idle

pytestmark = pytest.mark.browser

UTRECHT, AMSTERDAM = "GM0344", "GM0363"


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


@pytest.fixture(scope="module")
def expected(small_store_path) -> dict:
    """Counts per period, from change.py on the same store."""
    from wijkmap.change import model as change
    from wijkmap.data import store

    records = store.read_records(path=small_store_path)
    utrecht = records[records["gemeentecode"] == UTRECHT]

    def counts(a, b):
        rows = change.status(utrecht, a, b)
        pairs = change.successions(utrecht, a, b, rows)
        return {
            "verdwenen": int((rows["status"] == "verdwenen").sum()),
            "all": len(rows),
            "lines": int((~pairs["zelfde_plek"]).sum()),
        }

    values = {"2005-2020": counts(2005, 2020), "2005-2019": counts(2005, 2019), "2005-2010": counts(2005, 2010)}
    # The period must make a difference, or the tests prove nothing.
    assert values["2005-2010"]["verdwenen"] != values["2005-2020"]["verdwenen"]
    assert values["2005-2019"]["verdwenen"] != values["2005-2020"]["verdwenen"]
    assert values["2005-2020"]["lines"] > 0
    return values


def open_change(page: Page, server, query: str) -> None:
    page.goto(server.url + "verandering?" + query)
    expect(page.frame_locator(MAP_FRAME).locator(".wm-change-legend")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]zoom=\d+"), timeout=TIMEOUT)
    wait_idle(page)


def symbols(page: Page, status: str | None = None):
    selector = f".wm-status-{status}" if status else ".wm-status"
    return page.frame_locator(MAP_FRAME).locator(selector)


def test_the_period_changes_what_is_drawn(page, streamlit_server, expected, request_log, js_errors):
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    open_change(page, streamlit_server, f"gemeente={UTRECHT}&van=2005&tot=2020")
    expect_no_exception(page)
    expect(symbols(page, "verdwenen")).to_have_count(expected["2005-2020"]["verdwenen"], timeout=TIMEOUT)
    expect(symbols(page)).to_have_count(expected["2005-2020"]["all"])
    # The buurten are drawn from a file the app serves, fetched once.
    areas = page.frame_locator(MAP_FRAME).locator("path.leaflet-interactive:not(.wm-succession)")
    expect(areas.first).to_be_attached(timeout=TIMEOUT)
    served = request_log.local("/app/static/geometry/")
    assert served, "the outlines are fetched from the app"
    received.clear()
    # Step the end year back: what closed in 2020 is no longer gone by the end of the period.
    page.get_by_role("button", name=re.compile("eindjaar −1")).click()
    expect(symbols(page, "verdwenen")).to_have_count(expected["2005-2019"]["verdwenen"], timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]tot=2019"), timeout=TIMEOUT)
    wait_idle(page)
    sent = "".join(received)
    assert "changeAreaColours" in sent
    assert '"coordinates"' not in sent, "the period change sent the outlines again"
    assert request_log.local("/app/static/geometry/") == served, "no outline file was fetched again"
    # The metric above the map says the same.
    verdwenen = page.locator('[data-testid="stMetric"]').filter(has_text="Verdwenen")
    expect(verdwenen).to_contain_text(str(expected["2005-2019"]["verdwenen"]))
    assert not js_errors, js_errors


def test_succession_lines_appear_and_can_be_switched_off(page, streamlit_server, expected, js_errors):
    open_change(page, streamlit_server, f"gemeente={UTRECHT}&van=2005&tot=2020")
    lines = page.frame_locator(MAP_FRAME).locator("path.wm-succession")
    expect(lines).to_have_count(expected["2005-2020"]["lines"], timeout=TIMEOUT)
    # A popup names the successor with its year.
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
    symbols(page, "teruggekeerd").first.dispatch_event("click")  # markers may overlap: no pointer
    popup = page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content")
    expect(popup).to_contain_text("opgevolgd door")
    expect(popup).to_contain_text(re.compile(r"\(\d{4}|\(\d+ \w+ \d{4}|\(\w+ \d{4}"))
    wait_idle(page)  # the click on the map may have started a rerun
    page.get_by_text("Lijnen naar de opvolger").click()
    expect(lines).to_have_count(0, timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]opvolging=0"), timeout=TIMEOUT)
    assert not js_errors, js_errors


def test_the_shared_url_restores_the_period(page, new_context, streamlit_server, expected):
    open_change(page, streamlit_server, f"gemeente={UTRECHT}&van=2005&tot=2011")
    page.get_by_role("button", name=re.compile("eindjaar −1")).click()
    expect(page).to_have_url(re.compile(r"[?&]tot=2010"), timeout=TIMEOUT)
    wait_idle(page)
    expect(symbols(page, "verdwenen")).to_have_count(expected["2005-2010"]["verdwenen"], timeout=TIMEOUT)
    shared = page.locator('[data-testid="stCode"]').last.inner_text().strip()
    assert query_of(shared)["van"] == "2005" and query_of(shared)["tot"] == "2010"
    assert urlsplit(shared).path.endswith("/verandering")

    # Another browser window (no shared session) opens the link: same period, same symbols.
    colleague = new_context().new_page()
    colleague.goto(shared)
    expect(colleague.frame_locator(MAP_FRAME).locator(".wm-change-legend")).to_be_visible(timeout=30_000)
    expect(colleague.frame_locator(MAP_FRAME).locator(".wm-change-legend")).to_contain_text("2005–2010")
    expect(colleague.frame_locator(MAP_FRAME).locator(".wm-status-verdwenen")).to_have_count(
        expected["2005-2010"]["verdwenen"], timeout=TIMEOUT
    )
    slider = colleague.locator('[data-testid="stSlider"]').first
    expect(slider).to_contain_text("2005")
    expect(slider).to_contain_text("2010")


def test_the_chart_and_summary_draw_without_leaving_the_machine(page, streamlit_server, request_log):
    open_change(page, streamlit_server, f"gemeente={UTRECHT}&van=2005&tot=2020")
    expect(page.get_by_text(re.compile(r"Tussen 2005 en 2020 sloten \d+ buurthuizen"))).to_be_visible()
    charts = page.locator('[data-testid="stVegaLiteChart"]')
    expect(charts).to_have_count(2, timeout=TIMEOUT)
    expect(charts.first.locator("canvas, svg").first).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(500)  # let Vega finish: any font or schema request would show now
    request_log.assert_offline()


def test_amsterdam_repair_cafes_show_the_caveat(page, streamlit_server, js_errors):
    open_change(page, streamlit_server, f"gemeente={AMSTERDAM}")
    expect(page.get_by_text("de eerste maanden zijn het vullen van de lijst")).to_be_visible()
    expect(symbols(page, "verhuisd")).to_have_count(3, timeout=TIMEOUT)  # moves, not closures
    expect(page.get_by_text(re.compile(r"Tussen 2024 en 2026 sloten 10 repair cafés"))).to_be_visible()
    expect_no_exception(page)
    assert not js_errors, js_errors
