"""The map explorer as a person uses it: the real app (app.py) in Chromium.

One Streamlit server runs app.py on a private copy of the session's small store
(Utrecht GM0344, Rotterdam GM0599, Amsterdam GM0363) into which one record with a
hostile name and source was imported before the server started. Every test also
relies on the harness (tests/browser/conftest.py): no request may leave for a host
other than localhost and the tile server.

The map lives in streamlit-folium's iframe. Inside it, mapview's layers leave handles
on `window`: `wijkmapAreas` (the choropleth, one layer per area), `wijkmapRecords`
(the clustered records: shown() the records drawn, showRecord(i, done)) and `map` (the Leaflet map).
"""

from __future__ import annotations

import contextlib
import csv
import dataclasses
import io
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError, Page, expect

from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.map.layers import CATEGORY_STYLE

from .helpers import (
    MAP_FRAME,
    TIMEOUT,
    expect_no_exception,
    metric,
    query_of,
    wait_idle,
)

pytestmark = pytest.mark.browser

PROJECT_ROOT = Path(__file__).resolve().parents[2]
UTRECHT, ROTTERDAM = "GM0344", "GM0599"
UTRECHT_BUURTEN = 111  # CBS wijk- en buurtkaart 2015
CATEGORY_COLOURS = {vocab.label("categorie", code, "nl"): colour for code, (colour, _) in CATEGORY_STYLE.items()}

# Imported into the store copy as a register row: text from a municipality's file.
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_SOURCE = "<img src=y onerror=alert(2)> register"
REGISTER_CSV = (
    "naam;soort;strategie;actortype;doelgroep;geopend;bron;lat;lon\n"
    f"{HOSTILE_NAME};buurthuis;bridging;bewoners;iedereen;2020;{HOSTILE_SOURCE};52.0907;5.1214\n"
)

# A shared view, set through the URL (every value differs from the default).
SHARED_VIEW = {
    "gemeente": ROTTERDAM,
    "niveau": "wijk",
    "indicator": "pct_65plus",
    "schema": "natural_breaks",
    "klassen": "4",
    "strategie": "bridging",
}

# --- the app under test ----------------------------------------------------------------


