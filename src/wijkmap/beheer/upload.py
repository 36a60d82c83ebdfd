"""Reading a register on the page: the template, the upload, every problem of the file
as a line of text and in a table, unknown columns mapped by hand, the preview, what an
import would do, and the one click that writes it as a batch.

The file goes through the importer the command line uses (read_register, then
batches.plan_import and batches.import_batch): the page and scripts share one
implementation. A file is read once per version of it, its mapping and the store; the
result stays in the session, so the reruns that every widget causes cost nothing."""

from __future__ import annotations

import datetime as dt
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from wijkmap.accounts.users import Account
from wijkmap.beheer import notice, preview
from wijkmap.config import IMPORT_MAX_FILE_BYTES
from wijkmap.core.i18n import t
from wijkmap.data import batches
from wijkmap.data.sources.register import RegisterResult, RowProblem, mapping, read_register, template
from wijkmap.shell import cache, widgets
from wijkmap.shell.text import literal

# What st.file_uploader takes; read_register tells the rest apart by the suffix.
FILE_TYPES = ["csv", "txt", "tsv", "xlsx", "xlsm", "xls", "ods", "geojson", "json", "gpkg"]
MAX_UPLOAD_MB = IMPORT_MAX_FILE_BYTES // 1_000_000  # the reader's own limit, so the uploader refuses first
PROBLEM_LINES = 200  # as text lines; the table below them holds every problem
READ, COLUMNS, ROUND = "_beheer_read", "_beheer_columns", "_beheer_upload_round"


@dataclass(frozen=True)
class Reading:
    """A file as read for this page: the reader's result, and what an import would do
    (None while the file has problems)."""

    name: str
    columns: dict[str, str]
    result: RegisterResult
    plan: batches.Plan | None


def section(account: Account, lang: str) -> None:
    _templates(lang)
    state = st.session_state
    state.setdefault(ROUND, 0)
    bron = st.text_input(t("upload_bron", lang), key="beheer_bron", max_chars=120, help=t("upload_bron_help", lang))
    uploaded = st.file_uploader(
        t("upload_file", lang),
        type=FILE_TYPES,
        key=f"beheer_file_{state[ROUND]}",  # a new key after an import: the uploader starts empty
        max_upload_size=MAX_UPLOAD_MB,
        help=t("upload_help", lang).format(mb=MAX_UPLOAD_MB),
    )
    if uploaded is None:
        return
    reading = _reading(uploaded, bron.strip())
    result = reading.result
    for warning in result.warnings:
        st.warning(f"{t('upload_warning', lang)}: {literal(warning)}")
    _mapping(uploaded.file_id, reading, lang)
    if result.problems:
        problems(result.problems, reading.name, lang)
    preview.preview(result.records, lang)
    if reading.plan is not None:
        _plan_and_import(reading, account, lang)


def _templates(lang: str) -> None:
    st.markdown(f"**{t('template_title', lang)}**", help=t("template_help", lang))
    left, right, _ = st.columns([1, 1, 3])
    left.download_button(
        t("template_xlsx", lang),
        data=template.template_xlsx,
        on_click="ignore",
        file_name="wijkmap-register-sjabloon.xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key="beheer_template_xlsx",
    )
    right.download_button(
        t("template_csv", lang),
        data=template.template_csv,
        on_click="ignore",
        file_name="wijkmap-register-sjabloon.csv",
        mime="text/csv",
        key="beheer_template_csv",
    )


def _reading(uploaded, bron: str) -> Reading:
    """The file read with its mapping (the one chosen here, else the one remembered for
    its headers), remembered in the session until the file, the mapping or the store changes."""
    state = st.session_state
    chosen = state.setdefault(COLUMNS, {})
    columns = chosen.get(uploaded.file_id, {})
    key = (uploaded.file_id, bron, tuple(sorted(columns.items())), cache.store_version())
    held = state.get(READ)
    if held is not None and held[0] == key:
        return held[1]
    name = Path(uploaded.name).name or "register"
    stored = cache.records()
    id_owners = dict(zip(stored["id"], stored["bron"]))
    with tempfile.TemporaryDirectory(prefix="wijkmap-upload-") as folder:
        path = Path(folder) / name  # its own name and suffix: the reader's messages and type follow them
        path.write_bytes(uploaded.getbuffer())
        result = read_register(path, cache.placement_buurten(None), bron=bron or None, id_owners=id_owners,
                               columns=columns or None)  # fmt: skip
        if uploaded.file_id not in chosen:
            remembered = mapping.remembered(result.headers)
            chosen[uploaded.file_id] = remembered
            if remembered:
                columns = remembered
                result = read_register(path, cache.placement_buurten(None), bron=bron or None, id_owners=id_owners,
                                       columns=columns)  # fmt: skip
    plan = batches.plan_import(result.records) if result.ok and not result.records.empty else None
    reading = Reading(name, dict(columns), result, plan)
    state[READ] = ((uploaded.file_id, bron, tuple(sorted(columns.items())), cache.store_version()), reading)
    return reading


