"""The login form for named accounts (Streamlit): account name, then password, and the
deployment's OpenID Connect provider where the secrets configure one (accounts/oidc.py).

A page that needs an account calls `logged_in(...)` at its top: it returns the account
while this session is logged in with one that may do `permission`, else it draws the
form and returns None. The account is looked up in the users file on every run, so
removing an account, changing its role or its password ends its sessions at once; a
provider login gets its role from the secrets' mapping on every run the same way.

Wrong logins are throttled per client address with the moderator secret's throttle
(contributions.clients.LOGIN_FAILURES, passed in as `throttle` with the client's key,
so this package stays below the features that use it): a guesser locks out only itself.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any, NoReturn, Protocol

import streamlit as st

from wijkmap.accounts import oidc, users
from wijkmap.config import ACCOUNT_NAME_MAX, LOGIN_MAX_FAILURES_ACCOUNT, PASSWORD_MAX
from wijkmap.core.i18n import t
from wijkmap.shell.text import literal

ACCOUNT, STAMP = "_account_name", "_account_stamp"
_GREETED = "_account_provider_greeted"


class Throttle(Protocol):
    """Wrong logins per client (contributions.clients.LoginFailures)."""

    def add(self, client: str, now: float) -> None: ...

    def wait(self, client: str, now: float, limit: int = ...) -> float: ...


def current(permission: str, path: Path | None = None) -> users.Account | None:
    """The account this session is logged in with, if it still exists with the same
    password and may `permission`. Reads the users file also without a session, so a
    broken one shows before the form."""
    state = st.session_state
    account = users.get(state.get(ACCOUNT) or "", path)
    if account is None or account.stempel != state.get(STAMP) or not account.may(permission):
        _forget_password_login()
        return None
    return account


def _forget_password_login() -> None:
    for key in (ACCOUNT, STAMP):
        st.session_state.pop(key, None)


def account_key(name: str) -> str:
    """The throttle's key for wrong passwords given for one account name (any client)."""
    return "account:" + (name or "").strip().casefold()


def log_out() -> NoReturn:
    """End this session's login and stop this run: with the users file (or the moderator
    secret) the page is drawn anew; with the provider Streamlit sends the browser through
    its logout, and a rerun here would make the browser miss that (so there is none)."""
    _forget_password_login()
    if oidc.identity():
        oidc.log_out()
        st.stop()
    st.rerun()


def secrets() -> Mapping[str, Any]:
    """Streamlit's secrets (.streamlit/secrets.toml), empty when there is no such file."""
    return st.secrets if st.secrets.load_if_toml_exists() else {}


def enabled(path: Path | None = None) -> bool:
    """Whether named accounts log in here: a users file, or a provider in the secrets."""
    return users.exists(path) or oidc.settings(secrets()) is not None


def _provider_login(config: oidc.Settings, lang: str, permission: str, key: str) -> users.Account | None:
    """The account of this session's provider login if its role may `permission`; else
    why not (no role, or a role that may not come here) with a button to log out, and None."""
    account = oidc.account(oidc.identity(), config)
    if account is None:
        return None
    if account.may(permission):
        return account
    if account.rol:
        st.error(t("no_permission", lang).format(role=account.rol))
    else:
        st.warning(t("oidc_no_role", lang).format(name=literal(account.naam), provider=literal(config.label)))
    if st.button(t("log_out", lang), key=f"{key}_oidc_logout"):
        log_out()
    return None


def greet_provider_login(lang: str) -> None:
    """Once per session, where a provider's login lands (Streamlit sends every login back
    to the home page): who is logged in, and a link to the page their role is for, so a
    beheerder who logged in from Beheer need not look for it."""
    config = oidc.settings(secrets())
    if not config or st.session_state.get(_GREETED):
        return
    account = oidc.account(oidc.identity(), config)
    if account is None or not account.rol:
        return
    st.session_state[_GREETED] = True
    page, title = (
        ("app_pages/beheer.py", "page_beheer")
        if account.may(users.MANAGE)
        else ("app_pages/moderatie.py", "page_moderation")
    )
    st.info(t("oidc_welcome", lang).format(name=literal(account.naam), role=account.rol))
    st.page_link(page, label=t(title, lang))


def logged_in(
    lang: str, permission: str, client: str, throttle: Throttle, path: Path | None = None, key: str = "account_login"
) -> users.Account | None:
    """The logged-in account that may `permission`, or None after drawing the login form:
    the provider's button where the secrets configure OpenID Connect, and the account
    name and password unless they say `wachtwoorden = false` (or there is no users file)."""
    account = current(permission, path)
    if account is not None:
        return account
    config = oidc.settings(secrets())
    if config and oidc.account_name(oidc.identity()):
        return _provider_login(config, lang, permission, key)
    st.header(t("account_login", lang))
    if config:
        if st.button(t("oidc_log_in", lang).format(provider=config.label), key=f"{key}_oidc", type="primary"):
            oidc.log_in(config)
        if not (config.passwords and users.exists(path)):
            return None
    now = time.time()
    wait = throttle.wait(client, now)
    if wait > 0:
        st.warning(t("login_blocked", lang).format(seconds=int(wait) + 1))
        return None
    with st.form(key):
        name = st.text_input(t("account_name", lang), max_chars=ACCOUNT_NAME_MAX, key=f"{key}_name")
        password = st.text_input(t("account_password", lang), type="password", max_chars=PASSWORD_MAX,
                                 key=f"{key}_password")  # fmt: skip
        submitted = st.form_submit_button(t("log_in", lang), type="primary")
    if not submitted:
        return None
    # Per account name too: a guesser who varies its address (a forwarded-for header that a
    # proxy passes on) still gets no more tries at one account.
    per_name = account_key(name)
    wait = throttle.wait(per_name, now, LOGIN_MAX_FAILURES_ACCOUNT)
    if wait > 0:
        st.warning(t("login_blocked", lang).format(seconds=int(wait) + 1))
        return None
    account = users.verify(name, password, path)
    if account is None:
        throttle.add(client, now)
        throttle.add(per_name, now)
        st.error(t("wrong_login", lang))
        return None
    if not account.may(permission):
        st.error(t("no_permission", lang).format(role=account.rol))
        return None
    st.session_state[ACCOUNT], st.session_state[STAMP] = account.naam, account.stempel
    st.rerun()
