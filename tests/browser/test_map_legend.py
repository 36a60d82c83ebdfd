"""The legend never covers the data (issue 16): beside the map where the frame has room,
folded to one line on it where not, opened or folded as the reader left it for the rest of
the browser session; beside the map in the hand-out, on screen and printed. And in
presentation mode, the map fills the wall and no cluster hides another."""

from __future__ import annotations

import contextlib
import re

import pytest
from playwright.sync_api import Error as PlaywrightError, Page, expect

from .helpers import MAP_FRAME, TIMEOUT, wait_idle

pytestmark = pytest.mark.browser

ROTTERDAM = "GM0599"

# Centres closer than the two radii: one symbol covers part of the other.
OVERLAPPING_SYMBOLS = """() => {
  const boxes = Array.from(document.querySelectorAll('.leaflet-marker-icon'))
    .map(e => e.getBoundingClientRect()).filter(b => b.width > 0);
  const pairs = [];
  for (let i = 0; i < boxes.length; i++) for (let j = i + 1; j < boxes.length; j++) {
    const a = boxes[i], b = boxes[j];
    const d = Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);
    if (d < a.width / 2 + b.width / 2 - 1) pairs.push([i, j, Math.round(d)]);
  }
  return [boxes.length, pairs];
}"""

# Where the gemeente's areas (the buttons; the neighbours are outlines) start and end across,
# and where the map does, inside its frame.
AREAS_ACROSS = """paths => {
  const drawn = paths.map(p => p.getBoundingClientRect()).filter(r => r.width);
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  return [Math.min(...drawn.map(r => r.left)), Math.max(...drawn.map(r => r.right)), map.left, map.right];
}"""


@pytest.fixture(scope="module")
def app_spec(reading_app):
    return reading_app


def overlaps(a: dict, b: dict) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and (b["y"] < a["y"] + a["height"])
    )


def open_map(page: Page, url: str, width: int, height: int):
    page.set_viewport_size({"width": width, "height": height})
    page.goto(url)
    frame = page.frame_locator(MAP_FRAME)
    expect(frame.locator(".wm-legend")).to_be_attached(timeout=30_000)
    expect(frame.locator(".leaflet-overlay-pane path").first).to_be_attached(timeout=30_000)
    wait_idle(page)
    return frame


def test_where_the_frame_is_narrow_the_legend_is_one_line_and_stays_as_the_reader_left_it(page, streamlit_server):
    url = streamlit_server.url + f"?gemeente={ROTTERDAM}"
    frame = open_map(page, url, 1440, 900)
    legend = frame.locator(".leaflet-container .wm-legend")
    expect(legend).to_be_visible()
    expect(frame.locator(".wm-legend-dock")).to_be_hidden()
    assert legend.bounding_box()["height"] <= 40, "folded to its title line"
    expect(legend.locator(".wm-sub")).to_be_hidden()

    legend.locator("summary").click()
    expect(legend.locator(".wm-sub")).to_be_visible()
    remembered = [f for f in page.frames if "st_folium" in f.url][0]
    remembered.wait_for_function("() => sessionStorage.getItem('wijkmap-legend-open') === '1'")
    # Another view, and another page: the legend is as the reader left it.
    page.goto(streamlit_server.url + f"verandering?gemeente={ROTTERDAM}")
    change = page.frame_locator(MAP_FRAME).locator(".wm-change-legend")
    expect(change.locator(".wm-sub")).to_be_visible(timeout=30_000)
    change.locator("summary").click()
    expect(change.locator(".wm-sub")).to_be_hidden()
    frame = open_map(page, url, 1440, 900)
    expect(frame.locator(".wm-legend .wm-sub")).to_be_hidden()
    expect(frame.locator(".wm-legend")).to_be_visible()


@pytest.mark.parametrize("query", [f"?gemeente={ROTTERDAM}", f"?gemeente={ROTTERDAM}&presentatie=1"])
def test_where_the_frame_has_room_the_legend_is_beside_the_map_and_open(page, streamlit_server, query):
    frame = open_map(page, streamlit_server.url + query, 1920, 1080)
    dock = frame.locator(".wm-legend-dock")
    expect(dock.locator(".wm-legend .wm-sub")).to_be_visible()
    expect(dock).to_have_attribute("aria-label", "Legenda")
    map_box = frame.locator(".leaflet-container").bounding_box()
    legend_box = dock.locator(".wm-legend").bounding_box()
    assert not overlaps(map_box, legend_box), (map_box, legend_box)
    assert legend_box["x"] >= map_box["x"] + map_box["width"], "to the right of the map"
    # Every area of the gemeente is inside the map, none under the legend or cut off.
    left, right, map_left, map_right = frame.locator(".leaflet-overlay-pane path[role=button]").evaluate_all(
        AREAS_ACROSS
    )
    assert map_left <= left and right <= map_right, (left, right, map_left, map_right)


