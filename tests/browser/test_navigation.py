"""Moving around the app as a person does: between pages, back and forward, in two languages.

The view (gemeente, filters, language) belongs to the session: it goes along from the
Kaart to the Verandering page and back, the browser's back button brings the view before
back, and a page that opens at a position from a link comes to rest. Runs on the shared
`reading_app` server (app.py on a copy of the small store).
"""

from __future__ import annotations

import dataclasses
import re
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Page, expect

from .helpers import (
    MAP_FRAME,
    TIMEOUT,
    expect_no_exception,
    metric,
    query_of,
    wait_idle,
)

pytestmark = pytest.mark.browser

UTRECHT, ROTTERDAM = "GM0344", "GM0599"
ENGLISH_TITLE = "wijkmap — the social infrastructure per neighbourhood"


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def open_page(page: Page, url: str, legend: str = ".wm-legend") -> None:
    page.goto(url)
    expect(page.frame_locator(MAP_FRAME).locator(legend)).to_be_visible(timeout=30_000)
    wait_idle(page)


def go_to(page: Page, link: str) -> None:
    """Click a page in the sidebar's navigation."""
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name=link, exact=True).click()
    wait_idle(page)


def bridging_pill(page: Page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    return sidebar.get_by_role("button", name=re.compile(r"^Bridging"), exact=False)


def test_the_view_goes_along_to_the_change_page_and_back(page, streamlit_server, js_errors):
    open_page(page, streamlit_server.url + f"?gemeente={UTRECHT}&strategie=bridging")
    expect(bridging_pill(page)).to_have_attribute("aria-pressed", "true")

    go_to(page, "Verandering")
    expect(page.frame_locator(MAP_FRAME).locator(".wm-change-legend")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile(rf"Utrecht \({UTRECHT}\)"))
    # The address bar names the page and the view, so it can be copied as it is.
    expect(page).to_have_url(re.compile(rf"/verandering\?(.+&)?gemeente={UTRECHT}"), timeout=TIMEOUT)

    go_to(page, "Kaart")
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile(rf"Utrecht \({UTRECHT}\)"))
    expect(bridging_pill(page)).to_have_attribute("aria-pressed", "true")
    expect(page).to_have_url(re.compile(rf"/\?(.+&)?gemeente={UTRECHT}"), timeout=TIMEOUT)
    assert query_of(page.url)["strategie"] == "bridging"
    # Widgets that share a name across the pages kept their own values (the sample switch).
    assert "voorbeeld" not in query_of(page.url)
    # Back: Streamlit's navigation left an entry without a query; the view stays.
    page.go_back()
    wait_idle(page)
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile(rf"Utrecht \({UTRECHT}\)"))
    expect(page).to_have_url(re.compile(rf"[?&]gemeente={UTRECHT}"), timeout=TIMEOUT)
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_the_language_stays_on_every_page(page, streamlit_server):
    open_page(page, streamlit_server.url + f"?gemeente={UTRECHT}&indicator=pct_65plus")
    page.locator('[data-testid="stSidebar"]').get_by_text("English", exact=True).click()
    expect(page.get_by_role("heading", name=ENGLISH_TITLE)).to_be_visible(timeout=TIMEOUT)
    wait_idle(page)
    # Every label changed, and no setting fell back to its first choice.
    expect(page.get_by_role("combobox", name="Colour the map by")).to_have_value(re.compile("65"))

    go_to(page, "Data")
    expect(page.get_by_role("heading", name="Data", exact=True)).to_be_visible(timeout=TIMEOUT)
    go_to(page, "Map")
    expect(page.get_by_role("heading", name=ENGLISH_TITLE)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Municipality")).to_have_value(re.compile(rf"Utrecht \({UTRECHT}\)"))
    expect(page).to_have_url(re.compile(r"[?&]lang=en"), timeout=TIMEOUT)
    expect_no_exception(page)


def test_the_back_button_brings_the_view_before_back(page, streamlit_server):
    open_page(page, streamlit_server.url + f"?gemeente={UTRECHT}")
    shown = metric(page, "Voorzieningen getoond")
    everything = shown.inner_text()
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary', has_text="Filters").click()
    bridging_pill(page).click()
    expect(page).to_have_url(re.compile(r"[?&]strategie=bridging"), timeout=TIMEOUT)
    expect(shown).not_to_have_text(everything)
    wait_idle(page)

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"strategie="), timeout=TIMEOUT)
    expect(shown).to_have_text(everything)
    wait_idle(page)
    # ...and the app did not write the filter back after the browser went back.
    page.wait_for_timeout(1000)
    assert "strategie" not in query_of(page.url)
    expect(shown).to_have_text(everything)


