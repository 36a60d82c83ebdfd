"""The preview of a file before an import (AppTest): a file over several gemeenten shows
one at a time, and says how many rows lie elsewhere, as the counts below are the file's."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest


def _preview_of_three_rows():
    import pandas as pd

    from wijkmap.beheer import preview
    from wijkmap.core.records import FIELDS

    def row(number: int, gemeente: str, lat: float, lon: float) -> dict:
        values = {field: "" for field in FIELDS}
        return values | {"id": f"r{number}", "naam": f"Huiskamer {number}", "soort": "huis_van_de_wijk",
                         "strategie": "onbekend", "bron": "register", "gemeentecode": gemeente, "lat": lat, "lon": lon}  # fmt: skip

    records = pd.DataFrame(
        [row(1, "GM0344", 52.09, 5.12), row(2, "GM0344", 52.08, 5.11), row(3, "GM0599", 51.92, 4.48)]
    )
    preview.preview(records, "nl")


def test_rows_in_another_gemeente_than_the_one_shown_are_counted(store):
    app = AppTest.from_function(_preview_of_three_rows, default_timeout=90).run()
    assert not app.exception, [e.value for e in app.exception]
    assert app.selectbox(key="beheer_preview_gemeente").value == "GM0344"  # most rows first
    assert "1 van de 3 rijen liggen in een andere gemeente" in " ".join(c.value for c in app.caption)
