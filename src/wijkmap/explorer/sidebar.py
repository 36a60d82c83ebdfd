"""The Kaart page's sidebar: the widgets of a view (gemeente, indicator, classes, layers,
filters), each bound to its setting of the ViewState through shell.session."""

from __future__ import annotations

import dataclasses
from datetime import date

import pandas as pd
import streamlit as st

from wijkmap.core import indeling, view as view_state, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import is_sample
from wijkmap.core.view import ViewState
from wijkmap.shell import widgets
from wijkmap.shell.session import add_ignored, set_value, widget_key as _key


def sidebar(
    state: ViewState,
    gemeenten: pd.DataFrame,
    catalogue: pd.DataFrame,
    years_for,
    bronnen: list[str],
    lang: str,
) -> ViewState:
    """Draw the sidebar and return the state it describes.

    `years_for(indicator, gemeente, niveau)` gives the years an indicator has values
    for in that view (with their coverage), so the year list follows the indicator
    just chosen."""
    names = dict(zip(gemeenten["code"], gemeenten["naam"]))
    # Streamlit shows a None value as 'no choice made', so "" and 0 stand for 'all' and 'newest'.
    options = ["", *sorted(names, key=lambda code: (names[code], code))]
    values: dict = {}
    with st.sidebar:
        values["gemeente"] = st.selectbox(
            t("choose_gemeente", lang),
            options,
            format_func=lambda code: f"{names[code]} ({code})" if code else t("all_gemeenten", lang),
            key=_key("gemeente"),
            help=t("choose_gemeente_help", lang),
        )
        values["niveau"] = _level(values["gemeente"], state.gemeente, lang)
        indicators = catalogue[catalogue["jaren"].fillna("") != ""]
        labels = dict(zip(indicators["indicator"], indicators["label_en" if lang == "en" else "label_nl"]))
        asked = st.session_state.get(_key("indicator"))
        if asked not in labels:
            if asked:  # a link's indicator the store does not hold: say so, as for other parameters
                add_ignored(f"indicator={asked}")
            st.session_state[_key("indicator")] = next(iter(labels))
        values["indicator"] = st.selectbox(
            t("colour_by", lang), list(labels), format_func=labels.get, key=_key("indicator")
        )
        level = view_state.level(ViewState(gemeente=values["gemeente"] or None, niveau=values["niveau"]))
        coverage = years_for(values["indicator"], values["gemeente"], level)
        fallback = indeling.default_year(coverage)
        year_options = [0, *coverage]
        if st.session_state.get(_key("jaar")) not in year_options:
            st.session_state[_key("jaar")] = 0
        values["jaar"] = st.selectbox(
            t("year", lang),
            year_options,
            format_func=lambda y: str(y) if y else t("best_year", lang) + (f" ({fallback})" if fallback else ""),
            key=_key("jaar"),
        )
        with st.expander(t("classification", lang)):
            values["schema"] = st.selectbox(
                t("scheme", lang), view_state.SCHEMES, format_func=lambda s: t(f"scheme_{s}", lang), key=_key("schema")
            )
            values["klassen"] = st.slider(t("classes", lang), 3, 9, key=_key("klassen"))
            values["palet"] = st.selectbox(
                t("palette", lang),
                view_state.PALETTES,
                format_func=lambda p: t(f"palette_{p}", lang),
                key=_key("palet"),
            )

        st.markdown(f"**{t('layers', lang)}**")
        values["lagen"] = st.pills(
            t("layers", lang),
            view_state.LAYERS,
            selection_mode="multi",
            format_func=lambda c: vocab.label("categorie", c, lang),
            key=_key("lagen"),
            label_visibility="collapsed",
        )
        with st.expander(
            t("filters", lang), expanded=widgets.opened_as_first_asked("filters", bool(_active_filters(state)))
        ):
            values["strategie"] = st.pills(
                t("strategy", lang),
                ["bonding", "bridging", "beide"],
                selection_mode="multi",
                format_func=lambda c: vocab.label("strategie", c, lang),
                key=_key("strategie"),
                help=t("strategy_help", lang),
            )
            values["formaliteit"] = st.pills(
                t("formality", lang),
                list(vocab.ACTOR_FORMALITIES),
                selection_mode="multi",
                format_func=lambda c: vocab.label("formaliteit", c, lang),
                key=_key("formaliteit"),
            )
            values["actortype"] = _multiselect("actortype", t("actortype", lang), lang)
            values["soort"] = _multiselect("soort", t("kind", lang), lang)
            values["doelgroep"] = _multiselect("doelgroep", t("target_groups", lang), lang)
            values["tarief"] = _multiselect("tarief", t("fee", lang), lang)
            values["tijdelijk"] = st.selectbox(
                t("temporary", lang),
                ["", "ja", "nee"],
                format_func=lambda v: {"": t("all", lang), "ja": t("yes", lang), "nee": t("no", lang)}[v],
                key=_key("tijdelijk"),
            )
            values["peiljaar"] = st.selectbox(
                t("map_year", lang),
                [0, *range(date.today().year, 1949, -1)],
                format_func=lambda y: str(y) if y else t("now", lang),
                key=_key("peiljaar"),
                help=t("map_year_help", lang),
            )
            values["voorbeeld"] = st.toggle(
                t("show_sample", lang), key=_key("voorbeeld"), help=t("show_sample_help", lang)
            )
            real = [b for b in bronnen if not is_sample(b)]
            st.session_state[_key("bron")] = [b for b in st.session_state.get(_key("bron"), []) if b in real]
            values["bron"] = st.multiselect(t("sources", lang), real, key=_key("bron"), placeholder=t("all", lang))
    # Back from the widgets' stand-ins to the state's None.
    for name in ("gemeente", "jaar", "tijdelijk", "peiljaar"):
        values[name] = values[name] or None
    # Another gemeente or level: the old selection and map position no longer apply.
    if values["gemeente"] != state.gemeente or values["niveau"] != state.niveau:
        values.update(gebied=None)
        set_value("gebied", None)
    if values["gemeente"] != state.gemeente:
        values.update(lat=None, lon=None, zoom=None)
    return dataclasses.replace(state, **values)