def _mapping(file_id: str, reading: Reading, lang: str) -> None:
    """Selectboxes that map the file's unknown headers (and the ones mapped before) to
    the template's columns; applying remembers the mapping for these headers."""
    result = reading.result
    headers = [header for header in result.headers if header in reading.columns or header in result.unknown_headers]
    if not headers:
        return
    fields = ["", *(field for field, _ in template.TEMPLATE_COLUMNS)]
    described = dict(template.TEMPLATE_COLUMNS)

    def label(field: str) -> str:
        return f"{field} — {described[field]}" if field else t("mapping_ignore", lang)

    st.header(t("mapping_title", lang))
    st.caption(t("mapping_help", lang))
    with st.form("beheer_mapping"):
        choices = {}
        for number, header in enumerate(headers):
            current = reading.columns.get(header, "")
            choices[header] = st.selectbox(
                literal(header) or f"({number + 1})",
                fields,
                index=fields.index(current) if current in fields else 0,
                format_func=label,
                key=f"beheer_map_{file_id}_{number}",
            )
        applied = st.form_submit_button(t("mapping_apply", lang))
    if applied:
        st.session_state[COLUMNS][file_id] = dict(choices)
        mapping.remember(result.headers, choices)
        st.rerun()


def problems(found: list[RowProblem], file_name: str, lang: str) -> None:
    """Every problem of a file: as lines of text, as a spreadsheet numbers its rows, and
    as a table (row, column, value, what is wrong, the nearest codes)."""
    message = "upload_problem" if len(found) == 1 else "upload_problems"
    st.error(t(message, lang).format(n=len(found), file=literal(file_name)))
    lines = [f"- {literal(str(problem))}" for problem in found[:PROBLEM_LINES]]
    if len(found) > PROBLEM_LINES:
        lines.append(f"- {t('upload_more_problems', lang).format(n=len(found) - PROBLEM_LINES)}")
    with st.container(key="beheer-problems"):
        st.markdown("\n".join(lines))
    table = pd.DataFrame(
        {
            t("col_row", lang): [problem.row for problem in found],
            t("col_column", lang): [problem.column or "" for problem in found],
            t("col_value", lang): [problem.value for problem in found],
            t("col_problem", lang): [problem.message for problem in found],
            t("col_suggestions", lang): [", ".join(problem.suggestions) for problem in found],
        }
    )
    st.dataframe(table, hide_index=True, width="stretch")


def _plan_and_import(reading: Reading, account: Account, lang: str) -> None:
    plan = reading.plan
    st.header(t("plan_title", lang))
    columns = st.columns(4)
    for column, (label, frame) in zip(
        columns,
        (("plan_new", plan.new), ("plan_updated", plan.updated), ("plan_unchanged", plan.unchanged),
         ("plan_missing", plan.missing)),
    ):  # fmt: skip
        column.metric(t(label, lang), len(frame))
    close_missing = None
    if len(plan.missing):
        st.markdown(f"**{t('plan_missing', lang)}**", help=t("plan_missing_help", lang))
        widgets.records_table(plan.missing, lang, key="beheer_missing", downloads=False)
        left, right = st.columns([1, 1])
        if left.checkbox(t("plan_close_missing", lang), key="beheer_close_missing"):
            close_missing = right.date_input(
                t("plan_close_missing", lang), value=dt.date.today(), key="beheer_close_date",
                label_visibility="collapsed", format="DD-MM-YYYY",
            ).isoformat()  # fmt: skip
    if not st.button(t("import_button", lang), type="primary", key="beheer_import"):
        return
    try:
        batch = batches.import_batch(
            reading.result.records,
            bestand=reading.name,
            account=account.naam,
            login=account.aanmelding,
            close_missing=close_missing,
        )
    except batches.BatchError as error:
        st.error(literal(str(error)))
        return
    gemeenten = reading.result.records["gemeentecode"].value_counts()
    notice.put(
        "success",
        t("import_done", lang).format(
            file=literal(reading.name), batch=literal(batch.id), nieuw=batch.nieuw, bijgewerkt=batch.bijgewerkt,
            ongewijzigd=batch.ongewijzigd, gesloten=batch.gesloten,
        ),
        gemeente=str(gemeenten.index[0]) if len(gemeenten) else None,
    )  # fmt: skip
    st.session_state[ROUND] += 1
    st.session_state.pop(READ, None)
    st.rerun()
