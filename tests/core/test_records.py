"""How a record's dates read: one way for the map, the change map and the publication."""

import pytest

from wijkmap.core.records import date_text, years_text


@pytest.mark.parametrize(("geopend", "gesloten", "lang", "text"), [
    ("2019", "2024", "nl", "2019–2024"),
    ("2019", "", "nl", "sinds 2019"),
    ("", "2024", "nl", "tot 2024"),
    ("", "2024", "en", "until 2024"),
    ("2025-08", "2025-10-07", "nl", "aug 2025 – 7 okt 2025"),
    ("2019-03-01", "", "en", "since 1 Mar 2019"),
    ("", "", "nl", ""),
    ("onzin", "", "nl", ""),
])
def test_years_read_the_same_everywhere(geopend, gesloten, lang, text):
    assert years_text(geopend, gesloten, lang) == text


def test_dates_read_like_dates():
    assert date_text("2008") == "2008"
    assert date_text("2025-08") == "aug 2025"
    assert date_text("2025-08-07", "en") == "7 Aug 2025"
    assert date_text(float("nan")) == "" and date_text(None) == ""
