"""The folium map draws inside streamlit-folium with no CDN and no external request."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from wijkmap.map import assets

pytestmark = pytest.mark.browser

# streamlit-folium renders into a components.v1 iframe whose document is
# /component/streamlit_folium.st_folium/index.html; Streamlit titles the iframe
# with the component name.
MAP_FRAME = 'iframe[title="streamlit_folium.st_folium"]'
SCREENSHOT = Path(os.environ.get("WIJKMAP_SCREENSHOT_DIR", tempfile.gettempdir())) / ("offline_demo.png")


def test_demo_map_draws_offline(page, streamlit_server, request_log):
    js_errors: list[str] = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))

    page.goto(streamlit_server.url)
    frame = page.frame_locator(MAP_FRAME)

    # Leaflet ran (the container is created by L.map), the GeoJSON polygon and
    # the marker cluster are drawn.
    expect(frame.locator(".leaflet-container")).to_be_visible(timeout=20_000)
    expect(frame.locator("path.leaflet-interactive").first).to_be_visible()
    cluster = frame.locator(".marker-cluster")
    expect(cluster.first).to_be_visible()
    expect(cluster.first).to_contain_text("30")
    expect(frame.locator(".leaflet-control-layers")).to_be_visible()

    # The single marker uses Leaflet's default icon, found through leaflet.css
    # next to which images/ was copied.
    icon = frame.locator("img.leaflet-marker-icon").first
    expect(icon).to_be_visible()
    assert "/app/static/vendor/leaflet/images/marker-icon" in icon.get_attribute("src")

    # Its popup content is built with $(html)[0]: the folium shim stands in for jQuery.
    icon.click()
    expect(frame.locator(".leaflet-popup-content")).to_have_text("Buurthuis De Demo")
    expect(frame.locator(".leaflet-popup")).to_have_css("opacity", "1")  # fade-in done

    page.screenshot(path=str(SCREENSHOT))

    # Everything the map needs came from the app itself ...
    vendored = request_log.local("/app/static/vendor/")
    for name in (
        assets.map_bundle()[0],  # Leaflet, the shim, the cluster plugin and ours
        "leaflet/leaflet.css",
        "leaflet.markercluster/MarkerCluster.css",
        "leaflet.markercluster/MarkerCluster.Default.css",
        "leaflet/images/marker-icon.png",
    ):
        assert any(u.endswith(name) for u in vendored), f"{name} not loaded: {vendored}"
    request_log.assert_no_failed_local()
    # ... tiles were asked for (and answered empty by the test) ...
    assert any(u.startswith("https://service.pdok.nl/") for u in request_log.urls)
    # ... and nothing else left the machine.
    request_log.assert_offline()
    assert not js_errors, js_errors
