"""The app's pages on a store with OpenStreetMap records (AppTest): Verandering shows
what a newer extract closed."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.data.sources.test_osm import FIRST_NODES, FIRST_WAYS, RANDSTAD_BOX, UTRECHT_BOX, write_osmium
from wijkmap.data.sources import osm

APP = Path(__file__).resolve().parents[3] / "app.py"


def test_verandering_counts_what_a_newer_extract_closed_as_disappeared(store, tmp_path):
    osm.import_osm(write_osmium(tmp_path / "a.osm.pbf", FIRST_NODES, FIRST_WAYS, "2025-03-01T00:00:00Z", RANDSTAD_BOX))
    newer = FIRST_NODES[:1] + FIRST_NODES[2:4]  # the buurthuis is gone
    osm.import_osm(write_osmium(tmp_path / "b.osm.pbf", newer, FIRST_WAYS, "2025-09-15T00:00:00Z", UTRECHT_BOX))
    app = AppTest.from_file(str(APP), default_timeout=90)
    app.query_params.update(gemeente="GM0344", van="2025", tot="2025", voorbeeld="0", bron="OpenStreetMap")
    app.run()
    app.switch_page("app_pages/verandering.py").run()
    assert not app.exception, [e.value for e in app.exception]
    metrics = {metric.label: metric.value for metric in app.metric}
    assert metrics["Verdwenen"] == "1" and metrics["Blijvend"] == "3", metrics
    table = app.dataframe[0].value
    assert "Buurthuis De Pijl" in table.to_string()
