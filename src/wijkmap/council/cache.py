"""The council's computations, remembered per store version (as shell.cache does):
the search index once per process, a comparison and its small maps per view."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd
import streamlit as st

from wijkmap.change import model as change_model
from wijkmap.core import analysis, view as view_state
from wijkmap.core.records import sample_mask
from wijkmap.council import compare as cmp, map_image
from wijkmap.council.search import AreaIndex
from wijkmap.shell import cache


@st.cache_resource(show_spinner=False, max_entries=2)
def _index(version) -> AreaIndex:
    return AreaIndex.from_store()


def area_index() -> AreaIndex:
    """Every buurt, wijk and gemeente of the store, with the postcodes (about 2 s once)."""
    return _index(cache.store_version())


def area_layer(area: cmp.Area) -> str | None:
    """The newest layer of the area's level that has its code (None: no boundaries)."""
    gemeente = None if area.niveau == "gemeente" else area.gemeentecode
    for layer in reversed(list(cache.layers(area.niveau))):
        if area.code in set(cache.layer_codes(layer, gemeente)):
            return layer
    return None


def contexts(areas: list[cmp.Area]) -> dict[str, gpd.GeoDataFrame]:
    """Per area with boundaries: it and its neighbours of the same level (code, geometry),
    lean as the map draws them: the buurten or wijken of its gemeente, the gemeenten around."""
    found = {}
    for area in areas:
        layer = area_layer(area)
        if layer is None:
            continue
        if area.niveau == "gemeente":
            frame = cache.lean_areas(layer, None, "gemeente")
            own = frame[frame["code"] == area.code]
            west, south, east, north = own.total_bounds
            pad = max(east - west, north - south) * 0.6
            frame = frame.cx[west - pad : east + pad, south - pad : north + pad]
        else:
            frame = cache.lean_areas(layer, area.gemeentecode, area.niveau)
        found[area.code] = frame[["code", "geometry"]]
    return found


def shapes(areas: list[cmp.Area]) -> gpd.GeoDataFrame | None:
    """The boundaries (code, geometry) of those areas the store has them of."""
    return _shapes(areas)


def _shapes(areas: list[cmp.Area]) -> gpd.GeoDataFrame | None:
    frames = [frame[frame["code"] == code] for code, frame in contexts(areas).items()]
    return pd.concat(frames, ignore_index=True) if frames else None


_FILTERS = ("categorie", "soort", "strategie", "formaliteit", "actortype", "doelgroep", "tarief", "tijdelijk")
_FILTERS += ("voorbeeld", "bron", "lagen", "peiljaar")


def _filter_key(state: view_state.ViewState) -> tuple:
    query = view_state.to_query(state)
    return tuple(sorted((name, query[name]) for name in _FILTERS if name in query))


@st.cache_data(show_spinner=False, max_entries=32)
def _comparison(version, codes: tuple[str, ...], filters: tuple, periode, lang: str) -> cmp.Comparison:
    state, _ = view_state.from_query(dict(filters))
    records = cache.records()
    known = records if state.voorbeeld else records[~sample_mask(records)]
    areas = cmp.load_areas(codes, area_index())
    return cmp.compare(
        areas,
        statistics=cache.statistics(),
        catalogue=cache.catalogue(),
        records=cmp.records_for(records, state),
        lang=lang,
        periode=periode,
        peiljaar=state.peiljaar,
        shapes=_shapes(areas),
        covered=set(known["gemeentecode"]),
    )


def comparison(state: view_state.ViewState, periode: tuple[int, int] | None, lang: str) -> cmp.Comparison:
    """compare.compare for the view's areas and filters, remembered."""
    return _comparison(cache.store_version(), tuple(state.vergelijk), _filter_key(state), periode, lang)


@st.cache_data(show_spinner=False, max_entries=32)
def _small_maps(version, codes, indicator, jaar, unit, palette, klassen, scheme, lang) -> map_image.SmallMaps:
    areas = cmp.load_areas(codes, area_index())
    shapes = contexts(areas)
    drawn = sorted({code for frame in shapes.values() for code in frame["code"]})
    values = analysis.indicator_values(cache.statistics(), indicator, jaar, drawn)
    return map_image.small_maps(shapes, values, unit, palette, klassen, scheme, lang)


def small_maps(codes, indicator: str, jaar: int, unit: str, state: view_state.ViewState, lang: str):
    """map_image.small_maps of the compared areas, coloured as the view's map is."""
    return _small_maps(
        cache.store_version(), tuple(codes), indicator, jaar, unit, state.palet, state.klassen, state.schema, lang
    )


def period_choice():
    """The period a comparison's change can be chosen from (change.model.period_choice)."""
    return _period_choice(cache.store_version())


@st.cache_data(show_spinner=False, max_entries=4)
def _period_choice(version):
    return change_model.period_choice(cache.records())
