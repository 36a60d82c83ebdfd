"""The map explorer's map, as the Kaart page draws it, the hand-out saves it and the
benchmark measures it: one function, so the three cannot drift apart.

The map is built in two parts. The base map (tiles, the neighbouring gemeenten, the
areas' outlines) changes only with the areas; the overlay (the areas' classes and the
legend, the selected area, wijkteam service areas, the records) changes with every
indicator, filter and click, and streamlit-folium swaps it in place, so the map keeps its
position. The base map's outlines are served as files (map.served) that the browser
fetches once, so a run of the page sends the values, not the geometry.
"""

from __future__ import annotations

import dataclasses

import folium
import pandas as pd

from wijkmap.core import geometry
from wijkmap.core.i18n import t
from wijkmap.core.records import sources_credit
from wijkmap.core.view import ViewState
from wijkmap.explorer.model import Choropleth
from wijkmap.map import assets, layers as mapview, served


@dataclasses.dataclass(frozen=True)
class Look:
    """How large the map draws: normal, or for the back of a room."""

    legend_scale: float
    symbol_size: int
    cluster_radius: int
    line_weight: float
    height: int  # px; in presentation mode CSS makes the map fill the screen

    @property
    def legend_width(self) -> int:
        return round(mapview.LEGEND_WIDTH * self.legend_scale)


NORMAL = Look(1.0, 30, 40, 1.0, 640)
PRESENTATION = Look(1.8, 46, 56, 1.6, 760)


def look(state: ViewState) -> Look:
    return PRESENTATION if state.presentatie else NORMAL


@dataclasses.dataclass(frozen=True)
class Context:
    """What the map needs besides the view: read from the store by the caller (cached in
    the app), so that building the map needs no store and can run later (a download)."""

    areas: str | None = None  # GeoJSON of the areas, code and name (None: the choropleth's)
    surroundings: str | None = None  # GeoJSON outlines of the neighbouring gemeenten
    outline: str | None = None  # GeoJSON of the selected area
    service_areas: str | None = None  # GeoJSON of the shown wijkteams' service areas
    tiles: str | None = None  # the basemap's URL template (None: no basemap)
    # The view's records before filters (explorer.cache.record_table): served, masked per
    # run. None: the records shown go inside the map.
    records: mapview.RecordTable | None = None


def selected_outline(areas: pd.DataFrame, code: str | None) -> str | None:
    """GeoJSON of the area `code` among the lean `areas` (None if it is not one of them)."""
    if code not in set(areas["code"]):
        return None
    return geometry.lean_geojson(areas[areas["code"] == code], {})


def legend(state: ViewState, choropleth: Choropleth, lang: str, look: Look) -> mapview.Legend:
    """The legend of the map's classes and of the record symbols of the layers shown,
    drawn with the overlay (it changes with the indicator, the base map does not)."""
    return mapview.Legend(
        choropleth.legend_title,
        choropleth.legend_subtitle,
        choropleth.legend_classes,
        choropleth.missing,
        mapview.category_symbols(state.lagen, lang),
        choropleth.source,
        scale=look.legend_scale,
        cluster_note=t("cluster_note", lang),
        in_overlay=True,
    )


def build(
    state: ViewState,
    choropleth: Choropleth,
    shown: pd.DataFrame,
    context: Context,
    lang: str,
    look: Look = NORMAL,
    standalone: bool = False,
) -> tuple[folium.Map, folium.FeatureGroup]:
    """The base map and its overlay for `state` (add the overlay to the map to save it).
    `standalone` keeps the geometry inside the map (a hand-out, opened without the app)."""
    geometry = geometry_reference(standalone)
    m = mapview.base_map(
        choropleth.bounds, context.tiles, t("attribution", lang), legend_width=look.legend_width, lang=lang
    )
    if context.surroundings:
        mapview.OutlineLayer(geometry(context.surroundings), mapview.SURROUNDINGS_STYLE).add_to(m)
    mapview.AreaLayer(geometry(context.areas or choropleth.geojson), weight=look.line_weight).add_to(m)
    overlay = assets.OfflineFeatureGroup(name="overlay")
    mapview.AreaValues(
        list(choropleth.classes.index),
        [int(k) for k in choropleth.classes.to_numpy()],
        list(choropleth.texts.to_numpy()),
        choropleth.colours,
    ).add_to(overlay)
    legend(state, choropleth, lang, look).add_to(overlay)
    if context.outline:
        selected_area(context.outline, look, standalone).add_to(overlay)
    # Served too: inside the overlay they would be sent again on every run (a filter click).
    if context.service_areas:
        mapview.OutlineLayer(
            geometry(context.service_areas),
            {"color": "#0072B2", "weight": 2 * look.line_weight, "dashArray": "6 4", "fill": False},
            interactive=True,
        ).add_to(overlay)
    record_layer(shown, context, lang, look, standalone).add_to(overlay)
    return m, overlay


def geometry_reference(standalone: bool):
    """How a map carries GeoJSON: inside it (`standalone`: a hand-out, opened without the
    app), or as the address of a file the app serves (map.served), fetched once."""
    return (lambda text: text) if standalone else served.reference


def selected_area(outline: str, look: Look, standalone: bool = False) -> mapview.OutlineLayer:
    """The selected area's outline (GeoJSON), for the overlay: served, so it is not sent
    again on every run."""
    return mapview.OutlineLayer(
        geometry_reference(standalone)(outline), {"color": "#000", "weight": 4 * look.line_weight, "fill": False}
    )


def record_layer(
    shown: pd.DataFrame, context: Context, lang: str, look: Look, standalone: bool = False
) -> mapview.RecordLayer:
    """The records shown: masked out of the view's served RecordTable, or inside the map
    (a hand-out). They credit their own sources, so hiding a source updates the credit
    in the overlay."""
    drawn = {
        "size": look.symbol_size,
        "cluster_radius": look.cluster_radius,
        "attribution": sources_credit(shown, lang),
    }
    if standalone or context.records is None:
        return mapview.RecordLayer(shown, lang, **drawn)
    return mapview.RecordLayer(context.records, lang, shown_ids=shown["id"], **drawn)
