"""The audit log: lines written in the caller's transaction, old moderation lines still read."""

from __future__ import annotations

import datetime as dt
from contextlib import closing

import pytest

from wijkmap.contributions import checks, inbox
from wijkmap.data import audit, store as wstore


@pytest.fixture
def store(store_url):
    """Every test here on both backends (GeoPackage and PostgreSQL)."""
    return store_url


MOMENT = dt.datetime(2026, 12, 1, 9, 30, tzinfo=dt.UTC)


def test_a_line_names_account_login_action_and_subject(store):
    with wstore.transaction(store) as connection:
        audit.log(connection, "anna", "geïmporteerd", "batch", 7, "register.xlsx", now=MOMENT)
    with closing(wstore.connect(store)) as connection:
        lines = audit.read(connection)
    assert lines.to_dict("records") == [
        {"tijd": "2026-12-01T09:30:00+00:00", "account": "anna", "aanmelding": audit.BY_ACCOUNT,
         "actie": "geïmporteerd", "onderwerp": "batch", "onderwerp_id": "7", "toelichting": "register.xlsx"}
    ]  # fmt: skip


def test_a_line_is_rolled_back_with_the_change_it_belongs_to(store):
    try:
        with wstore.transaction(store) as connection:
            audit.log(connection, "anna", "bewerkt", "record", "r1")
            raise RuntimeError("de wijziging mislukt")
    except RuntimeError:
        pass
    with closing(wstore.connect(store)) as connection:
        assert audit.read(connection).empty


def test_reading_creates_nothing(store):
    with closing(wstore.connect(store)) as connection:
        assert audit.read(connection).empty
        assert not wstore.has_table(connection, audit.TABLE)


def test_lines_of_the_old_moderation_log_stay_readable_after_new_ones(store):
    """A store from before the audit log: its moderatie_log rows come after the new lines."""
    number = inbox.submit(checks.check_submission(_raw(), checks.StorePlaces(store))[0], store)
    with wstore.transaction(store) as connection:
        connection.execute(
            "CREATE TABLE moderatie_log (id INTEGER PRIMARY KEY AUTOINCREMENT, tijd TEXT NOT NULL,"
            " moderator TEXT NOT NULL, actie TEXT NOT NULL, bijdrage_id INTEGER NOT NULL,"
            " toelichting TEXT NOT NULL DEFAULT '')"
        )
        connection.execute(
            "INSERT INTO moderatie_log (tijd, moderator, actie, bijdrage_id, toelichting)"
            " VALUES ('2026-01-05T10:00:00+00:00', 'Oude Moderator', 'bewerkt', ?, 'naam')",
            (number,),
        )
    inbox.approve(number, "anna", store, login=audit.BY_ACCOUNT)
    log = inbox.read_log(store)
    assert log[["moderator", "aanmelding", "actie", "bijdrage_id"]].values.tolist() == [
        ["anna", audit.BY_ACCOUNT, "goedgekeurd", number],
        ["Oude Moderator", audit.BY_SECRET, "bewerkt", number],
    ]
    with closing(wstore.connect(store)) as connection:
        assert audit.read(connection, "batch").empty


def _raw() -> dict:
    return {
        "naam": "Huiskamer De Linde", "omschrijving": "Een huiskamer voor de hele buurt, elke week.",
        "soort": "huis_van_de_wijk", "buurtcode": "BU03440611", "contact_email": "piet@example.org",
        "contact_naam": "Piet", "toestemming": True,
    }  # fmt: skip
