"""Keeping the register fresh: per gemeente the open records nobody confirmed for longer
than config.STALE_MONTHS (batches.stale), many chosen at once and confirmed in one batch."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijkmap import config
from wijkmap.accounts.users import Account
from wijkmap.beheer import notice
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.data import batches
from wijkmap.shell import cache
from wijkmap.shell.text import literal

CHOICE = "beheer_fresh_choice"


def stale_table(stale: pd.DataFrame, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            t("col_name", lang): stale["naam"],
            t("col_kind", lang): [vocab.label("soort", code, lang) for code in stale["soort"]],
            t("col_checked", lang): stale["laatst_gecontroleerd"],
            t("col_source", lang): stale["bron"],
            "id": stale["id"],
        }
    )


def section(account: Account, lang: str) -> None:
    months = config.STALE_MONTHS
    names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    codes = sorted(set(cache.records()["gemeentecode"]) - {""}, key=lambda code: (names.get(code, code), code))
    gemeente = st.selectbox(
        t("gemeente", lang), codes, index=None, key="beheer_fresh_gemeente",
        placeholder=t("choose_placeholder", lang), format_func=lambda code: names.get(code, code),
    )  # fmt: skip
    if gemeente is None:
        return
    stale = batches.stale(gemeente, months=months)
    if stale.empty:
        st.success(t("fresh_none", lang).format(plaats=literal(names.get(gemeente, gemeente)), months=months))
        return
    st.caption(t("fresh_intro", lang).format(months=months))
    st.dataframe(stale_table(stale, lang), hide_index=True, width="stretch")
    labels = dict(zip(stale["id"], stale["naam"] + " · " + stale["id"]))
    state = st.session_state
    state[CHOICE] = [key for key in state.get(CHOICE, []) if key in labels]
    if st.button(t("fresh_all", lang).format(n=len(labels)), key="beheer_fresh_all"):
        state[CHOICE] = list(labels)
    chosen = st.multiselect(t("fresh_choose", lang), list(labels), key=CHOICE, format_func=labels.get)
    if not st.button(t("fresh_confirm", lang), key="beheer_fresh_confirm", type="primary", disabled=not chosen):
        return
    try:
        batch = batches.confirm(chosen, account=account.naam, login=account.aanmelding)
    except batches.BatchError as error:
        st.error(literal(str(error)))
        return
    state.pop(CHOICE, None)
    notice.put("success", t("fresh_done", lang).format(n=len(chosen), batch=literal(batch.id)))
    st.rerun()
