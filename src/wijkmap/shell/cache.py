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
from streamlit.runtime.scriptrunner import get_script_run_ctx

from wijkmap.core import analysis, indeling
from wijkmap.data import placement, store, tiles
from wijkmap.map import assets, context


def store_version() -> tuple:
    """A cache key that changes whenever the store does (a build, an import, an approval),
    in every app process: store.data_version (the file's times for a GeoPackage, the
    version row of a PostgreSQL store).

    Read once per script run: every cached read asks for it (twenty times and more in a
    Kaart run), and on PostgreSQL each asking is a round trip to the database. So one
    run sees one version throughout, a write shows from the next run on (the pages
    rerun after every write), and a write by another process on the next page load or
    click. Streamlit gives each run fresh `cursors` on the run's context: a version held
    for other cursors is of an earlier run and is read again."""
    ctx = get_script_run_ctx(suppress_warning=True)
    if ctx is None:  # outside a script run (a test calling in directly)
        return store.data_version()
    held = getattr(ctx, _VERSION_ATTRIBUTE, None)
    if held is not None and held[0] is ctx.cursors:
        return held[1]
    version = store.data_version()
    setattr(ctx, _VERSION_ATTRIBUTE, (ctx.cursors, version))
    return version


_VERSION_ATTRIBUTE = "_wijkmap_store_version"


# A resource too: st.cache_data unpickled a private copy on every call, 0.18 s for
# 100,000 records, and a run asks for them several times. Callers treat it as read-only.
@st.cache_resource(show_spinner=False, max_entries=4)
def _records(version) -> gpd.GeoDataFrame:
    return placement.complete(store.read_records())


# Selecting a gemeente's records out of 100,000 took 50 ms a run.
@st.cache_resource(show_spinner=False, max_entries=16)
def _records_of(version, gemeente: str) -> gpd.GeoDataFrame:
    every = _records(version)
    return every[every["gemeentecode"] == gemeente]


# A resource, not data: with KWB 2024 for every buurt the table has ~415,000 rows, and
# st.cache_data would unpickle a private copy on every call (16 ms each, several calls a
# run). Shared, so callers treat it as read-only (none changes it in place).
@st.cache_resource(show_spinner=False, max_entries=4)
def _statistics(version) -> pd.DataFrame:
    return store.read_statistics()


@st.cache_data(show_spinner=False, max_entries=4)
def _catalogue(version) -> pd.DataFrame:
    return store.read_catalogue()


@st.cache_data(show_spinner=False, max_entries=4)
def _layer_counts(version) -> dict[str, int]:
    return store.layer_counts()


@st.cache_resource(show_spinner=False, max_entries=64)
def _areas(version, layer: str, gemeente: str | None) -> gpd.GeoDataFrame:
    return store.read_areas(layer, gemeentecode=gemeente)


@st.cache_resource(show_spinner=False, max_entries=64)
def _lean_areas(version, layer: str, gemeente: str | None, niveau: str) -> gpd.GeoDataFrame:
    return indeling.lean_areas(_areas(version, layer, gemeente), niveau)


def records() -> gpd.GeoDataFrame:
    """Every record (shared between sessions: do not modify)."""
    return _records(store_version())


def records_of(gemeente: str | None) -> gpd.GeoDataFrame:
    """The records of `gemeente` (None: every record), shared as records() is."""
    return records() if not gemeente else _records_of(store_version(), gemeente)


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


@st.cache_data(show_spinner=False, max_entries=4)
def _area_codes(version) -> frozenset[str]:
    codes = set(store.read_postcodes()["code"])  # the 2024 buurten, whose boundaries the store lacks
    for layer in _layers(version):
        codes.update(_area_names(version, layer)["code"])
    return frozenset(codes)


