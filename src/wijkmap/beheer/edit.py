"""Editing one record in the app: found by name within a gemeente, its fields in the
contribution form's widgets (contributions.form), saved through batches.edit_record
with the importer's validation; and closing it with a date. Each save is a batch, so
it shows in the history and can be undone. The position is edited as latitude and
longitude (edit_record places it in its buurt again; a buurtcode is not editable)."""

from __future__ import annotations

import datetime as dt
import hashlib

import pandas as pd
import streamlit as st

from wijkmap.accounts.users import Account
from wijkmap.beheer import notice
from wijkmap.contributions import form
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.core.records import FIELDS, join_list, split_list
from wijkmap.data import batches
from wijkmap.shell import cache
from wijkmap.shell.text import literal

PREFIX = "beh_edit_"
# The fields the form edits (contributions.form.example, and lat and lon); the others
# (opvolger_van, werkgebied) are left as they are.
TEXT_FIELDS = ("naam", "omschrijving", "soort", "strategie", "tarief", "tijdelijk", "geopend", "gesloten", "url")


def matches(records: pd.DataFrame, gemeente: str | None, search: str) -> pd.DataFrame:
    """The records of `gemeente` whose name holds `search` (case-insensitive), by name."""
    here = records[records["gemeentecode"] == gemeente] if gemeente else records.iloc[0:0]
    if search.strip():
        here = here[here["naam"].str.casefold().str.contains(search.strip().casefold(), regex=False)]
    return here.sort_values(["naam", "id"])


def form_values(record: pd.Series) -> dict:
    """A stored record as the form's widgets hold it (lists as lists, a position as text)."""
    values: dict = {field: record[field] for field in TEXT_FIELDS}
    values["actortype"], values["doelgroep"] = split_list(record["actortype"]), split_list(record["doelgroep"])
    values["tarief"] = record["tarief"] or None
    values["lat"], values["lon"] = f"{record['lat']:.6f}", f"{record['lon']:.6f}"
    return values


def edited_fields(record_id: str, raw: dict) -> dict[str, str]:
    """What the form holds, as batches.edit_record takes it (every value text)."""
    fields = {"id": record_id}
    for field in TEXT_FIELDS:
        fields[field] = "" if raw.get(field) is None else str(raw[field])
    fields["actortype"], fields["doelgroep"] = join_list(raw["actortype"] or []), join_list(raw["doelgroep"] or [])
    fields["lat"], fields["lon"] = str(raw.get("lat") or ""), str(raw.get("lon") or "")
    return fields


def _version(record: pd.Series) -> str:
    """Changes when the stored record does, so the form is filled again after a save."""
    text = "\x1f".join(str(record[field]) for field in FIELDS)
    return f"{record['id']}|{hashlib.sha256(text.encode('utf-8')).hexdigest()[:12]}"


def section(account: Account, lang: str) -> None:
    records = cache.records()
    names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    codes = sorted(set(records["gemeentecode"]) - {""}, key=lambda code: (names.get(code, code), code))
    left, right = st.columns(2)
    gemeente = left.selectbox(
        t("gemeente", lang), codes, index=None, key="beheer_edit_gemeente",
        placeholder=t("choose_placeholder", lang), format_func=lambda code: names.get(code, code),
    )  # fmt: skip
    search = right.text_input(t("edit_search", lang), key="beheer_edit_search", max_chars=120)
    if gemeente is None:
        return
    found = matches(records, gemeente, search)
    if found.empty:
        st.info(t("edit_none", lang))
        return
    labels = {row.id: f"{row.naam} · {vocab.label('soort', row.soort, lang)} · {row.id}" for row in found.itertuples()}
    if st.session_state.get("beheer_edit_choice") not in labels:
        st.session_state["beheer_edit_choice"] = next(iter(labels))
    chosen = st.selectbox(t("edit_choose", lang), list(labels), key="beheer_edit_choice", format_func=labels.get)
    record = found[found["id"] == chosen].iloc[0]
    _edit(record, account, lang)
    _close(record, account, lang)


def _edit(record: pd.Series, account: Account, lang: str) -> None:
    state = st.session_state
    version = _version(record)
    loaded = state.get(PREFIX + "loaded")
    changed_meanwhile = bool(loaded) and loaded != version and loaded.startswith(f"{record['id']}|")
    if changed_meanwhile:
        # Someone else saved this record since the form was filled. The form is filled
        # anew (saving it as it was would put their values back under this person's name),
        # and what this person had typed is kept on screen, not silently dropped.
        typed = edited_fields(record["id"], form.raw_values(PREFIX, state))
        stored = edited_fields(record["id"], form_values(record))
        differs = {field: value for field, value in typed.items() if value != stored[field]}
        if differs:
            st.warning(t("edit_conflict", lang))
            st.text("\n".join(f"{field}: {value}" for field, value in differs.items()))
    form.keep(PREFIX, state, version, form_values(record))
    form.example(PREFIX, lang, {}, name_label="field_naam_record")
    left, right = st.columns(2)
    left.text_input(t("latitude", lang), key=PREFIX + "lat", max_chars=30)
    right.text_input(t("longitude", lang), key=PREFIX + "lon", max_chars=30)
    if not st.button(t("edit_save", lang), key="beheer_edit_save", type="primary") or changed_meanwhile:
        return
    try:
        batch = batches.edit_record(
            edited_fields(record["id"], form.raw_values(PREFIX, state)), account=account.naam, login=account.aanmelding
        )
    except batches.BatchError as error:
        st.error(literal(str(error)))
        return
    state.pop(PREFIX + "loaded", None)  # the next run fills the form from the saved record
    notice.put("success", t("edit_saved", lang).format(batch=literal(batch.id)))
    st.rerun()


def _close(record: pd.Series, account: Account, lang: str) -> None:
    left, right = st.columns([1, 1], vertical_alignment="bottom")
    on = left.date_input(t("close_on", lang), value=dt.date.today(), key="beheer_close_on", format="DD-MM-YYYY")
    if not right.button(t("close_button", lang), key="beheer_close"):
        return
    try:
        batch = batches.close([record["id"]], on=on.isoformat(), account=account.naam, login=account.aanmelding)
    except batches.BatchError as error:
        st.error(literal(str(error)))
        return
    st.session_state.pop(PREFIX + "loaded", None)
    notice.put("success", t("closed_done", lang).format(date=on.isoformat(), batch=literal(batch.id)))
    st.rerun()
