"""Cached store reads shared by the pages.

Pages stay thin: they read widgets, call into wijkmap and draw. What several pages need
from Streamlit (the chosen language, data read once per store version) lives here.
Every cache is keyed by the store file's modification time, so an import or rebuild
shows at once without restarting the app.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from wijkmap.config import PLACEMENT_LAYER
from wijkmap.core import indeling
from wijkmap.data import placement, store
from wijkmap.map import context


def store_version() -> tuple[str, float, float]:
    """A cache key that changes whenever the store file does (a build or an import).

    In WAL mode (contributions switch the store to it) a commit lands in the -wal file
    first and reaches the store file only at a checkpoint, so that file counts too."""
    path = store.store_path()
    wal = path.with_name(path.name + "-wal")
    return (
        str(path),
        path.stat().st_mtime if path.exists() else 0.0,
        wal.stat().st_mtime if wal.exists() else 0.0,
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _records(version) -> gpd.GeoDataFrame:
    return placement.complete(store.read_records())


@st.cache_data(show_spinner=False, max_entries=4)
def _statistics(version) -> pd.DataFrame:
    return store.read_statistics()


@st.cache_data(show_spinner=False, max_entries=4)
def _catalogue(version) -> pd.DataFrame:
    return store.read_catalogue()


@st.cache_data(show_spinner=False, max_entries=4)
def _layer_counts(version) -> dict[str, int]:
    import pyogrio

    return {name: pyogrio.read_info(store.store_path(), layer=name)["features"] for name in store.area_layers()}


@st.cache_resource(show_spinner=False, max_entries=64)
def _areas(version, layer: str, gemeente: str | None) -> gpd.GeoDataFrame:
    return store.read_areas(layer, gemeentecode=gemeente)


@st.cache_resource(show_spinner=False, max_entries=64)
def _lean_areas(version, layer: str, gemeente: str | None, niveau: str) -> gpd.GeoDataFrame:
    return indeling.lean_areas(_areas(version, layer, gemeente), niveau)


def records() -> gpd.GeoDataFrame:
    return _records(store_version())


def statistics() -> pd.DataFrame:
    return _statistics(store_version())


def catalogue() -> pd.DataFrame:
    return _catalogue(store_version())


def layer_counts() -> dict[str, int]:
    return _layer_counts(store_version())


def areas(layer: str, gemeente: str | None = None) -> gpd.GeoDataFrame:
    """An area layer, whole or for one gemeente (shared between sessions: do not modify)."""
    return _areas(store_version(), layer, gemeente)


def lean_areas(layer: str, gemeente: str | None, niveau: str) -> gpd.GeoDataFrame:
    """The same, simplified for the browser."""
    return _lean_areas(store_version(), layer, gemeente, niveau)


@st.cache_data(show_spinner=False, max_entries=8)
def _gemeenten(version) -> pd.DataFrame:
    """Every gemeente a person can pick: those of 2015 (with buurten) and of 2023."""
    frames = [store.read_areas(layer)[["code", "naam"]] for layer in ("gemeente_2015", "gemeente_2023")]
    return pd.concat(frames).drop_duplicates("code").sort_values("naam").reset_index(drop=True)


def gemeenten() -> pd.DataFrame:
    return _gemeenten(store_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _area_names(version, layer: str) -> pd.DataFrame:
    return store.read_area_names(layer)


def buurt_names() -> pd.DataFrame:
    """code, naam, wijkcode, gemeentecode of every buurt a record can be placed in."""
    return _area_names(store_version(), PLACEMENT_LAYER)


@st.cache_data(show_spinner=False, max_entries=256)
def _years_available(version, indicator: str, gemeente: str | None, niveau: str) -> dict[int, int]:
    layers = indeling.CANDIDATE_LAYERS[niveau]
    codes = set().union(*(set(areas(layer, gemeente)["code"]) for layer in layers))
    return indeling.years_available(statistics(), indicator, codes)


def years_available(indicator: str, gemeente: str | None, niveau: str) -> dict[int, int]:
    """Years with figures for this view, and how many areas have one."""
    return _years_available(store_version(), indicator, gemeente, niveau)


@st.cache_data(show_spinner=False, max_entries=64)
def _service_areas(version, gemeente: str | None, wijkteam_ids: tuple[str, ...]) -> str | None:
    teams = records()
    teams = teams[teams["id"].isin(wijkteam_ids)]
    buurten = areas(PLACEMENT_LAYER, gemeente)  # a werkgebied lists the buurtcodes records are placed in
    return context.service_area_geojson(teams, buurten)


def service_areas(shown: pd.DataFrame, gemeente: str | None) -> str | None:
    """Lean GeoJSON of the service areas of the wijkteams in `shown` (None if there are none)."""
    ids = tuple(sorted(shown.loc[shown["soort"] == "wijkteam", "id"]))
    return _service_areas(store_version(), gemeente, ids) if ids else None


@st.cache_data(show_spinner=False, max_entries=64)
def _surroundings(version, gemeente: str) -> str | None:
    return context.surroundings_geojson(areas("gemeente_2015"), gemeente)


def surroundings(gemeente: str | None) -> str | None:
    """Outlines of the neighbouring gemeenten (None for the national view)."""
    return _surroundings(store_version(), gemeente) if gemeente else None
