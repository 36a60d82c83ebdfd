"""Kaart for the whole country at buurt or wijk level: every area of the indeling drawn
from vector tiles, coloured by a table of classes.

`?niveau=buurt` (or wijk) without a gemeente. A GeoJSON of all 12,229 buurten would be
18 MB; here the browser fetches the tiles in view from a PMTiles file the app serves
(data/tiles.py, map/layers.TileAreaLayer), and the server sends only the class of each
area for the chosen indicator and year (TileAreaColours, in the overlay): another
indicator changes the overlay, the base map with its tiles stays. A click reports its
point; the server finds the area there (shell.cache.area_at) and selects it.
"""

from __future__ import annotations

import dataclasses
import functools

import folium
import pandas as pd
import streamlit as st

from wijkmap import config
from wijkmap.core.geometry import lean_geojson
from wijkmap.core.i18n import t
from wijkmap.core.view import LEVELS, ViewState
from wijkmap.data import tiles
from wijkmap.explorer import cache as explorer_cache, map as explorer_map, model as explorer
from wijkmap.map import assets, layers as mapview
from wijkmap.shell import cache, map_widget, session


def tiled(state: ViewState) -> bool:
    """Whether the view draws every buurt or wijk of the country (from tiles)."""
    return not state.gemeente and state.niveau in LEVELS


def missing() -> list[str]:
    """What the tile map lacks on this installation (the npm bundles of scripts/vendor)."""
    return assets.missing_npm_bundles()


def choropleth(layer, niveau, indicator, jaar, scheme, klassen, palette, lang) -> explorer.Choropleth:
    """The classes of every area of `layer` (no geometry: the tiles have it), remembered."""
    return explorer_cache.choropleth(layer, None, niveau, indicator, jaar, scheme, klassen, palette, lang, tiled=True)


def selected_outline(layer: str, areas: pd.DataFrame, code: str | None) -> str | None:
    """GeoJSON of the selected area (read from the store: the page holds no geometry)."""
    if not code or code not in set(areas["code"]):
        return None
    gemeente = areas.loc[areas["code"] == code, "gemeentecode"].iloc[0]
    own = cache.areas(layer, gemeente)
    return lean_geojson(own[own["code"] == code], {})


def build(
    state: ViewState,
    choropleth: explorer.Choropleth,
    layer: str,
    tiles_url: str,
    shown: pd.DataFrame,
    context: explorer_map.Context,
    lang: str,
    look: explorer_map.Look = explorer_map.NORMAL,
    standalone: bool = False,
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The base map (basemap and the tiles: the same for every indicator) and its overlay
    (the classes, the legend, the selected area, the records). The tiles are always the
    app's: `standalone` (a hand-out) changes nothing here."""
    m = mapview.base_map(
        choropleth.bounds, context.tiles, t("attribution", lang), legend_width=look.legend_width, lang=lang
    )
    classes = choropleth.classes
    codes_url = tiles_url.removesuffix(".pmtiles") + ".codes.txt"  # data.tiles.codes_file, in code order
    mapview.TileAreaLayer(tiles_url, tiles.TILE_LAYER, tiles.MAXZOOM, codes_url, weight=look.line_weight).add_to(m)
    overlay = assets.OfflineFeatureGroup(name="overlay")
    in_order = classes.sort_index(kind="stable")
    mapview.TileAreaColours([int(k) for k in in_order.to_numpy()], choropleth.colours).add_to(overlay)
    explorer_map.legend(state, choropleth, lang, look).add_to(overlay)
    if context.outline:
        explorer_map.selected_area(context.outline, look, standalone).add_to(overlay)
    explorer_map.record_layer(shown, context, lang, look, standalone).add_to(overlay)
    return m, overlay


def map_builder(state, choropleth, layer, areas, shown, lang, look):
    """A function that builds the map and its overlay (drawn by the page, saved as a
    hand-out); what needs the store is read here."""
    context = explorer_map.Context(
        outline=selected_outline(layer, areas, state.gebied),
        tiles=config.tile_url(),
        records=explorer_cache.record_table(None, lang),
    )
    return functools.partial(build, state, choropleth, layer, cache.tiles_url(layer), shown, context, lang, look)


def show_clicked_point(result: dict | None, layer: str, state: ViewState) -> None:
    """A click on the tile map selects the area at its point (the tiles tell the server
    nothing: it finds the area in the store) and runs the page again."""
    point = (result or {}).get("last_clicked") or {}
    if "lat" not in point or "lng" not in point:
        return
    spot = (round(float(point["lat"]), 7), round(float(point["lng"]), 7))
    remembered = "_map_clicked_point_kaart"
    if st.session_state.get(remembered) == spot:
        return  # streamlit-folium repeats the last click on every run
    st.session_state[remembered] = spot
    code = cache.area_at(layer, *spot)
    if code and code != state.gebied:
        session.show_view(dataclasses.replace(state, gebied=code))
        st.rerun()


def draw_map(state: ViewState, build, look) -> dict | None:
    """Draw the tile map; it also reports where it was clicked (show_clicked_point)."""
    m, overlay = build()
    if state.presentatie:
        mapview.FillFrame().add_to(m)
    return map_widget.draw_map(m, overlay, state, "kaart", height=look.height, also_returned=("last_clicked",))
