"""Kaart's "Rapport (PDF)" button: the report on the view on screen (the selected buurt
or wijk, else the whole gemeente), made only when clicked, from the frames the page has
already read (shell.cache), so a click costs the drawing, not a store read."""

from __future__ import annotations

import dataclasses

import streamlit as st

from wijkmap.core.i18n import t
from wijkmap.core.view import ViewState
from wijkmap.council.report.build import build_report
from wijkmap.council.report.content import StoreData
from wijkmap.data import store
from wijkmap.shell import cache, widgets


def report_button(state: ViewState, lang: str) -> None:
    """A download button for the report on this view; nothing on the national overview
    (a report is of a gemeente or an area in one). With areas compared (state.vergelijk)
    the report is on them: the selected area (else the first) and the comparison."""
    compared = list(state.vergelijk)
    # The compare view's areas: the selected one first, if it is one of them.
    first = (state.gebied if state.gebied in compared else compared[0]) if compared else None
    code = first or state.gebied or state.gemeente
    if not code:
        return
    vergelijk = [c for c in compared if c != code]
    link = widgets.share_url(dataclasses.replace(state, draaiboek=None, stap=None, presentatie=False))

    def make() -> bytes:
        data = StoreData(
            path=store.store_path(),
            statistics=cache.statistics(),
            catalogue=cache.catalogue(),
            records=cache.records(),
            layers=store.area_layers(),
        )
        return build_report([code, *vergelijk], lang=lang, link=link, state=state, data=data)

    st.download_button(
        t("report_button", lang),
        data=make,
        on_click="ignore",
        file_name=f"wijkmap-rapport-{code}.pdf",
        mime="application/pdf",
        key="report_pdf",
        help=t("report_button_help", lang),
        icon=":material/picture_as_pdf:",
    )