@pytest.fixture(scope="module")
def explorer_store(small_store_path, tmp_path_factory):
    """A private copy of the small store, plus one imported register row (via the CLI)."""
    folder = tmp_path_factory.mktemp("explorer-store")
    path = folder / "wijkmap.gpkg"
    shutil.copyfile(small_store_path, path)
    register = folder / "register.csv"
    register.write_text(REGISTER_CSV, encoding="utf-8")
    env = {**os.environ, "WIJKMAP_STORE": str(path)}
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(PROJECT_ROOT / "src"), env.get("PYTHONPATH")) if p)
    result = subprocess.run(
        [sys.executable, "-m", "wijkmap", "import", str(register)],
        cwd=PROJECT_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and "1 nieuw" in result.stdout, result.stdout + result.stderr
    return path


@pytest.fixture(scope="module")
def app_spec(app_spec, explorer_store):
    """The real app on the store copy (derived from the harness's default AppSpec)."""
    return dataclasses.replace(app_spec, script=PROJECT_ROOT / "app.py", env={"WIJKMAP_STORE": str(explorer_store)})


@pytest.fixture(scope="module")
def expected(explorer_store) -> dict:
    """What the store says the views must show (read before any browser is involved)."""
    from wijkmap.core.view import ViewState
    from wijkmap.data import store
    from wijkmap.explorer import model as explorer

    records = store.read_records(path=explorer_store)
    utrecht = records[records["gemeentecode"] == UTRECHT]

    def shown(frame, **settings) -> int:
        return len(explorer.visible_records(frame, ViewState(**settings)))

    buurten = store.read_areas("buurt_2015", UTRECHT, path=explorer_store)
    rotterdam = records[records["gemeentecode"] == ROTTERDAM]
    # The shared view's wijken: those of the year the app picks for the indicator there
    # (the best covered one), on that year's wijk boundaries.
    statistics = store.read_statistics(path=explorer_store)
    candidates = {
        layer: store.read_areas(layer, ROTTERDAM, path=explorer_store) for layer in ("wijk_2015", "wijk_2024")
    }
    codes = set().union(*(set(frame["code"]) for frame in candidates.values()))
    shared_year = indeling.default_year(indeling.years_available(statistics, SHARED_VIEW["indicator"], codes))
    figures = statistics[(statistics["indicator"] == SHARED_VIEW["indicator"]) & (statistics["jaar"] == shared_year)]
    matches = {layer: len(set(figures["code"]) & set(frame["code"])) for layer, frame in candidates.items()}
    wijken = candidates[indeling.pick_layer(matches, {"wijk_2015": 2015, "wijk_2024": 2024}, shared_year)]
    values = {
        "buurten": len(buurten),
        "buurt_names": dict(zip(buurten["code"], buurten["naam"])),
        "all": shown(utrecht, gemeente=UTRECHT),
        "bridging": shown(utrecht, gemeente=UTRECHT, strategie=["bridging"]),
        "bridging_informal": shown(utrecht, gemeente=UTRECHT, strategie=["bridging"], formaliteit=["informeel"]),
        "real": shown(utrecht, gemeente=UTRECHT, voorbeeld=False),
        "rotterdam_all": shown(rotterdam, gemeente=ROTTERDAM),
        "rotterdam_bridging": shown(rotterdam, gemeente=ROTTERDAM, strategie=["bridging"]),
        "rotterdam_wijken": dict(zip(wijken["code"], wijken["naam"])),
        "shared_year": shared_year,
        "gemeenten": sorted(
            set(store.read_areas("gemeente_2015", path=explorer_store)["code"])
            | set(store.read_areas("gemeente_2023", path=explorer_store)["code"])
        ),
        "rotterdam_buurten": len(store.read_areas("buurt_2015", ROTTERDAM, path=explorer_store)),
    }
    # The filters must make a difference, or the tests below prove nothing.
    assert values["buurten"] == UTRECHT_BUURTEN
    assert 0 < values["bridging_informal"] < values["bridging"] < values["all"]
    assert values["real"] == 1  # the imported record: Utrecht's other records are the sample
    assert 0 < values["rotterdam_bridging"] < values["rotterdam_all"]
    assert values["gemeenten"] == sorted([UTRECHT, "GM0363", ROTTERDAM])
    return values


# --- helpers ---------------------------------------------------------------------------


def open_view(page: Page, server, query: str = "") -> None:
    """Open the app at `query` and wait until the map is drawn and the app is idle.

    After the map's first render the app writes the map position into the URL
    (lat/lon/zoom): that rerun marks the page as settled."""
    page.goto(server.url + query)
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend")).to_be_visible(timeout=30_000)
    expect(page).to_have_url(re.compile(r"[?&]zoom=\d+"), timeout=TIMEOUT)
    wait_idle(page)


def wait_for_outcome(page: Page, url_part: str) -> None:
    """After a click on the map: wait until the URL holds `url_part` or the app failed."""
    with contextlib.suppress(PlaywrightError):  # the assertions that follow say what is missing
        page.wait_for_function(
            "part => location.search.includes(part) || !!document.querySelector('[data-testid=\"stException\"]')",
            arg=url_part,
            timeout=TIMEOUT,
        )


def show_whole_map(page: Page) -> None:
    """Scroll the page so that the whole map is in the window, as a person would before
    clicking on it (see test_marker_popup_opens_on_first_click_with_map_partly_out_of_view)."""
    page.locator(MAP_FRAME).evaluate("e => e.scrollIntoView({block: 'center'})")


def map_frame(page: Page):
    """The document inside streamlit-folium's iframe, as it is now."""
    handle = page.locator(MAP_FRAME).element_handle(timeout=TIMEOUT)
    frame = handle.content_frame()
    assert frame is not None
    return frame


def in_map(page: Page, script: str, arg=None, timeout: float = 15.0):
    """Evaluate `script` in the map iframe, retrying while the iframe is (re)loading."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return map_frame(page).evaluate(script, arg)
        except PlaywrightError:
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(100)


def map_state(page: Page) -> dict:
    """What the map shows now: areas, markers, position, and the test's probe."""
    return in_map(
        page,
        """() => ({
            areas: window.wijkmapAreas ? window.wijkmapAreas.getLayers().length : null,
            records: window.wijkmapRecords ? window.wijkmapRecords.shown().length : null,
            probe: window.__wijkmapProbe || null,
            zoom: window.map ? window.map.getZoom() : null,
            center: window.map ? window.map.getCenter() : null,
        })""",
    )


def wait_for_map(page: Page, timeout: float = 15.0, **wanted) -> dict:
    """Poll map_state until every `wanted` key has its value; return the last state."""
    deadline = time.monotonic() + timeout
    while True:
        state = map_state(page)
        if all(state.get(key) == value for key, value in wanted.items()):
            return state
        if time.monotonic() > deadline:
            return state
        page.wait_for_timeout(100)


# A point on the map where a click reaches the area with code `code` itself (not a
# marker, a cluster, the legend or a neighbour): its centre if that is clear, else
# the first clear point of a grid over its bounds. Container pixels, or null.
CLEAR_POINT_JS = """
(code) => {
  const map = window.map, size = map.getSize(), box = map.getContainer().getBoundingClientRect();
  const layers = window.wijkmapAreas.getLayers().filter(l => !code || l.feature.properties.c === code);
  function clear(layer, latlng) {
    const p = map.latLngToContainerPoint(latlng);
    if (p.x < 60 || p.y < 80 || p.x > size.x - 10 || p.y > size.y - 40) return null;  // controls
    const hit = document.elementFromPoint(box.left + p.x, box.top + p.y);
    return hit === layer._path ? {code: layer.feature.properties.c, x: Math.round(p.x), y: Math.round(p.y)} : null;
  }
  for (const layer of layers) {
    const centre = clear(layer, layer.getCenter());
    if (centre) return centre;
  }
  for (const layer of layers) {
    const b = layer.getBounds();
    for (let i = 1; i < 12; i++) for (let j = 1; j < 12; j++) {
      const point = clear(layer, L.latLng(b.getSouth() + (b.getNorth() - b.getSouth()) * i / 12,
                                          b.getWest() + (b.getEast() - b.getWest()) * j / 12));
      if (point) return point;
    }
  }
  return null;
}
"""


def click_area(page: Page, code: str | None = None) -> str:
    """Click an area on the map (a given one, or the first one that is clear) like a
    person does, with the mouse; return its code."""
    show_whole_map(page)
    point = in_map(page, CLEAR_POINT_JS, code)
    assert point, f"no clickable point found for {code or 'any area'}"
    page.frame_locator(MAP_FRAME).locator(".leaflet-container").click(position={"x": point["x"], "y": point["y"]})
    return point["code"]


# --- 1. a gemeente's buurten -------------------------------------------------------------


def test_figures_of_another_year_draw_every_buurt_and_count_the_grey_ones(
    page, streamlit_server, explorer_store, js_errors
):
    """Utrecht's 2024 figures on the 2015 buurten (the store has no 2024 buurten): every
    buurt is drawn; those whose code or boundary changed since 2015 are grey, and the
    legend says how many and why."""
    from wijkmap.data import store

    buurten = store.read_areas("buurt_2015", UTRECHT, path=explorer_store)
    reasons = indeling.comparable(
        store.read_statistics(path=explorer_store), "pct_65plus", 2024, buurten["code"], 2015, buurten["gemeentecode"]
    )
    changed, no_figure = int((reasons == indeling.CHANGED).sum()), int((reasons == indeling.NO_FIGURE).sum())
    assert changed > 0  # else this proves nothing

    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&indicator=pct_65plus&jaar=2024")
    state = wait_for_map(page, areas=UTRECHT_BUURTEN)
    assert state["areas"] == UTRECHT_BUURTEN
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(UTRECHT_BUURTEN))
    grey = in_map(page, "() => window.wijkmapAreas.getLayers().filter(l => l.feature.properties.k === -1).length")
    assert grey == changed + no_figure
    legend = page.frame_locator(MAP_FRAME).locator(".wm-legend")
    expect(legend.locator(".wm-sub")).to_contain_text("2024 · %")
    parts = ([f"{no_figure} zonder cijfer"] if no_figure else []) + [
        f"{changed} met een code of grens die veranderde sinds 2015"
    ]
    expect(legend.locator("div:has(> i.wm-missing)")).to_have_text(
        f"geen vergelijkbaar cijfer ({changed + no_figure}): {', '.join(parts)}"
    )
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_gemeente_link_draws_its_buurten_with_legend(page, streamlit_server, expected, js_errors):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")

    state = wait_for_map(page, areas=expected["buurten"], records=expected["all"])
    assert state["areas"] == expected["buurten"] == UTRECHT_BUURTEN
    # All of Utrecht's records are on the map, and counted above it.
    assert state["records"] == expected["all"]
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["all"]))
    # Each buurt is one drawn, clickable path in Leaflet's overlay pane.
    drawn = in_map(
        page,
        "() => window.wijkmapAreas.getLayers().filter(l => l._path && l._path.isConnected"
        " && l._path.classList.contains('leaflet-interactive')).length",
    )
    assert drawn == UTRECHT_BUURTEN
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(UTRECHT_BUURTEN))
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile(r"Utrecht \(GM0344\)"))

    legend = page.frame_locator(MAP_FRAME).locator(".wm-legend")
    expect(legend.locator("h4")).to_have_text("Eenpersoonshuishoudens (%)")
    expect(legend.locator(".wm-sub")).to_contain_text(re.compile(r"20\d\d · % · kwantielen"))
    expect(legend.locator(".wm-src")).to_contain_text("Bron: CBS")
    expect(legend.locator("i:not(.wm-missing)")).to_have_count(5)  # 5 quantile classes

    # The classes as a person reads them: from the lowest value on the map, each from where
    # the one before ends, and every buurt's value (its tooltip) within its class's bounds.
    def number(text: str) -> float:
        return float(text.strip().rstrip("%").replace(".", "").replace(",", "."))

    rows = legend.locator("div:has(> i:not(.wm-missing))").all_text_contents()
    bounds = [tuple(number(part) for part in row.split(" – ")) for row in rows]
    shown = in_map(
        page, "() => window.wijkmapAreas.getLayers().map(l => [l.feature.properties.k, l.feature.properties.t])"
    )
    values = {k: [number(t) for kk, t in shown if kk == k] for k in range(len(bounds))}
    assert bounds[0][0] == min(values[0]) and bounds[-1][1] == max(values[len(bounds) - 1])
    assert all(bounds[i][1] == bounds[i + 1][0] for i in range(len(bounds) - 1))
    assert all(low <= v <= high for (low, high), k in zip(bounds, values) for v in values[k])

    # The illustrative sample is named as fictional, on the page and on the map.
    expect(page.get_by_text(re.compile("fictieve voorbeelden"))).to_be_visible()
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-control-attribution")).to_contain_text(
        "fictieve voorbeelddata"
    )
    expect_no_exception(page)
    assert not js_errors, js_errors


