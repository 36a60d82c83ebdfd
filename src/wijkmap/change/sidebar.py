"""The change page's controls and cached computations (Streamlit).

The widgets read and write the same ViewState as the map explorer, under the same keys
(`view_<field>`), so session.load_from_url sets them from a link and
session.write_to_url puts them back in the address bar. The period is one range slider
over two fields (van, tot); it is set from the state whenever the state changed from
outside (a pasted link) or the data's default period changed (another gemeente).
"""

from __future__ import annotations

import dataclasses

import pandas as pd
import streamlit as st

from wijkmap.change import cache as change_cache, model as change
from wijkmap.core import view as view_state, vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.view import ViewState
from wijkmap.shell import session

_PERIOD = "view_periode"  # the range slider; not a ViewState field (it holds van and tot)
_SYNCED = "_change_period_synced"


def _step(delta: int, choice: change.PeriodChoice) -> None:
    a, b = st.session_state.get(_PERIOD, choice.default)
    st.session_state[_PERIOD] = (a, min(max(b + delta, a), choice.hi))


def _period_widget(state: ViewState, choice: change.PeriodChoice, lang: str) -> tuple[int | None, int | None]:
    wanted = choice.resolve(state.van, state.tot)
    marker = ((state.van, state.tot), choice)
    current = st.session_state.get(_PERIOD)
    valid = (
        isinstance(current, (tuple, list))
        and len(current) == 2
        and all(isinstance(y, int) and choice.lo <= y <= choice.hi for y in current)
    )
    if st.session_state.get(_SYNCED) != marker or not valid:
        st.session_state[_PERIOD] = wanted
    a, b = st.slider(t("period", lang), choice.lo, choice.hi, step=1, key=_PERIOD, help=t("period_help", lang))
    back, on = st.columns(2)
    back.button(
        f"◀ {t('end_year_back', lang)}",
        on_click=_step,
        args=(-1, choice),
        disabled=b <= a,
        width="stretch",
        key="change_step_back",
    )
    on.button(
        f"{t('end_year_on', lang)} ▶",
        on_click=_step,
        args=(1, choice),
        disabled=b >= choice.hi,
        width="stretch",
        key="change_step_on",
    )
    van = None if a == choice.default[0] else int(a)
    tot = None if b == choice.default[1] else int(b)
    st.session_state[_SYNCED] = ((van, tot), choice)
    return van, tot


# --- the sidebar -----------------------------------------------------------------------


def _ensure(name: str, value, options=None) -> None:
    """Give a widget its value from the state when it has none (or an impossible one),
    e.g. after coming from another page, where Streamlit dropped the widget's value."""
    key = session.widget_key(name)
    if key not in st.session_state or (options is not None and st.session_state[key] not in options):
        st.session_state[key] = value


