"""What the map widget reads from streamlit-folium's answers."""

from types import SimpleNamespace

import pytest

from wijkmap.shell import map_widget

# What st_folium returns before its map has reported (its defaults: no centre).
NOT_REPORTED = {"last_active_drawing": None, "zoom": 12, "bounds": {"_southWest": {}, "_northEast": {}}}
REPORTED = NOT_REPORTED | {"center": {"lat": 52.09, "lng": 5.12}}


@pytest.mark.parametrize(
    ("headers", "result", "pending"),
    [
        ({"User-Agent": "Chromium"}, NOT_REPORTED, True),  # a browser is loading the map
        ({"User-Agent": "Chromium"}, None, True),
        ({"User-Agent": "Chromium"}, REPORTED, False),  # the map has drawn and reported
        ({}, NOT_REPORTED, False),  # no browser (AppTest): no map will ever report
    ],
)
def test_the_rest_of_a_page_waits_only_for_a_map_a_browser_is_loading(monkeypatch, headers, result, pending):
    monkeypatch.setattr(map_widget.st, "context", SimpleNamespace(headers=headers))
    monkeypatch.setattr(map_widget.st, "session_state", {})
    assert map_widget.first_report_pending(result) is pending


def test_the_page_stops_below_the_map_once_per_session(monkeypatch):
    """Not again for a new map (another gemeente), nor when the first map never reported."""
    monkeypatch.setattr(map_widget.st, "context", SimpleNamespace(headers={"User-Agent": "Chromium"}))
    monkeypatch.setattr(map_widget.st, "session_state", {})
    assert map_widget.first_report_pending(NOT_REPORTED)
    assert not map_widget.first_report_pending(NOT_REPORTED)