# In every frame of the page (the app's and the map's): note, in the app's window, when
# the page says the rest follows the map, when the map's areas and its records are drawn,
# when the map first reports to the app, and when the first table appears.
ORDER_PROBE = """
(() => {
  const top = window.top, seen = {};
  function note(what) { if (!seen[what]) { seen[what] = true; (top.__wmOrder = top.__wmOrder || []).push(what); } }
  function look() {
    if (window === top) {
      if (document.querySelector('.wm-rest-follows')) note('rest follows');
      if (document.querySelector('[data-testid="stDataFrame"]')) note('table');
    } else {
      if (window.wijkmapAreas && window.wijkmapAreas.getLayers().some(l => l._path && l._path.isConnected)) note('areas');
      // The records come with the overlay, which streamlit-folium adds after the map's script.
      if (window.wijkmapRecords && window.wijkmapRecords.shown().length) note('records');
    }
  }
  // Every 20 ms: a frame's first document is replaced, and an observer with it.
  setInterval(look, 20);
  if (window !== top) {  // streamlit-folium reports through the component library it sets here
    let lib;
    Object.defineProperty(window, 'Streamlit', {configurable: true, get: () => lib, set: (value) => {
      const send = value.setComponentValue;
      value.setComponentValue = function () { look(); note('map reports'); return send.apply(this, arguments); };
      lib = value;
    }});
  }
})();
"""


def test_the_map_is_drawn_before_the_rest_of_the_page(page, streamlit_server, expected, js_errors):
    """The browser renders the page on the thread that draws the map: the first run stops
    below the map and says the rest follows; the map's first report, sent once its areas
    are drawn, runs the page again, whole."""
    page.add_init_script(ORDER_PROBE)
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    expect(page.get_by_role("heading", name="Wat de kaart toont")).to_be_visible()
    expect(page.locator(".wm-rest-follows")).to_have_count(0)
    page.wait_for_function("() => (window.__wmOrder || []).includes('table')", timeout=TIMEOUT)
    order = page.evaluate("() => window.__wmOrder")
    assert sorted(order) == ["areas", "map reports", "records", "rest follows", "table"], order
    assert order[0] == "rest follows" and order[-1] == "table", order
    assert order.index("map reports") > max(order.index("areas"), order.index("records")), order
    assert wait_for_map(page, areas=expected["buurten"])["areas"] == expected["buurten"]
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_without_the_map_script_the_rest_of_the_page_still_comes(page, streamlit_server):
    """The map's first report comes from its own script: when that does not load, the page
    does not wait for it for ever."""
    page.route("**/vendor/wijkmap/map-*.js", lambda route: route.abort())
    page.goto(streamlit_server.url + f"?gemeente={UTRECHT}")
    expect(page.locator(".wm-rest-follows")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name="Wat de kaart toont")).to_be_visible(timeout=TIMEOUT)
    expect(page.locator(".wm-rest-follows")).to_have_count(0)
    expect_no_exception(page)


