"""The history of batches (who, when, which file, what it did) and undoing one, after a
confirmation. batches.undo refuses what cannot be undone exactly (already undone, or a
record changed by a later batch); its message is shown next to the button."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from wijkmap.accounts.users import Account
from wijkmap.beheer import notice
from wijkmap.core.i18n import t
from wijkmap.data import batches
from wijkmap.shell.text import literal, local_time

ASKED = "_beheer_undo_asked"


def table(found: list[batches.Batch], lang: str) -> pd.DataFrame:
    """The batches as people read them, newest first (Streamlit shows cells as text)."""
    return pd.DataFrame(
        {
            t("col_batch", lang): [batch.id for batch in found],
            t("col_time", lang): [local_time(batch.tijd, lang) for batch in found],
            t("col_account", lang): [batch.account for batch in found],
            t("col_kind_batch", lang): [t(f"batch_kind_{batch.soort}", lang) for batch in found],
            t("col_file", lang): [batch.bestand for batch in found],
            t("plan_new", lang): [batch.nieuw for batch in found],
            t("plan_updated", lang): [batch.bijgewerkt for batch in found],
            t("plan_unchanged", lang): [batch.ongewijzigd for batch in found],
            t("col_closed", lang): [batch.gesloten for batch in found],
            t("col_undone", lang): [
                f"{batch.ongedaan} ({batch.ongedaan_door})" if batch.ongedaan else "" for batch in found
            ],
        }
    )


def section(account: Account, lang: str) -> None:
    found = batches.list_batches()
    if not found:
        st.info(t("history_empty", lang))
        return
    st.dataframe(table(found, lang), hide_index=True, width="stretch")
    open_ones = {batch.id: batch for batch in found if not batch.ongedaan}
    if not open_ones:
        return
    state = st.session_state
    if state.get("beheer_undo_choice") not in open_ones:
        state["beheer_undo_choice"] = next(iter(open_ones))
    chosen = st.selectbox(
        t("undo_choose", lang),
        list(open_ones),
        key="beheer_undo_choice",
        format_func=lambda key: f"{key} · {local_time(open_ones[key].tijd, lang)} · {open_ones[key].bestand or t(f'batch_kind_{open_ones[key].soort}', lang)}",
    )
    if state.get(ASKED) != chosen:
        if st.button(t("undo_button", lang), key="beheer_undo"):
            state[ASKED] = chosen
            st.rerun()
        return
    st.warning(t("undo_confirm", lang).format(batch=literal(chosen)))
    yes, no, _ = st.columns([1, 1, 4])
    if no.button(t("undo_no", lang), key="beheer_undo_no"):
        state.pop(ASKED, None)
        st.rerun()
    if yes.button(t("undo_yes", lang), key="beheer_undo_yes", type="primary"):
        state.pop(ASKED, None)
        try:
            batches.undo(chosen, account=account.naam, login=account.aanmelding)
        except batches.BatchError as error:
            st.error(literal(str(error)))
            return
        notice.put("success", t("undo_done", lang).format(batch=literal(chosen)))
        st.rerun()
