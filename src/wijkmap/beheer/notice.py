"""A message that outlives the rerun after an action ("imported", "undone"), shown at
the top of the page, with a link to the gemeente on Kaart where there is one."""

from __future__ import annotations

import streamlit as st

from wijkmap.core.i18n import t
from wijkmap.shell import cache
from wijkmap.shell.text import literal

NOTICE = "_beheer_notice"


def put(kind: str, text: str, gemeente: str | None = None) -> None:
    """Keep a message (`kind`: an st function such as "success") for the next run.
    `text` is Markdown: user text in it goes through shell.text.literal."""
    st.session_state[NOTICE] = (kind, text, gemeente)


def show(lang: str) -> None:
    held = st.session_state.pop(NOTICE, None)
    if held is None:
        return
    kind, text, gemeente = held
    getattr(st, kind)(text)
    if gemeente:
        names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
        st.page_link(
            "app_pages/kaart.py",
            label=t("see_on_map", lang).format(plaats=literal(names.get(gemeente, gemeente))),
            query_params={"gemeente": gemeente},
        )