def test_clusters_say_which_kinds_they_hold(page, streamlit_server, expected, js_errors):
    """At gemeente zoom most records are in clusters: each is a ring in the colours of its
    categories with the count inside, and its tooltip names them."""
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    wait_for_map(page, records=expected["all"])
    drawn = in_map(
        page,
        """() => ({
          singles: document.querySelectorAll('.leaflet-marker-pane .wm-symbol').length,
          clusters: Array.from(document.querySelectorAll('.leaflet-marker-pane .wm-cluster')).map(c => ({
            count: Number(c.querySelector('text').textContent),
            title: c.querySelector('title').textContent,
            colours: Array.from(c.querySelectorAll('.wm-cluster-part')).map(p => p.getAttribute('stroke')),
          })),
        })""",
    )
    assert drawn["clusters"], "no clusters at gemeente zoom"
    for cluster in drawn["clusters"]:
        parts = [part.split(" ", 1) for part in cluster["title"].split(", ")]
        assert sum(int(count) for count, _ in parts) == cluster["count"], cluster
        assert cluster["colours"] == [CATEGORY_COLOURS[label] for _, label in parts], cluster
    # Every record shown is in a cluster or drawn alone.
    assert drawn["singles"] + sum(c["count"] for c in drawn["clusters"]) == expected["all"]
    assert not js_errors, js_errors


def test_without_a_basemap_every_record_is_still_drawn(
    page, streamlit_servers, app_spec, expected, request_log, js_errors
):
    """WIJKMAP_TILES=none (no basemap, as documented for a machine without network): the
    map still knows its deepest zoom, so the records are drawn, in clusters and alone."""
    server = streamlit_servers(dataclasses.replace(app_spec, env=dict(app_spec.env) | {"WIJKMAP_TILES": "none"}))
    open_view(page, server, f"?gemeente={UTRECHT}")
    state = wait_for_map(page, records=expected["all"])
    assert state["records"] == expected["all"]
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["all"]))
    drawn = in_map(
        page,
        """() => Array.from(document.querySelectorAll('.leaflet-marker-pane .wm-symbol, .leaflet-marker-pane .wm-cluster'))
                 .map(e => e.classList.contains('wm-cluster') ? Number(e.querySelector('text').textContent) : 1)""",
    )
    assert drawn and sum(drawn) == expected["all"]
    assert not [url for url in request_log.urls if "pdok" in url]  # no basemap asked for
    expect_no_exception(page)
    assert not js_errors, js_errors


# --- 2. filters change the markers -------------------------------------------------------


def test_filter_link_changes_markers_and_counts(page, streamlit_server, expected, js_errors):
    """The same gemeente as in the test above (all its records: expected["all"]), with
    the filters bridging + informal in the link."""
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&strategie=bridging&formaliteit=informeel")
    state = wait_for_map(page, records=expected["bridging_informal"])
    assert state["records"] == expected["bridging_informal"] < expected["all"]
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["bridging_informal"]))
    # The filter widgets show what the link asked for.
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("button", name="Bridging (overbruggen)", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(sidebar.get_by_role("button", name="Informeel", exact=True)).to_have_attribute("aria-pressed", "true")
    expect_no_exception(page)
    assert not js_errors, js_errors


def _open_filters(page: Page):
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.locator('[data-testid="stExpander"] summary', has_text="Filters").click()
    return sidebar


@pytest.mark.parametrize(
    "gemeente, counts",
    [(UTRECHT, ("all", "bridging")), (ROTTERDAM, ("rotterdam_all", "rotterdam_bridging"))],
    ids=["utrecht", "rotterdam"],  # Rotterdam's fitted view has a fractional zoom (9.5)
)
def test_strategy_pill_swaps_markers_without_moving_map(page, streamlit_server, expected, js_errors, gemeente, counts):
    everything, bridging = (expected[name] for name in counts)
    open_view(page, streamlit_server, f"?gemeente={gemeente}")
    before = wait_for_map(page, records=everything)
    assert before["records"] == everything
    in_map(page, "() => { window.__wijkmapProbe = 'still the same map'; }")

    pill = _open_filters(page).get_by_role("button", name="Bridging (overbruggen)", exact=True)
    pill.click()
    expect(pill).to_have_attribute("aria-pressed", "true")
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(bridging), timeout=TIMEOUT)
    expect(page).to_have_url(re.compile(r"[?&]strategie=bridging"), timeout=TIMEOUT)
    after = wait_for_map(page, records=bridging)
    assert after["records"] == bridging
    assert after["probe"] == "still the same map", "the map iframe was rebuilt for a filter change"
    # The panel stays open under the click, also when the click clears the last filter.
    pill.click()
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(everything), timeout=TIMEOUT)
    expect(pill).to_be_visible()
    expect(pill).to_have_attribute("aria-pressed", "false")
    pill.click()
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(bridging), timeout=TIMEOUT)
    # Still under the pointer after it was switched off and on: once Streamlit drew the
    # panel closed but left it on screen, inert, and the next click did nothing.
    for shown in (everything, bridging):
        pill.click()
        expect(metric(page, "Voorzieningen getoond")).to_have_text(str(shown), timeout=TIMEOUT)
    after = wait_for_map(page, records=bridging)
    # The map stays where the person left it.
    assert after["zoom"] == before["zoom"], f"a filter click zoomed the map from {before['zoom']} to {after['zoom']}"
    pixel = 360 / (256 * 2 ** before["zoom"])  # degrees of longitude per pixel
    assert after["center"]["lat"] == pytest.approx(before["center"]["lat"], abs=2 * pixel)
    assert after["center"]["lng"] == pytest.approx(before["center"]["lng"], abs=2 * pixel)
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_sample_switch_hides_sample_without_rebuilding_map(page, streamlit_server, expected, js_errors):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    before = wait_for_map(page, records=expected["all"])
    in_map(page, "() => { window.__wijkmapProbe = 'still the same map'; }")

    switch = _open_filters(page).locator('[data-testid="stCheckbox"]', has_text="Toon fictieve voorbeelddata")
    expect(switch.get_by_role("switch")).to_be_checked()
    wait_idle(page)
    switch.get_by_text("Toon fictieve voorbeelddata").click()  # its label, as a person does
    expect(switch.get_by_role("switch")).not_to_be_checked()
    expect(page).to_have_url(re.compile(r"[?&]voorbeeld=0"), timeout=TIMEOUT)
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["real"]), timeout=TIMEOUT)
    after = wait_for_map(page, records=expected["real"])
    assert after["records"] == expected["real"], after
    # Nothing but the markers changed (areas, colours and position did not), so the map
    # itself must stay: streamlit-folium swaps the feature group in place.
    assert after["probe"] == "still the same map", (
        "switching off the sample rebuilt the whole map (the iframe was remounted)"
    )
    assert after["zoom"] == before["zoom"]
    expect_no_exception(page)
    assert not js_errors, js_errors


