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
