"""Kaart's "Rapport (PDF)" button: the report on the view on screen (the selected buurt
or wijk, else the whole gemeente), made only when clicked, from the frames the page has
already read (shell.cache), so a click costs the drawing, not a store read.

Made in the page's run (with a spinner), not as a deferred download: if it fails the
person reads why in their language (and the error goes to the log), instead of
Streamlit's bare "Failed to generate file". Once made, the PDF waits behind a download
button until the view changes."""

from __future__ import annotations

import dataclasses
import logging

import streamlit as st

from wijkmap.core.i18n import t
from wijkmap.core.view import ViewState
from wijkmap.council.report.build import build_report
from wijkmap.council.report.content import ReportError, StoreData
from wijkmap.data import store
from wijkmap.shell import cache, widgets

logger = logging.getLogger(__name__)
MADE = "report_pdf_made"  # session key: (link of the view, PDF bytes) of the last report made


def report_button(state: ViewState, lang: str) -> None:
    """A button that makes the report on this view, then its download; nothing on the
    national overview (a report is of a gemeente or an area in one). With areas compared
    (state.vergelijk) the report is on them: the selected area (else the first) and the
    comparison."""
    compared = list(state.vergelijk)
    # The compare view's areas: the selected one first, if it is one of them.
    first = (state.gebied if state.gebied in compared else compared[0]) if compared else None
    code = first or state.gebied or state.gemeente
    if not code:
        return
    vergelijk = [c for c in compared if c != code]
    link = widgets.share_url(dataclasses.replace(state, draaiboek=None, stap=None, presentatie=False))
    if st.button(
        t("report_button", lang),
        key="report_make",
        help=t("report_button_help", lang),
        icon=":material/picture_as_pdf:",
    ):
        with st.spinner(t("report_making", lang)):
            try:
                data = StoreData(
                    path=store.store_path(),
                    statistics=cache.statistics(),
                    catalogue=cache.catalogue(),
                    records=cache.records(),
                    layers=store.area_layers(),
                )
                st.session_state[MADE] = (
                    link,
                    build_report([code, *vergelijk], lang=lang, link=link, state=state, data=data),
                )
            except Exception as error:  # any failure: a message, not a traceback on the page
                logger.exception("report on %s (compared: %s) failed", code, vergelijk)
                st.session_state.pop(MADE, None)
                # A ReportError names what is wrong in words meant for the person.
                reason = str(error) if isinstance(error, (ReportError, store.StoreMissing)) else ""
                st.error(t("report_failed", lang).format(code=code) + (f" {reason}" if reason else ""), icon="⚠️")
                return
    made = st.session_state.get(MADE)
    if made is not None and made[0] == link:
        st.download_button(
            t("report_download", lang),
            data=made[1],
            on_click="ignore",
            file_name=f"wijkmap-rapport-{code}.pdf",
            mime="application/pdf",
            key="report_pdf",
            icon=":material/download:",
        )