def frames_text(received: list[str]) -> str:
    """Websocket frames as one text, with JSON's quotes as quotes: the map's arguments
    arrive as JSON inside a JSON string inside protobuf, their quotes escaped twice."""
    return re.sub(r'\\+"', '"', "".join(received))


def test_another_indicator_recolours_the_buurten_and_sends_no_outline_again(
    page, streamlit_server, expected, request_log, js_errors
):
    """The outlines come once, as a file the app serves; an indicator change sends the
    classes and value texts only, and the map stays (it is not drawn anew)."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    wait_for_map(page, areas=expected["buurten"], records=expected["all"])
    wait_idle(page)
    served = request_log.local("/app/static/geometry/")
    assert len(served) >= 1, "the outlines are fetched from the app"
    values = "() => window.wijkmapAreas.getLayers().map(l => [l.feature.properties.c, l.feature.properties.k])"
    classes_before = in_map(page, values)
    in_map(page, "() => { window.__wijkmapProbe = 'still the same map'; }")
    received.clear()

    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kleur de kaart naar").click()
    page.keyboard.type("65 jaar of ouder")
    page.get_by_role("option").first.click()
    legend = page.frame_locator(MAP_FRAME).locator(".wm-legend h4")
    expect(legend).to_have_text(re.compile("65 jaar"), timeout=TIMEOUT)
    wait_idle(page)
    after = wait_for_map(page, areas=expected["buurten"])
    assert after["probe"] == "still the same map", "an indicator change drew the map anew"
    classes_after = in_map(page, values)
    assert [c for c, _ in classes_after] == [c for c, _ in classes_before]
    assert classes_after != classes_before, "the buurten were recoloured"
    assert all(k is not None for _, k in classes_after)
    # What the server sent for the change holds the classes, not a single outline.
    sent = frames_text(received)
    assert "areaValues" in sent
    assert '"coordinates"' not in sent and "MultiPolygon" not in sent, "outlines were sent again"
    assert request_log.local("/app/static/geometry/") == served, "no outline file was fetched again"
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_a_filter_click_sends_which_records_show_not_the_records(
    page, streamlit_server, expected, request_log, js_errors
):
    """The records come once, as a file the app serves; a filter click sends which of
    them show (a mask), no record's name, and fetches no file again. Another indicator
    leaves the same records: the same clustered layer is put back, not built again."""
    received: list[str] = []
    page.on("websocket", lambda ws: ws.on("framereceived", lambda payload: received.append(str(payload))))
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    wait_for_map(page, records=expected["all"])
    wait_idle(page)
    fetched = request_log.local("/app/static/geometry/")
    received.clear()

    pill = _open_filters(page).get_by_role("button", name="Bridging (overbruggen)", exact=True)
    pill.click()
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["bridging"]), timeout=TIMEOUT)
    wait_for_map(page, records=expected["bridging"])
    wait_idle(page)
    sent = frames_text(received)
    assert '"shown"' in sent, "the run sent the mask of the records shown"
    # The records' own part of the map (their details, with each one's "naam") stays in
    # the served file; the table below the map is Arrow, not JSON.
    assert '"details"' not in sent and '"naam"' not in sent, "record text was sent again"
    assert request_log.local("/app/static/geometry/") == fetched, "no records file was fetched again"

    in_map(page, "() => { window.wijkmapRecords.__probe = 'same cluster'; }")
    sidebar = page.locator('[data-testid="stSidebar"]')
    sidebar.get_by_role("combobox", name="Kleur de kaart naar").click()
    page.keyboard.type("65 jaar of ouder")
    page.get_by_role("option").first.click()
    expect(page.frame_locator(MAP_FRAME).locator(".wm-legend h4")).to_have_text(re.compile("65 jaar"), timeout=TIMEOUT)
    wait_idle(page)
    assert in_map(page, "() => window.wijkmapRecords.__probe || 'rebuilt'") == "same cluster"
    assert wait_for_map(page, records=expected["bridging"])["records"] == expected["bridging"]
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_a_sample_symbol_says_fictief_once(page, streamlit_server, expected, js_errors):
    """A sample record's tooltip marks it as fictional, once: its name already ends so."""
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    wait_for_map(page, records=expected["all"])
    tooltip = in_map(
        page,
        """() => new Promise(done => {
            const records = window.wijkmapRecords, table = records.wmTable;
            const mine = records.shown().find(i => table.flags[i] & 1);
            // Its tooltip comes with its details, fetched once the symbol is on the map.
            records.showRecord(mine, symbol => {
                const look = () => symbol.getTooltip() ? done(symbol.getTooltip().getContent()) : setTimeout(look, 50);
                look();
            });
        })""",
    )
    assert tooltip.endswith("(fictief)") and tooltip.count("fictief") == 1, tooltip
    assert not js_errors, js_errors