def test_in_presentation_mode_the_map_fills_the_wall_and_no_cluster_hides_another(page, streamlit_server):
    frame = open_map(page, streamlit_server.url + f"?gemeente={ROTTERDAM}&presentatie=1", 1920, 1080)
    box = page.locator(MAP_FRAME).bounding_box()
    assert box["width"] >= 1850 and box["y"] + box["height"] >= 1080 - 40, box
    # The gemeente spans the map's width: at least 70% of what is left beside the legend.
    left, right, map_left, map_right = frame.locator(".leaflet-overlay-pane path[role=button]").evaluate_all(
        AREAS_ACROSS
    )
    assert right - left >= 0.7 * (map_right - map_left), (left, right, map_left, map_right)
    (map_frame,) = [f for f in page.frames if "st_folium" in f.url]

    def spread_apart() -> tuple[int, list]:
        # The clusters are spread after they are drawn: wait until no pair overlaps.
        with contextlib.suppress(PlaywrightError):
            map_frame.wait_for_function(f"() => ({OVERLAPPING_SYMBOLS})()[1].length === 0", timeout=5_000)
        return map_frame.evaluate(OVERLAPPING_SYMBOLS)

    count, pairs = spread_apart()
    assert count > 10 and not pairs, (count, pairs)
    # Zoomed in, and moved: the clusters split or come into view, and are spread again.
    map_frame.evaluate("() => window.wijkmapRecords._map.zoomIn(1, {animate: false})")
    count, pairs = spread_apart()
    assert count > 10 and not pairs, (count, pairs)
    map_frame.evaluate("() => window.wijkmapRecords._map.panBy([300, 0], {animate: false})")
    count, pairs = spread_apart()
    assert count > 10 and not pairs, (count, pairs)


# The Leaflet map's bounds as [south, west, north, east].
MAP_BOUNDS = """() => {
  const map = Object.values(window).find(v => v instanceof L.Map);
  const b = map.getBounds();
  return [b.getSouth(), b.getWest(), b.getNorth(), b.getEast()];
}"""


def test_the_hand_out_has_the_legend_beside_the_map_on_screen_and_printed(page, browser, streamlit_server, tmp_path):
    open_map(page, streamlit_server.url + f"?gemeente={ROTTERDAM}&presentatie=1", 1440, 900)
    # The presenter zooms in on the centre; the hand-out shows that, not the whole gemeente.
    (map_frame,) = [f for f in page.frames if "st_folium" in f.url]
    map_frame.evaluate("() => window.wijkmapRecords._map.setView([51.92, 4.48], 13, {animate: false})")
    expect(page).to_have_url(re.compile(r"zoom=13"), timeout=TIMEOUT)
    wait_idle(page)
    shown = map_frame.evaluate(MAP_BOUNDS)
    with page.expect_download() as download:
        page.get_by_role("button", name="Hand-out (HTML)").click()
    saved = tmp_path / "hand-out.html"
    download.value.save_as(saved)

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    context.route(lambda url: not url.startswith("file:"), lambda route: route.abort())
    handout = context.new_page()
    handout.goto(saved.as_uri())
    legend = handout.locator(".wm-legend-dock .wm-legend")
    expect(legend.locator(".wm-sub")).to_be_visible(timeout=TIMEOUT)
    assert not overlaps(handout.locator(".leaflet-container").bounding_box(), legend.bounding_box())
    # What the wall showed, fitted to the hand-out's smaller window: all of it, and not much more.
    south, west, north, east = handout.evaluate(MAP_BOUNDS)
    assert south <= shown[0] and west <= shown[1] and north >= shown[2] and east >= shown[3], (shown, south)
    assert (east - west) < 2 * (shown[3] - shown[1]), ((east - west), shown)  # as zoomed in as the wall

    # Printed from a narrow window, where the screen folds it: beside the map, open.
    handout.set_viewport_size({"width": 700, "height": 900})
    expect(handout.locator(".leaflet-container .wm-legend")).to_be_visible()
    handout.emulate_media(media="print")
    expect(legend.locator(".wm-sub")).to_be_visible()
    assert not overlaps(handout.locator(".leaflet-container").bounding_box(), legend.bounding_box())
    context.close()
