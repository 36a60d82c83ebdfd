"""The change view's settings (period, statuses, lines, categories, colouring, compared
years) travel in the URL like every other setting, and bad values are dropped."""

import dataclasses

from wijkmap.core.view import STATUSES, ViewState, from_query, to_query


def test_the_change_defaults_leave_the_url_empty():
    assert to_query(ViewState(van=None, tot=None, statussen=list(STATUSES), opvolging=True, kleuring="balans")) == {}


def test_every_change_setting_round_trips():
    state = ViewState(
        gemeente="GM0344",
        niveau="wijk",
        van=2005,
        tot=2020,
        statussen=["verdwenen", "teruggekeerd"],
        opvolging=False,
        soortgroep=["klassiek", "popup"],
        kleuring="statistiek",
        indicator="pct_65plus",
        vergelijk_van=2015,
        vergelijk_tot=2023,
        gebied="WK034401",
    )
    query = to_query(state)
    assert query["van"] == "2005" and query["tot"] == "2020" and query["opvolging"] == "0"
    assert query["statussen"] == "verdwenen,teruggekeerd" and query["soortgroep"] == "klassiek,popup"
    restored, notes = from_query(query)
    assert notes == [] and restored == state


def test_no_status_shown_is_kept_apart_from_all():
    state = ViewState(statussen=[])
    assert to_query(state) == {"statussen": "-"}
    assert from_query(to_query(state))[0].statussen == []


def test_the_change_fields_leave_the_map_explorer_as_it_was():
    explorer = ViewState(gemeente="GM0599", indicator="pct_65plus", jaar=2017, peiljaar=2010, voorbeeld=False)
    with_change = dataclasses.replace(explorer, van=2010, tot=2017)
    assert {k: v for k, v in to_query(with_change).items() if k not in ("van", "tot")} == to_query(explorer)


def test_bad_change_values_are_dropped_with_a_note():
    state, notes = from_query(
        {
            "van": "19x",
            "tot": "3000",
            "statussen": "verdwenen,gesloopt",
            "opvolging": "ja",
            "kleuring": "regenboog",
            "soortgroep": "kastelen",
            "vergelijk_van": "-1",
        }
    )
    assert state == ViewState()
    assert sorted(notes) == sorted(
        [
            "van=19x",
            "tot=3000",
            "statussen=verdwenen,gesloopt",
            "opvolging=ja",
            "kleuring=regenboog",
            "soortgroep=kastelen",
            "vergelijk_van=-1",
        ]
    )