# --- 3. a buurt click opens its profile --------------------------------------------------


def test_buurt_click_opens_its_profile(page, streamlit_server, expected, js_errors):
    page.set_viewport_size({"width": 1440, "height": 900})  # a policymaker's laptop screen
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    expect(page.get_by_text("Klik op een gebied op de kaart, of kies het hierboven, voor het profiel.")).to_be_visible()

    code = click_area(page)
    assert code.startswith("BU0344")
    # The clicked area takes the focus without the browser's rectangle around its bounding box.
    focused = in_map(
        page, "() => [document.activeElement.tagName, getComputedStyle(document.activeElement).outlineStyle]"
    )
    assert focused == ["path", "none"], focused
    wait_for_outcome(page, f"gebied={code}")
    expect_no_exception(page)
    name = expected["buurt_names"][code]

    expect(page).to_have_url(re.compile(rf"[?&]gebied={code}(&|$)"), timeout=TIMEOUT)
    heading = page.get_by_role("heading", name=name, exact=True)
    expect(heading).to_be_visible(timeout=TIMEOUT)
    profile = page.locator('[data-testid="stColumn"]').filter(has=heading).last
    expect(profile.get_by_text(code, exact=True)).to_be_visible()
    # The figures table: each row headed by its indicator and year, every value in view
    # (nothing cut off at the column's edge).
    figures = profile.locator('[data-testid="stTable"] table').first
    expect(figures.locator("thead th").first).to_have_text("Indicator")
    expect(figures.locator("tbody th", has_text=re.compile(r"^Inwoners \(20\d\d\)$"))).to_have_count(1)
    expect(
        figures.locator("tbody th", has_text=re.compile(r"^Inwoners van 65 jaar of ouder \(%\) \(20\d\d\)$"))
    ).to_have_count(1)
    table_box, column_box = figures.bounding_box(), profile.bounding_box()
    assert table_box["x"] + table_box["width"] <= column_box["x"] + column_box["width"] + 1, (table_box, column_box)
    expect(profile.get_by_text(re.compile(r"^Voorzieningen in dit gebied: \d+$"))).to_be_visible()
    # The selection is part of the view a link restores.
    expect(page.locator('[data-testid="stCode"]')).to_contain_text(f"gebied={code}", timeout=TIMEOUT)
    expect_no_exception(page)
    assert not js_errors, js_errors


# --- 4. a shared link restores the view elsewhere ----------------------------------------


