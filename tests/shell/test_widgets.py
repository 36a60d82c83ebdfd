"""The records table's downloads, under Streamlit's AppTest."""

from __future__ import annotations

import io
import zipfile

from streamlit.testing.v1 import AppTest


def records_app() -> None:
    import pandas as pd

    from wijkmap.core.records import FIELDS
    from wijkmap.shell import widgets

    row = {name: "" for name in FIELDS}
    row.update(id="v1", naam="Huiskamer Één", soort="huis_van_de_wijk", bron="voorbeeld", lon=5.12, lat=52.09)
    widgets.records_table(pd.DataFrame([row]), "nl", key="table")


def test_the_records_table_offers_hsds_beside_csv_and_geojson():
    app = AppTest.from_function(records_app, default_timeout=30).run()
    assert not app.exception
    buttons = app.get("download_button")
    labels = [button.proto.label for button in buttons]
    assert labels == ["Download CSV", "Download GeoJSON", "Download HSDS 3 (zip)"]
    hsds = buttons[2].proto
    assert "Open Referral HSDS 3" in hsds.help


def test_the_hsds_download_is_a_zip_with_the_sample_marked():
    import pandas as pd

    from wijkmap.core.records import FIELDS
    from wijkmap.data.export_hsds import SAMPLE_NOTE, hsds_zip

    row = {name: "" for name in FIELDS}
    row.update(id="v1", naam="Huiskamer Één", soort="huis_van_de_wijk", bron="voorbeeld", lon=5.12, lat=52.09)
    with zipfile.ZipFile(io.BytesIO(hsds_zip(pd.DataFrame([row])))) as archive:
        services = archive.read("services.csv").decode("utf-8")
    assert "Huiskamer Één" in services and SAMPLE_NOTE in services


def many_records_app() -> None:
    import pandas as pd

    from wijkmap.core.records import FIELDS
    from wijkmap.shell import widgets

    row = {name: "" for name in FIELDS} | {"soort": "buurthuis", "bron": "voorbeeld", "lon": 5.12, "lat": 52.09}
    records = pd.DataFrame([row | {"id": f"v{i}", "naam": f"Buurthuis {i}"} for i in range(2500)])
    widgets.records_table(records, "nl", key="table")


def test_a_long_table_shows_its_first_rows_and_says_the_downloads_hold_all(monkeypatch):
    from wijkmap import config

    monkeypatch.setattr(config, "TABLE_MAX_ROWS", 1000)
    app = AppTest.from_function(many_records_app, default_timeout=30).run()
    assert not app.exception
    (table,) = app.dataframe
    assert len(table.value) == 1000 and table.value.iloc[-1, 0] == "Buurthuis 999"
    assert [c.value for c in app.caption] == [
        "De eerste 1.000 van 2.500 voorzieningen; de downloads hieronder hebben ze allemaal."
    ]
