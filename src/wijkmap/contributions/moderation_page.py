"""Moderatie: check, edit, approve or reject contributions.

With a users file (config.users_path) or an OpenID Connect provider in the secrets, only
named accounts log in (role moderator or beheerder, accounts/login.py); without either,
the shared moderator secret and a typed name, as before. Every action names the account,
or that typed name, and how they logged in, in the audit log."""

import logging
import time
from collections.abc import Mapping
from typing import Any

import pandas as pd
import streamlit as st

from wijkmap.accounts import login, users
from wijkmap.contributions import checks, clients, form, inbox
from wijkmap.core import vocabulary as vocab
from wijkmap.core.i18n import t
from wijkmap.data import audit
from wijkmap.shell import cache, session
from wijkmap.shell.text import local_time

SECRET, NAME, FAILURES, NOTICE = "_mod_secret", "_mod_name", "_mod_failures", "_mod_notice"
logger = logging.getLogger(__name__)


def _logged_in(lang: str, secrets: Mapping[str, Any]) -> bool:
    """Whether this session holds the secret (checked again on every run, so removing or
    changing the moderator secret ends every session); else the login form."""
    state = st.session_state
    if inbox.secret_matches(state.get(SECRET), secrets=secrets) and state.get(NAME):
        return True
    state.pop(SECRET, None)
    st.header(t("moderation_login", lang))
    now, client = time.time(), form.client_key()
    wait = max(  # per session, and per client address (a guesser opens new sessions)
        clients.login_wait(state.get(FAILURES, []), now), clients.LOGIN_FAILURES.wait(client, now)
    )
    if wait > 0:
        st.warning(t("login_blocked", lang).format(seconds=int(wait) + 1))
        return False
    with st.form("mod_login"):
        secret = st.text_input(t("moderator_secret", lang), type="password", key="mod_login_secret")
        name = st.text_input(t("moderator_name", lang), max_chars=checks.LIMITS["moderator"], key="mod_login_name")
        submitted = st.form_submit_button(t("log_in", lang), type="primary")
    if not submitted:
        return False
    if not inbox.secret_matches(secret, secrets=secrets):
        state.setdefault(FAILURES, []).append(now)
        clients.LOGIN_FAILURES.add(client, now)
        st.error(t("wrong_secret", lang))
        return False
    if not checks.clean_text(name):
        st.error(t("err_moderator", lang))
        return False
    state[SECRET], state[NAME] = secret, checks.clean_text(name).replace("\n", " ")
    st.rerun()


def _table(queue: pd.DataFrame, gemeente_names: dict, lang: str) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "#": queue["id"],
            t("submitted_at", lang): [local_time(stamp, lang) for stamp in queue["ingediend"]],
            t("col_name", lang): queue["naam"],
            t("col_kind", lang): [vocab.label("soort", code, lang) for code in queue["soort"]],
            t("col_gemeente", lang): [gemeente_names.get(code, code) for code in queue["gemeentecode"]],
            t("col_contact", lang): queue["contact_naam"],
            t("col_email", lang): queue["contact_email"],
            t("col_reason", lang): queue["reden"],
        }
    )


def _checked(prefix: str, lang: str):
    raw = form.raw_values(prefix, st.session_state)
    example, problems = checks.check_example(raw, checks.StorePlaces(), lang)
    st.session_state[prefix + "problems"] = {problem.field: problem.message for problem in problems}
    return example


