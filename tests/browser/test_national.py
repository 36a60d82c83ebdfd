"""The national buurt map as a person uses it: `?niveau=buurt` without a gemeente, every
buurt of the store drawn from vector tiles (a PMTiles file the app serves by range
requests), in Chromium against the real app (app.py) on the small store.

Inside the map's iframe the tile layer leaves `window.wijkmapTileAreas` (the
protomaps-leaflet layer) and `window.wijkmapTileState` (the class per area code the
server sent); `map` is the Leaflet map. The harness (conftest.py) fails a test whose page
asked any host but localhost and the basemap's tile server.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from wijkmap.data import store, tiles

from .helpers import MAP_FRAME, TIMEOUT, expect_no_exception, metric, wait_idle

pytestmark = pytest.mark.browser

TILES_PATH = "/app/static/tiles/"
FIRST_RUN_TIMEOUT = 90_000  # ms


@pytest.fixture(scope="module")
def app_spec(reading_app):
    # build-data writes the tiles; for this store copy the page would on its first run.
    tiles.tiles_file("buurt_2015", dict(reading_app.env)["WIJKMAP_STORE"])
    return reading_app


@pytest.fixture(scope="module")
def buurten(reading_app):
    """The store's buurten (code, naam, a point inside each), as the page should know them."""
    frame = store.read_areas("buurt_2015", path=dict(reading_app.env)["WIJKMAP_STORE"])
    points = frame.geometry.representative_point()
    return frame.assign(lat=points.y, lon=points.x)


def frame_of(page: Page):
    return page.frame_locator(MAP_FRAME)


def in_map(page: Page, script: str, arg=None):
    """Evaluate `script` (a function) in the map's iframe."""
    return page.locator(MAP_FRAME).element_handle().content_frame().evaluate(script, arg)


# Pixels painted on the tile canvases (not transparent): the buurten were drawn.
PAINTED = """() => Array.from(document.querySelectorAll('canvas.leaflet-tile')).reduce((n, c) => {
  if (!c.width) { return n; }
  const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
  for (let i = 3; i < data.length; i += 4 * 7) { if (data[i] > 0) { n += 1; } }
  return n;
}, 0)"""


def open_national(page: Page, server, query: str = "") -> None:
    page.goto(server.url + "?niveau=buurt" + query)
    # The first run of a fresh server reads the store and imports the classifiers: on a
    # busy machine that is longer than one rerun may take (wait_idle's timeout).
    expect(page.locator(MAP_FRAME)).to_be_attached(timeout=FIRST_RUN_TIMEOUT)
    wait_idle(page)
    expect_no_exception(page)
    frame_of(page).locator("canvas.leaflet-tile").first.wait_for(state="attached", timeout=TIMEOUT)
    page.wait_for_function(
        f"""() => {{
          const f = document.querySelector('{MAP_FRAME}');
          const w = f && f.contentWindow;
          return w && w.wijkmapTileState && w.wijkmapTileAreas;
        }}""",
        timeout=TIMEOUT,
    )


def tile_requests(request_log) -> list[str]:
    return [url for url in request_log.local(TILES_PATH) if ".pmtiles" in url]


def test_national_buurt_map_draws_every_buurt_from_local_tiles(page, streamlit_server, request_log, buurten, js_errors):
    open_national(page, streamlit_server)
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(len(buurten)))
    classes = in_map(page, "() => window.wijkmapTileState.lookup")
    grey = int(re.search(r"\((\d+)\)", frame_of(page).locator(".wm-legend").text_content()).group(1))
    assert set(classes) <= set(buurten["code"]) and len(classes) + grey == len(buurten), (
        "every buurt has its class for the tiles, or is counted grey"
    )
    page.wait_for_function(
        f"() => document.querySelector('{MAP_FRAME}').contentWindow.document.querySelectorAll('canvas.leaflet-tile').length > 0"
    )
    for _ in range(40):
        if in_map(page, PAINTED) > 0:
            break
        page.wait_for_timeout(250)
    assert in_map(page, PAINTED) > 0, "the tile canvases show coloured buurten"
    requests = tile_requests(request_log)
    assert requests, "the tiles came from the app's own static serving"
    assert all(re.match(r"^http://(127\.0\.0\.1|localhost)(:\d+)?/", url) for url in requests), requests
    # No CDN: the map's scripts are the app's own copies.
    scripts = in_map(page, "() => Array.from(document.scripts).map(s => s.src).filter(Boolean)")
    assert any("/app/static/vendor/protomaps-leaflet/" in src for src in scripts), scripts
    assert all(src.startswith(streamlit_server.url.rstrip("/")) for src in scripts), scripts
    assert not js_errors


def test_click_selects_the_buurt_under_it(page, streamlit_server, buurten, js_errors):
    buurt = buurten[buurten["gemeentecode"] == "GM0344"].sort_values("code").iloc[5]
    open_national(page, streamlit_server, f"&lat={buurt.lat:.5f}&lon={buurt.lon:.5f}&zoom=15")
    point = in_map(
        page,
        "([lat, lon]) => { const p = map.latLngToContainerPoint([lat, lon]); return [p.x, p.y]; }",
        [buurt.lat, buurt.lon],
    )
    page.locator(MAP_FRAME).click(position={"x": point[0], "y": point[1]})
    expect(page).to_have_url(re.compile(rf"[?&]gebied={buurt.code}(&|$)"), timeout=TIMEOUT)
    wait_idle(page)
    expect_no_exception(page)
    expect(page.get_by_role("heading", name=buurt.naam, exact=True)).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_text(buurt.code, exact=True)).to_be_visible()
    assert not js_errors


def test_another_indicator_repaints_without_fetching_tiles(page, streamlit_server, request_log, js_errors):
    open_national(page, streamlit_server)
    page.wait_for_timeout(1500)  # let the first paint's range requests finish
    before = len(tile_requests(request_log))
    lookup_before = in_map(page, "() => window.wijkmapTileState.lookup")
    legend = frame_of(page).locator(".wm-legend h4")
    expect(legend).to_have_text("Eenpersoonshuishoudens (%)")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kleur de kaart naar").click()
    page.keyboard.type("65 jaar of ouder")
    page.get_by_role("option").first.click()
    wait_idle(page)
    expect_no_exception(page)
    expect(legend).to_have_text(re.compile("65"), timeout=TIMEOUT)
    expect(frame_of(page).locator(".wm-legend")).to_have_count(1)
    assert in_map(page, "() => window.wijkmapTileState.lookup") != lookup_before, "the classes changed"
    page.wait_for_timeout(1000)
    assert len(tile_requests(request_log)) == before, "no tile was fetched again"
    assert not js_errors