def area_codes() -> frozenset[str]:
    """Every area code the store knows, of any level and indeling."""
    return _area_codes(store_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _buurt_names(version) -> pd.DataFrame:
    return placement.names()


def buurt_names() -> pd.DataFrame:
    """code, naam, wijkcode, gemeentecode of every buurt a record can be placed in."""
    return _buurt_names(store_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _layers(version) -> list[str]:
    return store.area_layers()


def layers(niveau: str) -> dict[str, int]:
    """The store's area layers of a level, with their indeling year, oldest first."""
    return indeling.layers_of(_layers(store_version()), niveau)


def layer_codes(layer: str, gemeente: str | None) -> list[str]:
    """The codes of a layer's areas, whole or of one gemeente."""
    names = _area_names(store_version(), layer)
    return list(names["code"] if not gemeente else names.loc[names["gemeentecode"] == gemeente, "code"])


@st.cache_data(show_spinner=False, max_entries=256)
def _area_layer(version, niveau: str, jaar: int, indicator: str, gemeente: str | None) -> str | None:
    codes = {name: layer_codes(name, gemeente) for name in layers(niveau)}
    return indeling.view_layer(statistics(), indicator, jaar, codes)


def area_layer(niveau: str, jaar: int, indicator: str, gemeente: str | None) -> str | None:
    """The layer to draw `indicator` of `jaar` on for this view (indeling.pick_layer)."""
    return _area_layer(store_version(), niveau, jaar, indicator, gemeente)


@st.cache_data(show_spinner=False, max_entries=4)
def _placement_years(version) -> dict[str, int]:
    return placement.years_by_name({name: _area_names(version, name) for name in layers("buurt")})


def placement_year(gemeente: str | None) -> int | None:
    """The indeling year of the buurten the records of `gemeente` are placed in (None: the
    whole country, or a gemeente without buurten)."""
    return _placement_years(store_version()).get(gemeente) if gemeente else None


def placed_in(layer: str, gemeente: str | None) -> bool:
    """Whether the records of this view carry the codes of `layer`: it is of the year of
    the buurten they are placed in (for the whole country: of every gemeente)."""
    placed = {placement_year(gemeente)} if gemeente else set(_placement_years(store_version()).values())
    return placed == {indeling.layer_year(layer)}


@st.cache_data(show_spinner=False, max_entries=32)
def _located(version, layer: str, gemeente: str | None) -> pd.Series:
    shown = records()
    if gemeente:
        shown = shown[shown["gemeentecode"] == gemeente]
    return analysis.area_codes_at(shown, areas(layer, gemeente))


def located(layer: str, gemeente: str | None) -> pd.Series | None:
    """Per record id of the view the area of `layer` it lies in, for counting records on
    a layer whose codes they do not carry; None when they carry its codes."""
    return None if placed_in(layer, gemeente) else _located(store_version(), layer, gemeente)


@st.cache_data(show_spinner=False, max_entries=256)
def _years_available(version, indicator: str, gemeente: str | None, niveau: str) -> dict[int, int]:
    codes = set().union(*(layer_codes(layer, gemeente) for layer in layers(niveau)))
    return indeling.years_available(statistics(), indicator, codes)


def years_available(indicator: str, gemeente: str | None, niveau: str) -> dict[int, int]:
    """Years with figures for this view, and how many areas have one."""
    return _years_available(store_version(), indicator, gemeente, niveau)


@st.cache_resource(show_spinner=False, max_entries=16)
def _placement_buurten(version, gemeente: str | None) -> gpd.GeoDataFrame:
    return placement.buurten_of(gemeente) if gemeente else placement.buurten()


def placement_buurten(gemeente: str | None) -> gpd.GeoDataFrame:
    """The buurten records are placed in, of one gemeente or all (do not modify)."""
    return _placement_buurten(store_version(), gemeente)


@st.cache_data(show_spinner=False, max_entries=64)
def _service_areas(version, gemeente: str | None, wijkteam_ids: tuple[str, ...]) -> str | None:
    teams = records()
    teams = teams[teams["id"].isin(wijkteam_ids)]
    # A werkgebied lists the buurtcodes records are placed in.
    return context.service_area_geojson(teams, placement_buurten(gemeente))


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


@st.cache_resource(show_spinner=False, max_entries=16)
def _tiles_name(version, layer: str) -> str:
    return tiles.tiles_file(layer).name


def tiles_url(layer: str) -> str:
    """The URL of the vector tiles of `layer` (a PMTiles file the app serves, with range
    requests); written from the store the first time when build-data has not."""
    return f"{assets.static_url()}/{tiles.TILES_DIR.name}/{_tiles_name(store_version(), layer)}"


def area_names(layer: str) -> pd.DataFrame:
    """code, naam, wijkcode and gemeentecode of every area of `layer`, without geometry."""
    return _area_names(store_version(), layer)


@st.cache_data(show_spinner=False, max_entries=256)
def _area_at(version, layer: str, lat: float, lon: float) -> str | None:
    near = store.read_areas_in(layer, (lon - 1e-6, lat - 1e-6, lon + 1e-6, lat + 1e-6))
    return analysis.area_at(near, lat, lon)


def area_at(layer: str, lat: float, lon: float) -> str | None:
    """The code of the area of `layer` at a point (a click on the tile map), or None."""
    return _area_at(store_version(), layer, round(lat, 7), round(lon, 7))