# The runs of the app, counted in the page: Streamlit sets this attribute on every run.
COUNT_RUNS = """() => {
  window.__wmRuns = 0;
  const app = document.querySelector('[data-testid="stApp"]');
  new MutationObserver(() => {
    if (app.getAttribute('data-test-script-state') === 'running') window.__wmRuns += 1;
  }).observe(app, {attributes: true, attributeFilter: ['data-test-script-state']});
}"""


@pytest.mark.parametrize(
    "path, legend",
    [("", ".wm-legend"), ("verandering", ".wm-change-legend")],
    ids=["kaart", "verandering"],
)
def test_a_link_with_a_map_position_comes_to_rest(page, streamlit_server, path, legend):
    """A map asked for a position answers with its own, slightly different one (its frame
    differs from the one the link was made in). Sent back to the map, that made the
    Verandering page rerun and move the map for ever."""
    open_page(page, streamlit_server.url + f"{path}?gemeente={UTRECHT}&lat=52.08420&lon=5.14442&zoom=11", legend)
    address = page.url
    page.evaluate(COUNT_RUNS)
    page.wait_for_timeout(3000)
    assert page.evaluate("window.__wmRuns") == 0, "the app kept running with nobody touching it"
    assert page.url == address
    assert urlsplit(page.url).path.rstrip("/").endswith(path)


def map_zoom(page: Page) -> float:
    return page.locator(MAP_FRAME).element_handle().content_frame().evaluate("window.map.getZoom()")


@pytest.mark.parametrize(
    "path, legend",
    [("", ".wm-legend"), ("verandering", ".wm-change-legend")],
    ids=["kaart", "verandering"],
)
def test_a_zoom_stays_where_the_person_put_it(page, streamlit_server, path, legend):
    """The map reports a zoom; handed back to the map, that made it jump between the old
    and the new zoom level for ever."""
    open_page(page, streamlit_server.url + f"{path}?gemeente={ROTTERDAM}", legend)
    wanted = map_zoom(page) + 0.5  # one click on + (zoom_delta)
    page.locator(MAP_FRAME).scroll_into_view_if_needed()
    page.frame_locator(MAP_FRAME).locator(".leaflet-control-zoom-in").click()
    page.wait_for_function(
        "z => Number(new URLSearchParams(location.search).get('zoom')) === z", arg=wanted, timeout=TIMEOUT
    )
    wait_idle(page)
    page.evaluate(COUNT_RUNS)
    page.wait_for_timeout(3000)
    assert map_zoom(page) == wanted
    assert float(query_of(page.url)["zoom"]) == wanted
    assert page.evaluate("window.__wmRuns") == 0, "the map kept moving with nobody touching it"


# A point where a click reaches an area of the layer `window[name]` itself (not a marker,
# the legend or a control): the centre of the first area whose centre is clear.
CLEAR_AREA_JS = """(name) => {
  const map = window.map, box = map.getContainer().getBoundingClientRect(), size = map.getSize();
  for (const layer of window[name].getLayers()) {
    const p = map.latLngToContainerPoint(layer.getCenter());
    if (p.x < 60 || p.y < 80 || p.x > size.x - 10 || p.y > size.y - 40) continue;
    if (document.elementFromPoint(box.left + p.x, box.top + p.y) === layer._path)
      return {code: layer.feature.properties.c, x: Math.round(p.x), y: Math.round(p.y)};
  }
  return null;
}"""


