"""The map explorer's computations, remembered per store version (shell.cache): most
reruns change only the records shown, not the colouring or the profile."""

from __future__ import annotations

import datetime

import pandas as pd
import streamlit as st

from wijkmap.core import geometry, indeling
from wijkmap.explorer import model as explorer
from wijkmap.map import layers as mapview, served
from wijkmap.shell.cache import area_names, catalogue, lean_areas, records_of, statistics, store_version


@st.cache_data(show_spinner=False, max_entries=64)
def _choropleth(
    version, layer, gemeente, niveau, indicator, jaar, scheme, klassen, palette, lang, tiled
) -> explorer.Choropleth:
    item = catalogue().set_index("indicator").loc[indicator].to_dict() | {"indicator": indicator}
    # Tiles hold the geometry of every area of the layer: only their names are needed.
    areas = area_names(layer) if tiled else lean_areas(layer, gemeente, niveau)
    return explorer.choropleth(
        areas,
        niveau,
        statistics(),
        item,
        jaar,
        scheme,
        klassen,
        palette,
        lang,
        indeling.layer_year(layer),
        geometry_json=False,
    )


def choropleth(
    layer, gemeente, niveau, indicator, jaar, scheme, klassen, palette, lang, tiled: bool = False
) -> explorer.Choropleth:
    """explorer.choropleth for this view, remembered: most reruns change only the records.
    Its classes and texts colour the outlines of area_geometry, or with `tiled` every area
    of `layer` in the national tiles (bounds: the Netherlands)."""
    return _choropleth(store_version(), layer, gemeente, niveau, indicator, jaar, scheme, klassen, palette, lang, tiled)


@st.cache_data(show_spinner=False, max_entries=64)
def _area_geometry(version, layer: str, gemeente: str | None, niveau: str) -> str:
    areas = lean_areas(layer, gemeente, niveau)
    _, decimals = indeling.DETAIL[niveau]
    return geometry.lean_geojson(areas, {"c": list(areas["code"]), "n": list(areas["naam"])}, decimals=decimals)


def area_geometry(layer: str, gemeente: str | None, niveau: str) -> str:
    """GeoJSON of the areas on the map, with their code and name only: the same for every
    indicator and year, so the browser fetches it once (map.served)."""
    return _area_geometry(store_version(), layer, gemeente, niveau)


@st.cache_data(show_spinner=False, max_entries=256)
def _area_profile(version, code: str, gemeentecode: str, lang: str, layer: str | None) -> pd.DataFrame:
    layer_jaar = indeling.layer_year(layer) if layer else None
    return explorer.area_profile(code, gemeentecode, statistics(), catalogue(), lang, layer_jaar)


def area_profile(code: str, gemeentecode: str, lang: str, layer: str | None = None) -> pd.DataFrame:
    """explorer.area_profile of an area of `layer`, remembered per area."""
    return _area_profile(store_version(), code, gemeentecode, lang, layer)


# A resource, not data: st.cache_data would unpickle a private copy of 100,000 records'
# text on every run; the table is only read.
@st.cache_resource(show_spinner=False, max_entries=16)
def _record_table(version, gemeente: str | None, lang: str, day: datetime.date) -> mapview.RecordTable:
    table = mapview.record_table(records_of(gemeente), lang, day)
    return mapview.serve_records(table, served.reference)


def record_table(gemeente: str | None, lang: str) -> mapview.RecordTable:
    """The records of `gemeente` (None: the country) before filters, as the map sends
    them (map.layers.RecordTable, served): built and written once per store version,
    language and day (a record turns stale on a day), whatever the filters."""
    return _record_table(store_version(), gemeente, lang, datetime.date.today())
