"""The change page's computations, remembered per store version (shell.cache).

cache_resource, not cache_data: the results are shared between sessions without a copy,
which saves unpickling a few hundred rows on every rerun. Callers must not modify them."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijkmap.change import model as change
from wijkmap.core import geometry, indeling
from wijkmap.core.records import sample_mask
from wijkmap.shell import cache


@st.cache_resource(show_spinner=False, max_entries=4)
def _links(version) -> pd.DataFrame:
    return change.succession_links(cache.records())


def links() -> pd.DataFrame:
    """Every succession link in the store (change.succession_links), once per store version."""
    return _links(cache.store_version())


@st.cache_resource(show_spinner=False, max_entries=4)
def _records_by_id(version) -> pd.DataFrame:
    return pd.DataFrame(cache.records().drop(columns="geometry")).set_index("id", drop=False)


def records_by_id() -> pd.DataFrame:
    """All records indexed by id (read-only), to name predecessors and successors."""
    return _records_by_id(cache.store_version())


@st.cache_resource(show_spinner=False, max_entries=64)
def _statuses(version, a: int, b: int) -> pd.DataFrame:
    records = records_by_id().reset_index(drop=True)
    return change.with_records(change.status(records, a, b, links()), records)


def statuses(a: int, b: int) -> pd.DataFrame:
    """The status of every record over [a, b], with its fields (all gemeenten; read-only)."""
    return _statuses(cache.store_version(), a, b)


@st.cache_resource(show_spinner=False, max_entries=64)
def _pairs(version, a: int, b: int) -> pd.DataFrame:
    return change.successions(records_by_id().reset_index(drop=True), a, b, statuses(a, b), links())


def pairs(a: int, b: int) -> pd.DataFrame:
    return _pairs(cache.store_version(), a, b)


@st.cache_resource(show_spinner=False, max_entries=64)
def _in_view(version, gemeente: str | None, voorbeeld: bool) -> pd.DataFrame:
    records = records_by_id().reset_index(drop=True)
    if gemeente:
        records = records[records["gemeentecode"] == gemeente]
    if not voorbeeld:
        records = records[~sample_mask(records)]
    return records


def in_view(gemeente: str | None, voorbeeld: bool) -> pd.DataFrame:
    """The records of a gemeente (all without one), without the sample if it is off."""
    return _in_view(cache.store_version(), gemeente, voorbeeld)


@st.cache_resource(show_spinner=False, max_entries=64)
def _period_choice(version, gemeente: str | None, voorbeeld: bool, year: int) -> change.PeriodChoice:
    return change.period_choice(in_view(gemeente, voorbeeld))


def cached_period_choice(gemeente: str | None, voorbeeld: bool) -> change.PeriodChoice:
    return _period_choice(cache.store_version(), gemeente, voorbeeld, change.this_year())


@st.cache_resource(show_spinner=False, max_entries=64)
def _area_geojson(version, layer: str, gemeente: str | None, niveau: str) -> str:
    areas = cache.lean_areas(layer, gemeente, niveau)
    _, decimals = indeling.DETAIL[niveau]
    return geometry.lean_geojson(
        areas, {"c": list(areas["code"]), "n": [str(n) for n in areas["naam"]]}, decimals=decimals
    )


def area_geojson(layer: str, gemeente: str | None, niveau: str) -> str:
    """The areas as lean GeoJSON with their code and name (plain text: ChangeAreas escapes it), for ChangeAreas."""
    return _area_geojson(cache.store_version(), layer, gemeente, niveau)


@st.cache_resource(show_spinner=False, max_entries=16)
def _boundary_change(version, older: str, newer: str, gemeente: str | None) -> pd.DataFrame | None:
    first, second = cache.areas(older, gemeente), cache.areas(newer, gemeente)
    if first.empty or second.empty:  # a layer that does not cover the gemeente knows no boundary there
        return None
    return indeling.boundary_change(first, second)


def boundary_change(older: str, newer: str, gemeente: str | None) -> pd.DataFrame | None:
    """How the areas' outlines differ between two layers (indeling.boundary_change); None
    when one of them does not cover the gemeente."""
    return _boundary_change(cache.store_version(), older, newer, gemeente)


@st.cache_resource(show_spinner=False, max_entries=64)
def _yearly(version, gemeente: str | None, voorbeeld: bool, first: int, last: int) -> pd.DataFrame:
    return change.yearly_counts(in_view(gemeente, voorbeeld), first, last, links())


def yearly(gemeente: str | None, voorbeeld: bool, first: int, last: int) -> pd.DataFrame:
    """Open, opened and closed per category per year (change.yearly_counts)."""
    return _yearly(cache.store_version(), gemeente, voorbeeld, first, last)


@st.cache_resource(show_spinner=False, max_entries=4)
def _gemeente_counts(version) -> dict[str, int]:
    return records_by_id().groupby("gemeentecode").size().to_dict()


def gemeente_counts() -> dict[str, int]:
    """How many records each gemeente has."""
    return _gemeente_counts(cache.store_version())
