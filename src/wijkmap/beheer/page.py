"""Beheer: the gemeente's own register, for a logged-in beheerder. Closed while no
account can log in (no users file, no OpenID Connect provider); a moderator's account is
refused, a visitor gets the login form."""

from __future__ import annotations

import logging

import streamlit as st

from wijkmap.accounts import login, users
from wijkmap.beheer import edit, freshness, history, notice, upload
from wijkmap.contributions import clients, form
from wijkmap.core.i18n import t
from wijkmap.shell import session

logger = logging.getLogger(__name__)
SECTIONS = {
    "beheer_upload": upload.section,
    "beheer_history": history.section,
    "beheer_edit": edit.section,
    "beheer_fresh": freshness.section,
}


def _account(lang: str) -> users.Account | None:
    """The beheerder of this session, else None after the login form or a refusal."""
    try:
        held = login.current(users.MODERATE)
        if held is not None and not held.may(users.MANAGE):
            # A moderator logged in on Moderatie stays logged in there.
            st.error(t("no_permission", lang).format(role=held.rol))
            return None
        return login.logged_in(lang, users.MANAGE, form.client_key(), clients.LOGIN_FAILURES, key="beheer_account")
    except users.AccountError as error:
        logger.error("%s", error)
        st.error(t("users_file_broken", lang))
        return None


def page() -> None:
    lang = session.current_language()
    st.title(t("page_beheer", lang))
    if not login.enabled():
        st.info(t("beheer_closed", lang))
        return
    account = _account(lang)
    if account is None:
        return
    with st.sidebar:
        st.caption(t("logged_in_account", lang).format(role=account.rol))
        st.text(account.naam)
        if st.button(t("log_out", lang), key="beheer_logout"):
            login.log_out()
    notice.show(lang)
    part = st.radio(
        t("beheer_part", lang), list(SECTIONS), horizontal=True, key="beheer_part", format_func=lambda key: t(key, lang)
    )
    SECTIONS[part](account, lang)