def _level(gemeente: str, before: str | None, lang: str) -> str | None:
    """The level radio: buurt or wijk inside a gemeente; for the whole country gemeenten
    (None), or every buurt or wijk of the country (drawn from vector tiles). Leaving a
    gemeente goes back to the gemeenten. The widget keeps None as "" (session)."""
    key = _key("niveau")
    if gemeente:
        if st.session_state.get(key) not in view_state.LEVELS:
            st.session_state[key] = "buurt"
        options: list[str] = list(view_state.LEVELS)
    else:
        if before or st.session_state.get(key) not in ("", *view_state.LEVELS):
            st.session_state[key] = ""
        options = ["", *view_state.LEVELS]
    chosen = st.radio(
        t("level", lang),
        options,
        format_func=lambda n: vocab.label("niveau", n or "gemeente", lang),
        key=key,
        horizontal=True,
        help=None if gemeente else t("national_level_help", lang),
    )
    return view_state.level_in_gemeente(chosen) if gemeente else (chosen or None)


def _multiselect(vocabulary: str, label: str, lang: str) -> list[str]:
    codes = list(vocab.VOCABULARIES[vocabulary])
    return st.multiselect(
        label,
        codes,
        format_func=lambda c: vocab.label(vocabulary, c, lang),
        key=_key(vocabulary),
        placeholder=t("all", lang),
    )


def _active_filters(state: ViewState) -> list[str]:
    names = ("strategie", "formaliteit", "actortype", "soort", "doelgroep", "tarief", "tijdelijk", "peiljaar", "bron")
    return [name for name in names if getattr(state, name)] + ([] if state.voorbeeld else ["voorbeeld"])