def sidebar(state: ViewState, gemeenten: pd.DataFrame, catalogue: pd.DataFrame, years_for, lang: str) -> ViewState:
    """Draw the change page's sidebar and return the state it describes.

    `years_for(indicator, gemeente, niveau)` gives the years with figures (statistiek)."""
    names = dict(zip(gemeenten["code"], gemeenten["naam"]))
    counts = change_cache.gemeente_counts()
    options = ["", *sorted(names, key=lambda code: (code not in counts, names[code], code))]
    values: dict = {}
    with st.sidebar:
        _ensure("gemeente", state.gemeente or "", options)
        values["gemeente"] = (
            st.selectbox(
                t("choose_gemeente", lang),
                options,
                key=session.widget_key("gemeente"),
                format_func=lambda code: (f"{names[code]} ({code})" + (f" · {counts[code]}" if code in counts else ""))
                if code
                else t("all_gemeenten", lang),
                help=t("change_gemeente_help", lang),
            )
            or None
        )
        if values["gemeente"]:
            _ensure("niveau", state.niveau or "buurt", view_state.LEVELS)
            values["niveau"] = view_state.level_in_gemeente(
                st.radio(
                    t("level", lang),
                    view_state.LEVELS,
                    format_func=lambda n: vocab.label("niveau", n, lang),
                    key=session.widget_key("niveau"),
                    horizontal=True,
                )
            )
        _ensure("voorbeeld", state.voorbeeld)
        choice = change_cache.cached_period_choice(
            values["gemeente"], bool(st.session_state[session.widget_key("voorbeeld")])
        )
        period_state = state
        if values["gemeente"] != state.gemeente and not all(
            year is None or choice.lo <= year <= choice.hi for year in (state.van, state.tot)
        ):  # another gemeente whose data do not reach the chosen years: start from its own period
            period_state = dataclasses.replace(state, van=None, tot=None)
        values["van"], values["tot"] = _period_widget(period_state, choice, lang)

        _ensure("soortgroep", state.soortgroep)
        values["soortgroep"] = st.pills(
            t("change_categories", lang),
            list(vocab.SOORT_CATEGORIES),
            selection_mode="multi",
            format_func=lambda c: vocab.label("categorie", c, lang),
            key=session.widget_key("soortgroep"),
            help=t("change_categories_help", lang),
        )
        _ensure("statussen", state.statussen)
        chosen = st.pills(
            t("change_statuses", lang),
            list(view_state.STATUSES),
            selection_mode="multi",
            format_func=lambda s: vocab.label("status", s, lang),
            key=session.widget_key("statussen"),
        )
        values["statussen"] = [s for s in view_state.STATUSES if s in chosen]
        _ensure("opvolging", state.opvolging)
        values["opvolging"] = st.toggle(t("change_lines", lang), key=session.widget_key("opvolging"))

        _ensure("kleuring", state.kleuring, view_state.KLEURINGEN)
        values["kleuring"] = st.radio(
            t("change_colour_areas", lang),
            view_state.KLEURINGEN,
            key=session.widget_key("kleuring"),
            format_func=lambda k: t(f"kleuring_{k}", lang),
        )
        if values["kleuring"] == "statistiek":
            indicators = catalogue[catalogue["jaren"].fillna("") != ""]
            labels = dict(zip(indicators["indicator"], indicators["label_en" if lang == "en" else "label_nl"]))
            _ensure("indicator", state.indicator if state.indicator in labels else next(iter(labels)), list(labels))
            values["indicator"] = st.selectbox(
                t("indicator", lang), list(labels), format_func=labels.get, key=session.widget_key("indicator")
            )
            niveau = (values.get("niveau", state.niveau) or "buurt") if values["gemeente"] else "gemeente"
            years = list(years_for(values["indicator"], values["gemeente"], niveau))
            left, right = st.columns(2)
            for column, name, fallback, current in (
                (left, "vergelijk_van", years[0] if years else None, state.vergelijk_van),
                (right, "vergelijk_tot", years[-1] if years else None, state.vergelijk_tot),
            ):
                _ensure(name, current or 0, [0, *years])
                values[name] = (
                    column.selectbox(
                        t(f"compare_{name.split('_')[1]}", lang),
                        [0, *years],
                        key=session.widget_key(name),
                        format_func=lambda y, f=fallback: str(y)
                        if y
                        else f"{t('automatic', lang)}" + (f" ({f})" if f else ""),
                    )
                    or None
                )
        _ensure("voorbeeld", state.voorbeeld)
        values["voorbeeld"] = st.toggle(
            t("show_sample", lang), key=session.widget_key("voorbeeld"), help=t("show_sample_help", lang)
        )
    if values["gemeente"] != state.gemeente or values.get("niveau", state.niveau) != state.niveau:
        values["gebied"] = None
        session.set_value("gebied", None)
    if values["gemeente"] != state.gemeente:
        values.update(lat=None, lon=None, zoom=None)
    return dataclasses.replace(state, **values)
