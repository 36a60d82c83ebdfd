"""Records as every layer reads them: list fields, the sample mark, and how dates read."""

import pandas as pd
import pytest

from wijkmap.core import vocabulary as vocab
from wijkmap.core.records import (
    date_text,
    holds_any,
    is_sample,
    join_list,
    parse_fields,
    per_value,
    sample_mask,
    split_list,
    years_text,
)


def test_a_list_field_reads_back_as_written():
    assert split_list(join_list(["bewoners", "kunstenaar"])) == ["bewoners", "kunstenaar"]
    assert join_list([]) == "" and split_list("") == []


def test_a_typed_list_may_use_other_separators_and_spaces():
    assert split_list(" bewoners , kunstenaar|gemeente;; ") == ["bewoners", "kunstenaar", "gemeente"]


def test_a_missing_list_is_empty():
    assert split_list(None) == [] and split_list(float("nan")) == []


def test_parsed_lists_are_written_in_the_store_format():
    record, problems = parse_fields(
        {"naam": "x", "soort": "buurthuis", "actortype": "Bewoners, kunstenaar", "werkgebied": "bu03440111|BU03440112"}
    )
    assert problems == []
    assert record["actortype"] == join_list(["bewoners", "kunstenaar"])
    assert record["werkgebied"] == join_list(["BU03440111", "BU03440112"])


def test_holds_any_tests_overlap_per_record():
    column = pd.Series(["bewoners;gemeente", "", None, "kunstenaar"], index=[3, 3, 7, 1])
    assert holds_any(column, ["gemeente", "kunstenaar"]).tolist() == [True, False, False, True]
    assert holds_any(column, []).tolist() == [False] * 4
    assert holds_any(column.iloc[:0], ["x"]).dtype == bool


def test_per_value_asks_once_per_distinct_value_and_keeps_order_and_index():
    column = pd.Series(["a;b", None, "c", "a;b", float("nan")], index=[5, 5, 2, 9, 0], dtype="str")
    asked = []

    def length(text):
        asked.append(text)
        return len(split_list(text))

    answer = per_value(column, length)
    assert answer.tolist() == [2, 0, 1, 2, 0] and list(answer.index) == [5, 5, 2, 9, 0]
    assert len(asked) == 3  # "a;b", "c" and the missing value
    # An object column may hold missing values of two kinds: one answer for both.
    mixed = pd.Series(["x", None, float("nan"), pd.NA], dtype=object)
    assert per_value(mixed, length).tolist() == [1, 0, 0, 0]
    assert per_value(mixed.iloc[:0], length).tolist() == []


def test_the_sample_mask_agrees_with_is_sample():
    bron = [vocab.SAMPLE_BRON, " Voorbeeld ", "Register Utrecht", "", None, float("nan")]
    records = pd.DataFrame({"bron": bron})
    assert sample_mask(records).tolist() == [is_sample(b) for b in bron] == [True, True, False, False, False, False]
    assert sample_mask(records.iloc[:0]).dtype == bool


def test_labels_of_a_list_field():
    assert vocab.labels("actortype", split_list("bewoners;onbekend_type"), "en") == "Residents, onbekend_type"
    assert vocab.labels("doelgroep", [], "nl") == ""


@pytest.mark.parametrize(
    ("geopend", "gesloten", "lang", "text"),
    [
        ("2019", "2024", "nl", "2019–2024"),
        ("2019", "", "nl", "sinds 2019"),
        ("", "2024", "nl", "tot 2024"),
        ("", "2024", "en", "until 2024"),
        ("2025-08", "2025-10-07", "nl", "aug 2025 – 7 okt 2025"),
        ("2019-03-01", "", "en", "since 1 Mar 2019"),
        ("", "", "nl", ""),
        ("onzin", "", "nl", ""),
    ],
)
def test_years_read_the_same_everywhere(geopend, gesloten, lang, text):
    assert years_text(geopend, gesloten, lang) == text


def test_dates_read_like_dates():
    assert date_text("2008") == "2008"
    assert date_text("2025-08") == "aug 2025"
    assert date_text("2025-08-07", "en") == "7 Aug 2025"
    assert date_text(float("nan")) == "" and date_text(None) == ""


def test_a_record_is_stale_once_its_confirmation_is_older_than_the_months_given():
    import datetime

    from wijkmap.core.records import is_stale

    today = datetime.date(2026, 12, 2)
    assert not is_stale("2025-12-02", 12, today)  # exactly 12 months: still fresh
    assert is_stale("2025-12-01", 12, today)
    assert is_stale("2024-02-29", 12, datetime.date(2025, 3, 1))  # a leap day counts to the end of February
    assert not is_stale("2024-02-29", 12, datetime.date(2025, 2, 28))
    assert not is_stale("2026-06-01", 3, datetime.date(2026, 9, 1))
    assert is_stale("2026-06-01", 3, datetime.date(2026, 9, 2))
    assert not is_stale("", 12, today)  # never confirmed: not a confirmation gone old
    assert not is_stale("2019", 12, today)  # a year is no confirmation date