def _detail(row: dict, moderator: str, how: str, buurten, gemeente_names: dict, lang: str) -> None:
    """One submission: who sent it, its fields to edit, and the actions."""
    state, number = st.session_state, int(row["id"])
    prefix = f"mod{number}_"
    version = f"{row['status']}|{row['bijgewerkt']}"
    if state.get(prefix + "loaded") != version:
        state[prefix + "problems"] = {}
    form.keep(prefix, state, version, inbox.form_values(row), extra=("reden",))
    problems = state.get(prefix + "problems", {})

    with st.container(border=True):
        st.caption(f"{t('submitted_at', lang)}: {row['ingediend']} · {t('status', lang)}: "
                   f"{t('status_' + row['status'], lang)}")  # fmt: skip
        st.markdown(f"**{t('contact_private', lang)}**")
        st.text(f"{row['contact_naam']} <{row['contact_email']}>")
        if row["reden"]:
            st.markdown(f"**{t('col_reason', lang)}**")
            st.text(row["reden"])
    st.header(t("step_where", lang))
    form.location(prefix, buurten, gemeente_names, lang, problems)
    st.header(t("step_what", lang))
    form.example(prefix, lang, problems)

    left, middle = st.columns(2)
    if left.button(t("save_changes", lang), key=prefix + "save"):
        example = _checked(prefix, lang)
        if example is not None:
            changed = inbox.edit(number, example, moderator, lang=lang, login=how)
            state[NOTICE] = ("success", t("saved", lang).format(fields=", ".join(changed)) if changed
                             else t("nothing_changed", lang))  # fmt: skip
        st.rerun()
    if row["status"] != inbox.APPROVED and middle.button(t("approve", lang), key=prefix + "approve", type="primary"):
        example = _checked(prefix, lang)
        if example is not None:
            inbox.edit(number, example, moderator, lang=lang, login=how)
            inbox.approve(number, moderator, lang=lang, login=how)
            state[NOTICE] = ("success", t("approved_msg", lang).format(id=number))
        st.rerun()
    if row["status"] != inbox.REJECTED:
        reason = st.text_input(t("reject_reason", lang), key=prefix + "reden", max_chars=checks.LIMITS["reden"])
        label = "withdraw" if row["status"] == inbox.APPROVED else "reject"
        if st.button(t(label, lang), key=prefix + "reject"):
            try:
                inbox.reject(number, moderator, reason, lang=lang, login=how)
                state[NOTICE] = ("success", t("rejected_msg", lang).format(id=number))
                st.rerun()
            except inbox.ModerationError as error:
                st.error(str(error))


def page() -> None:
    lang = session.current_language()
    st.title(t("page_moderation", lang))
    secrets = login.secrets()
    with_accounts = login.enabled()
    if not with_accounts and not inbox.moderation_enabled(secrets=secrets):
        st.info(t("moderation_off", lang))
        return
    buurten = cache.buurt_names()
    if with_accounts:
        try:
            client = form.client_key()
            account = login.logged_in(lang, users.MODERATE, client, clients.LOGIN_FAILURES, key="mod_account")
        except users.AccountError as error:
            logger.error("%s", error)
            st.error(t("users_file_broken", lang))
            return
        if account is None:
            return
        moderator, how = account.naam, account.aanmelding
        caption = t("logged_in_account", lang).format(role=account.rol)
    else:
        if not _logged_in(lang, secrets):
            return
        moderator, how, caption = st.session_state[NAME], audit.BY_SECRET, t("logged_in_as", lang)
    with st.sidebar:
        st.caption(caption)
        st.text(moderator)
        if st.button(t("log_out", lang), key="mod_logout"):
            for key in (SECRET, NAME):
                st.session_state.pop(key, None)
            login.log_out()
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        getattr(st, notice[0])(notice[1])

    gemeente_names = dict(zip(cache.gemeenten()["code"], cache.gemeenten()["naam"]))
    status = st.radio(
        t("status_filter", lang),
        inbox.STATUSES,
        horizontal=True,
        key="mod_status",
        format_func=lambda s: t(f"status_{s}", lang),
    )
    queue = inbox.read_queue(status=status, contact=True)
    if queue.empty:
        st.info(t("queue_empty", lang))
    else:
        # Contact details stay on this page: no download button on this table.
        st.html("<style>.st-key-mod-queue [data-testid='stElementToolbar'] { display: none; }</style>")
        with st.container(key="mod-queue"):
            st.dataframe(_table(queue, gemeente_names, lang), hide_index=True, width="stretch")
        names = dict(zip(queue["id"].astype(int), queue["naam"]))
        if st.session_state.get("mod_chosen") not in names:
            st.session_state["mod_chosen"] = next(iter(names))
        chosen = st.selectbox(
            t("choose_submission", lang), list(names), key="mod_chosen", format_func=lambda n: f"#{n} · {names[n]}"
        )
        _detail(inbox.get_submission(chosen), moderator, how, buurten, gemeente_names, lang)

    st.header(t("moderation_log", lang))
    log = inbox.read_log()
    log["tijd"] = [local_time(stamp, lang) for stamp in log["tijd"]]
    st.dataframe(
        log.rename(columns={"tijd": t("col_time", lang), "moderator": t("col_moderator", lang),
                            "aanmelding": t("col_login", lang), "actie": t("col_action", lang), "bijdrage_id": t("col_submission", lang),
                            "toelichting": t("col_note", lang)}),
        hide_index=True, width="stretch",
    )  # fmt: skip