def test_shared_link_restores_view_in_fresh_browser(page, new_context, streamlit_server, expected, js_errors):
    wijk, wijk_name = sorted(expected["rotterdam_wijken"].items())[0]
    query = "&".join(f"{key}={value}" for key, value in {**SHARED_VIEW, "gebied": wijk}.items())
    open_view(page, streamlit_server, "?" + query)
    expect(page.get_by_role("heading", name=wijk_name, exact=True)).to_be_visible()
    expect(metric(page, "Voorzieningen getoond")).to_have_text(str(expected["rotterdam_bridging"]))
    original = map_state(page)

    share = page.locator('[data-testid="stCode"]')
    expect(share).to_contain_text(f"gebied={wijk}", timeout=TIMEOUT)
    expect(share).to_contain_text("zoom=", timeout=TIMEOUT)
    link = share.inner_text().strip()
    assert link.startswith(streamlit_server.url.rstrip("/")), link
    shared = query_of(link)
    assert {key: shared.get(key) for key in SHARED_VIEW} == SHARED_VIEW, link
    assert shared.get("gebied") == wijk

    other = new_context().new_page()
    fresh_errors: list[str] = []
    other.on("pageerror", lambda exc: fresh_errors.append(str(exc)))
    other.goto(link)
    legend = other.frame_locator(MAP_FRAME).locator(".wm-legend")
    expect(legend.locator("h4")).to_have_text("Inwoners van 65 jaar of ouder (%)", timeout=30_000)
    expect(legend.locator(".wm-sub")).to_contain_text(f"{expected['shared_year']} · % · natuurlijke grenzen")
    expect(legend.locator("i:not(.wm-missing)")).to_have_count(4)  # 4 classes
    wait_idle(other)

    sidebar = other.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile(r"Rotterdam \(GM0599\)"))
    expect(sidebar.get_by_role("radio", name="Wijk")).to_be_checked()
    expect(sidebar.get_by_role("combobox", name="Kleur de kaart naar")).to_have_value(
        "Inwoners van 65 jaar of ouder (%)"
    )
    expect(sidebar.get_by_role("button", name="Bridging (overbruggen)", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(metric(other, "Voorzieningen getoond")).to_have_text(str(expected["rotterdam_bridging"]))
    expect(metric(other, "Gebieden op de kaart")).to_have_text(str(len(expected["rotterdam_wijken"])))
    expect(other.get_by_role("heading", name=wijk_name, exact=True)).to_be_visible()
    expect(other.get_by_text(wijk, exact=True)).to_be_visible()

    restored = wait_for_map(other, records=expected["rotterdam_bridging"])
    assert restored["records"] == original["records"] == expected["rotterdam_bridging"]
    assert restored["areas"] == original["areas"] == len(expected["rotterdam_wijken"])
    # The same position as the view the link was copied from.
    assert restored["zoom"] == original["zoom"], (
        f"the link (zoom={shared['zoom']}) reopens the map at zoom {restored['zoom']}; "
        f"the view it was copied from is at zoom {original['zoom']}"
    )
    pixel = 360 / (256 * 2 ** original["zoom"])  # degrees of longitude per pixel
    assert restored["center"]["lat"] == pytest.approx(original["center"]["lat"], abs=2 * pixel)
    assert restored["center"]["lng"] == pytest.approx(original["center"]["lng"], abs=2 * pixel)
    assert not fresh_errors, fresh_errors
    expect_no_exception(page)
    assert not js_errors, js_errors


# --- 5. from the country to a gemeente ---------------------------------------------------


def test_national_view_draws_gemeenten_and_click_opens_one(page, streamlit_server, expected, js_errors):
    open_view(page, streamlit_server, "")
    gemeenten = expected["gemeenten"]
    state = wait_for_map(page, areas=len(gemeenten))
    assert state["areas"] == len(gemeenten)
    codes = sorted(in_map(page, "() => window.wijkmapAreas.getLayers().map(l => l.feature.properties.c)"))
    assert codes == gemeenten
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(len(gemeenten)))
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(re.compile("Nederland"))

    assert click_area(page, ROTTERDAM) == ROTTERDAM
    wait_for_outcome(page, f"gemeente={ROTTERDAM}")
    expect_no_exception(page)
    expect(page).to_have_url(re.compile(rf"[?&]gemeente={ROTTERDAM}(&|$)"), timeout=TIMEOUT)
    expect(page.get_by_role("combobox", name="Gemeente")).to_have_value(
        re.compile(r"Rotterdam \(GM0599\)"), timeout=TIMEOUT
    )
    expect(metric(page, "Gebieden op de kaart")).to_have_text(str(expected["rotterdam_buurten"]), timeout=TIMEOUT)
    assert wait_for_map(page, areas=expected["rotterdam_buurten"])["areas"] == expected["rotterdam_buurten"]
    expect_no_exception(page)
    assert not js_errors, js_errors


# --- 6. English ----------------------------------------------------------------------------


def test_english_interface_legend_and_credits(page, streamlit_server, expected, js_errors):
    open_view(page, streamlit_server, f"?lang=en&gemeente={UTRECHT}")

    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("social infrastructure"))
    expect(metric(page, "Provisions shown")).to_have_text(str(expected["all"]))
    expect(metric(page, "Areas on the map")).to_have_text(str(UTRECHT_BUURTEN))
    expect(page.get_by_text("Click an area on the map, or choose it above, for its profile.")).to_be_visible()
    expect(page.get_by_text(re.compile("fictional examples"))).to_be_visible()
    sidebar = page.locator('[data-testid="stSidebar"]')
    expect(sidebar.get_by_role("combobox", name="Municipality")).to_have_value(re.compile(r"Utrecht \(GM0344\)"))
    expect(sidebar.get_by_role("radio", name="English")).to_be_checked()

    legend = page.frame_locator(MAP_FRAME).locator(".wm-legend")
    expect(legend.locator("h4")).to_have_text("Single-person households (%)")
    expect(legend.locator(".wm-sub")).to_contain_text("quantiles")
    expect(legend.locator(".wm-src")).to_contain_text("Source: CBS")
    # Utrecht's newest figures (2024) on the 2015 buurten: the grey ones say why, in English.
    expect(legend).to_contain_text(
        re.compile(r"no comparable figure \(\d+\): \d+ without a figure, \d+ whose code or boundary changed since 2015")
    )
    expect(legend).to_contain_text("Classic provision")
    for dutch in ("Bron", "kwantielen", "geen vergelijkbaar", "zonder cijfer", "Klassieke voorziening", "kaart:"):
        expect(legend).not_to_contain_text(dutch)
    attribution = page.frame_locator(MAP_FRAME).locator(".leaflet-control-attribution")
    expect(attribution).to_contain_text("Source: CBS, Kadaster")
    expect(attribution).to_contain_text("fictional sample data")
    expect_no_exception(page)
    assert not js_errors, js_errors
    # Last, as it is the smallest thing: the basemap's credit is Dutch in English too.
    expect(attribution).not_to_contain_text("Kaartgegevens")


# --- 7. user text is escaped on the map --------------------------------------------------


def test_imported_text_is_escaped_in_tooltip_popup_and_credits(page, streamlit_server, expected, js_errors):
    dialogs: list[str] = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    # Only the imported record (the sample switched off): one marker, no cluster.
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&voorbeeld=0")
    assert wait_for_map(page, records=1)["records"] == 1
    frame = page.frame_locator(MAP_FRAME)

    marker = frame.locator(".wm-symbol")
    expect(marker).to_have_count(1)
    show_whole_map(page)
    marker.hover()
    tooltip = frame.locator(".leaflet-tooltip", has_text="onerror")
    expect(tooltip).to_have_text(HOSTILE_NAME)

    marker.click()
    popup = frame.locator(".leaflet-popup-content")
    expect(popup.locator(".wm-name")).to_have_text(HOSTILE_NAME)
    expect(popup).to_contain_text(HOSTILE_SOURCE)
    expect(popup).to_contain_text("Buurthuis")

    # The source is credited on the map, as text.
    expect(frame.locator(".leaflet-control-attribution")).to_contain_text(HOSTILE_SOURCE)

    # No element was made from the text, and no script from it ran.
    for src in ("x", "y"):
        expect(frame.locator(f'img[src="{src}"]')).to_have_count(0)
        expect(page.locator(f'img[src="{src}"]')).to_have_count(0)
    page.wait_for_timeout(300)  # an onerror handler would fire as soon as the image fails
    assert not dialogs, dialogs
    expect_no_exception(page)
    assert not js_errors, js_errors