@pytest.mark.parametrize(
    "path, legend, areas",
    [("", ".wm-legend", "wijkmapAreas"), ("verandering", ".wm-change-legend", "wijkmapChangeAreas")],
    ids=["kaart", "verandering"],
)
def test_a_click_on_an_area_selects_it_on_either_page(page, streamlit_server, path, legend, areas):
    """Both pages take a click on the map the same way: the area is selected, the rest of
    the view stays, and the map's report that follows does not undo the selection."""
    open_page(page, streamlit_server.url + f"{path}?gemeente={UTRECHT}&strategie=bridging", legend)
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
    point = page.locator(MAP_FRAME).element_handle().content_frame().evaluate(CLEAR_AREA_JS, areas)
    assert point, "no area of the map is clear to click"
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})

    expect(page).to_have_url(re.compile(rf"[?&]gebied={point['code']}(&|$)"), timeout=TIMEOUT)
    expect(page.get_by_text(point["code"], exact=True)).to_be_visible(timeout=TIMEOUT)  # the profile's caption
    wait_idle(page)
    page.wait_for_timeout(1000)
    query = query_of(page.url)
    assert (query.get("gebied"), query.get("gemeente"), query.get("strategie")) == (point["code"], UTRECHT, "bridging")
    assert urlsplit(page.url).path.rstrip("/").endswith(path)
    expect_no_exception(page)


PROBE_APP = """
import wijkmap
import streamlit as st

st.text("wijkmap from " + wijkmap.__file__)
"""


def test_the_server_runs_this_checkouts_code(page, streamlit_servers, tmp_path_factory):
    """Every browser test checks the code of this checkout, not that of the tree the virtual
    environment was installed from (an editable install of another worktree)."""
    from .conftest import PROJECT_ROOT, AppSpec

    script = tmp_path_factory.mktemp("probe-app") / "probe.py"
    script.write_text(PROBE_APP, encoding="utf-8")
    server = streamlit_servers(AppSpec(script))
    page.goto(server.url)
    expect(page.get_by_text("wijkmap from ")).to_have_text(
        f"wijkmap from {PROJECT_ROOT / 'src' / 'wijkmap' / '__init__.py'}", timeout=TIMEOUT
    )


LINK_MARKDOWN = {"gemeente": "[klik](http://evil.example/)", "schema": "![x](http://evil.example/a.png)"}


@pytest.mark.parametrize(("path", "legend"), [("", ".wm-legend"), ("verandering", ".wm-change-legend")])
def test_text_from_the_link_is_shown_as_written(page, streamlit_server, js_errors, path, legend):
    """Markdown in a link's parameters is not rendered: no link to click, no image fetched
    from another host (the harness fails the test on any request that leaves the machine)."""
    from urllib.parse import urlencode

    open_page(page, streamlit_server.url + path + "?" + urlencode(LINK_MARKDOWN), legend)
    warning = page.locator('[data-testid="stAlertContentWarning"]', has_text="Niet begrepen in de link")
    expect(warning).to_be_visible()
    # As written; ui.literal puts invisible word joiners in what Streamlit would link.
    assert warning.inner_text().replace("\u2060", "") == (
        "Niet begrepen in de link, genegeerd: gemeente=[klik](http://evil.example/), "
        "schema=![x](http://evil.example/a.png)"
    )
    expect(page.locator('a[href*="evil.example"]')).to_have_count(0)
    expect(page.locator('img[src*="evil.example"]')).to_have_count(0)
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_a_huge_parameter_is_quoted_short_and_quickly(page, streamlit_server, request_log):
    started = time.monotonic()
    open_page(page, streamlit_server.url + "?gemeente=" + "A" * 100_000)
    warning = page.locator('[data-testid="stAlertContentWarning"]', has_text="Niet begrepen in de link")
    expect(warning).to_have_text("Niet begrepen in de link, genegeerd: gemeente=" + "A" * 59 + "…", timeout=5_000)
    assert time.monotonic() - started < 15
    expect_no_exception(page)
    assert "gemeente" not in query_of(page.url)  # the address bar no longer carries it


