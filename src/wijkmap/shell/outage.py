"""What a page shows while the store's database cannot be reached, and how it recovers.

A PostgreSQL store lives on another machine, which may restart (an upgrade, a fail-over)
while people have the app open. Then every store call raises StoreUnreachable (or, for a
connection lost mid-query, psycopg's OperationalError: backend.unreachable_errors); app.py
catches it for any page and calls `report`: the page says so in the person's language
and looks again every STORE_RETRY_S seconds (a fragment, so only that check runs), and
once the database answers it reruns the whole app, so the page comes back by itself
with no reload. Nothing is lost: a write either committed before the outage or was
never confirmed to the person.
"""

from __future__ import annotations

import logging

import streamlit as st

from wijkmap.config import STORE_RETRY_S
from wijkmap.core.i18n import t
from wijkmap.data import store
from wijkmap.data.backend import unreachable_errors

log = logging.getLogger(__name__)


def reachable() -> bool:
    """Whether the store answers now (one cheap read: its data version)."""
    try:
        store.data_version()
    except unreachable_errors():
        return False
    return True


@st.fragment(run_every=STORE_RETRY_S)
def _look_again() -> None:
    if reachable():
        st.rerun(scope="app")


def report(error: Exception, lang: str) -> None:
    """Say the database cannot be reached, and come back by itself once it can."""
    log.warning("%s", error)  # the message names the database with its password masked
    st.error(t("store_unreachable", lang))
    _look_again()