def test_hsds_download_holds_what_the_map_shows_with_its_text_literal(page, streamlit_server, expected, tmp_path):
    """The records table's HSDS 3 zip: the imported record, its hostile name and source as plain text."""
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&voorbeeld=0")
    button = page.get_by_role("button", name="Download HSDS 3 (zip)")
    button.scroll_into_view_if_needed()
    with page.expect_download() as download:
        button.click()
    assert download.value.suggested_filename == "wijkmap-hsds.zip"
    saved = tmp_path / "hsds.zip"
    download.value.save_as(saved)
    with zipfile.ZipFile(saved) as archive:
        tables = {
            name: list(csv.DictReader(io.StringIO(archive.read(name).decode("utf-8")))) for name in archive.namelist()
        }
    assert [row["name"] for row in tables["services.csv"]] == [HOSTILE_NAME]
    assert {row["replacement_value"] for row in tables["metadata.csv"] if row["field_name"] == "bron"} == {
        HOSTILE_SOURCE
    }
    expect_no_exception(page)


def test_marker_popup_opens_on_first_click_with_map_partly_out_of_view(page, streamlit_server):
    """A window in which the map's lower edge is below the fold (a laptop screen).

    Leaflet focuses the map container on mousedown; inside streamlit-folium's iframe
    that makes the browser scroll Streamlit's page to reveal the iframe, between
    mousedown and mouseup. The marker moves away under the pointer, the press becomes
    a click on the map, and the popup does not open."""
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&voorbeeld=0")
    assert wait_for_map(page, records=1)["records"] == 1
    box = page.locator(MAP_FRAME).bounding_box()
    page.set_viewport_size({"width": 1280, "height": int(box["y"] + box["height"] - 150)})
    marker = page.frame_locator(MAP_FRAME).locator(".wm-symbol")
    spot = marker.bounding_box()
    assert spot["y"] + spot["height"] < box["y"] + box["height"] - 200, "the marker itself must be in view"

    marker.click()
    expect(page.frame_locator(MAP_FRAME).locator(".leaflet-popup-content .wm-name")).to_have_text(
        HOSTILE_NAME, timeout=3_000
    )


# --- accessibility (issue 16) ---------------------------------------------------------

_CONTRAST = """(el) => {
  // WCAG contrast of the element's text against the first opaque-enough background
  // behind it, each rgba colour composed over the one below.
  function rgba(text) { const p = text.match(/[\\d.]+/g).map(Number); return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1]; }
  function over(top, below) { const a = top[3]; return [0, 1, 2].map(i => top[i] * a + below[i] * (1 - a)).concat([1]); }
  const layers = [];
  for (let node = el; node; node = node.parentElement) {
    const c = rgba(getComputedStyle(node).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] === 1) break;
  }
  let back = [255, 255, 255, 1];
  layers.reverse().forEach(c => { back = over(c, back); });
  const fore = over(rgba(getComputedStyle(el).color), back);
  function lum(c) {
    const v = c.slice(0, 3).map(x => x / 255).map(x => x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4));
    return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2];
  }
  const [a, b] = [lum(fore), lum(back)].sort((x, y) => y - x);
  return (a + 0.05) / (b + 0.05);
}"""


def test_selected_filter_pill_reads_at_wcag_aa_contrast(page, streamlit_server, expected):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&strategie=bridging")
    pill = _open_filters(page).get_by_role("button", name="Bridging (overbruggen)", exact=True)
    expect(pill).to_have_attribute("aria-pressed", "true", timeout=TIMEOUT)
    label = pill.locator("p, span, div").filter(has_text="Bridging").last
    assert label.evaluate(_CONTRAST) >= 4.5


@pytest.mark.parametrize("lang", ["nl", "en"])
def test_map_frame_speaks_the_page_language_can_be_zoomed_and_names_its_buttons(
    page, streamlit_server, expected, js_errors, lang
):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}&lang={lang}")
    wait_for_map(page, records=expected["all"])
    found = in_map(
        page,
        """() => ({
          lang: document.documentElement.lang,
          viewport: Array.from(document.querySelectorAll('meta[name=viewport]')).map(m => m.content),
          map: document.querySelector('.leaflet-container').getAttribute('aria-label'),
          nameless: Array.from(document.querySelectorAll('[role=button], a[href], button'))
            .filter(el => !(el.getAttribute('aria-label') || el.getAttribute('title') || el.textContent.trim()))
            .map(el => el.outerHTML.slice(0, 120)),
          buttons: document.querySelectorAll('.leaflet-marker-pane [role=button]').length,
        })""",
    )
    assert found["lang"] == lang
    assert found["viewport"] and not any("maximum-scale" in v or "user-scalable=no" in v for v in found["viewport"])
    assert found["map"].startswith({"nl": "Kaart", "en": "Map"}[lang])
    assert found["buttons"] > 0, "no marker or cluster to reach with the keyboard"
    assert not found["nameless"], found["nameless"]
    assert not js_errors, js_errors


def test_kaart_headings_do_not_skip_a_level(page, streamlit_server, expected):
    open_view(page, streamlit_server, f"?gemeente={UTRECHT}")
    wait_for_map(page, records=expected["all"])
    expect(page.get_by_role("heading", name="Wat de kaart toont")).to_be_visible(timeout=TIMEOUT)
    levels = page.locator("[data-testid=stMain] :is(h1, h2, h3, h4, h5, h6)").evaluate_all(
        "els => els.filter(e => e.offsetParent !== null).map(e => Number(e.tagName[1]))"
    )
    assert levels and levels[0] == 1
    assert all(b <= a + 1 for a, b in zip(levels, levels[1:])), levels