# Records the first time the page shows the loading status, before any run has drawn.
SEEN_LOADING = """window.__loading = null;
new MutationObserver(() => {
  const status = document.querySelector('[role=status]');
  if (status && window.__loading === null) window.__loading = status.textContent;
}).observe(document, {subtree: true, childList: true});"""


def test_a_fresh_server_says_it_is_loading_until_the_page_has_drawn(page, streamlit_servers, reading_app):
    """The first run on a fresh server imports and reads for seconds: the page says so at
    once, in a status a screen reader announces, gone once the page has drawn."""
    # Another environment makes the server fixture start a server of its own (nothing reads it).
    fresh = dataclasses.replace(reading_app, env={**dict(reading_app.env), "WIJKMAP_TEST_FRESH_SERVER": "1"})
    server = streamlit_servers(fresh)
    page.add_init_script(SEEN_LOADING)
    page.goto(server.url + f"?gemeente={ROTTERDAM}")
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_attached(timeout=60_000)
    assert page.evaluate("window.__loading") == "De kaart en de gegevens worden geladen…"
    expect(page.get_by_role("status").filter(has_text="worden geladen")).to_have_count(0)


def test_the_map_says_it_is_being_drawn_until_it_covers_that(page, streamlit_server):
    """streamlit-folium's frame is empty until its libraries have loaded: the map's place
    says the map is being drawn, and the drawn map, opaque, covers the text."""
    page.goto(streamlit_server.url + f"?gemeente={ROTTERDAM}")
    frame = page.locator(MAP_FRAME)
    expect(frame).to_be_attached(timeout=30_000)
    place = frame.locator("xpath=..")
    text = place.evaluate("el => getComputedStyle(el, '::before').content")
    assert text == '"De kaart wordt getekend…"', text
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_attached(timeout=30_000)
    background = (
        page.frame_locator(MAP_FRAME)
        .locator(".leaflet-container")
        .evaluate("el => getComputedStyle(el).backgroundColor")
    )
    assert background.startswith("rgb("), background  # opaque (no alpha): the text behind it is hidden
    map_box, place_box = frame.bounding_box(), place.bounding_box()
    assert map_box["height"] >= place_box["height"] - 1 and map_box["width"] >= place_box["width"] - 1


def test_a_click_on_another_page_while_the_map_starts_stays_there(page, streamlit_server):
    """The map reports its position once it has started. A report sent after a click on
    another page, before the app had run that page, brought the person back to the map
    (Streamlit sends a widget's value with the page it drew last). Here the map's script
    is held until after the click, and the app's answers until the map has started."""
    held_script: list = []
    page.route("**/vendor/wijkmap/map-*.js", lambda route: held_script.append(route))
    held_answers: list = []
    holding = {"answers": False}

    def relay(ws):
        server = ws.connect_to_server()
        ws.on_message(lambda message: server.send(message))
        server.on_message(
            lambda message: held_answers.append((ws, message)) if holding["answers"] else ws.send(message)
        )

    page.route_web_socket(re.compile(r"/_stcore/stream"), relay)
    page.goto(streamlit_server.url + f"gegevens?gemeente={UTRECHT}")
    wait_idle(page)
    go_to(page, "Kaart")
    expect(metric(page, "Voorzieningen getoond")).to_be_visible(timeout=TIMEOUT)
    deadline = time.monotonic() + TIMEOUT / 1000
    while not held_script and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    assert held_script, "the map's frame asked for its script"

    holding["answers"] = True
    page.locator('[data-testid="stSidebarNav"]').get_by_role("link", name="Gegevens", exact=True).click()
    for route in held_script:
        route.continue_()
    page.unroute("**/vendor/wijkmap/map-*.js")
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-container")).to_be_visible(timeout=TIMEOUT)
    page.wait_for_timeout(1500)  # the map has started and sent its report, or not
    holding["answers"] = False
    for ws, message in held_answers:
        ws.send(message)
    wait_idle(page)
    page.wait_for_timeout(1000)
    wait_idle(page)
    assert urlsplit(page.url).path.endswith("/gegevens"), page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Gegevens"))
    # Arrived: the note of the click is gone, so the maps of the next page report again.
    assert page.evaluate("window.wijkmapLeaving") is None
