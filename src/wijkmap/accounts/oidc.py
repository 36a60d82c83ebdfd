"""Logging in with an OpenID Connect provider (Streamlit's st.login), mapped to roles.

A deployment turns it on in Streamlit's secrets (.streamlit/secrets.toml): Streamlit's
own `[auth]` section names the provider (redirect_uri, cookie_secret, client_id,
client_secret, server_metadata_url; or those of a named provider in `[auth.NAAM]`), and
wijkmap's sections say how it is offered and who gets which role:

    [wijkmap.oidc]
    provider = "entra"        # the [auth.entra] section; left out: [auth] itself, or its only provider
    naam = "Entra ID"         # on the button: "Inloggen met Entra ID"
    wachtwoorden = true       # also the users-file form (when that file exists); false: only the provider

    [wijkmap.rollen]          # an e-mail address or a group (claim "groups") -> beheerder | moderator
    "anna@gemeente.nl" = "beheerder"
    "sociale-kaart-moderatoren" = "moderator"

The role is worked out from the provider's claims (st.user) on every run with
users.role_for_identity, so a changed mapping applies at the next click after Streamlit
reads the secrets again. A person the mapping does not name is logged in at the
provider but has no role here: the login form says so and offers to log out.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import streamlit as st

from wijkmap.accounts import users
from wijkmap.data import audit

DEFAULT_PROVIDER = "default"  # Streamlit's name for the provider configured in [auth] itself
# What Streamlit's [auth] section holds besides providers.
_SHARED_AUTH_KEYS = frozenset({"redirect_uri", "cookie_secret", "expose_tokens"})

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Settings:
    """How a deployment offers OpenID Connect (see the module docstring)."""

    provider: str  # the name st.login takes
    label: str  # shown as "Inloggen met <label>"
    passwords: bool  # whether the users-file form is offered as well
    roles: Mapping[str, str]  # e-mail address or group -> role


def _section(mapping: Mapping[str, Any], key: str) -> Mapping[str, Any]:
    value = mapping.get(key) if isinstance(mapping, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _provider(auth: Mapping[str, Any], wanted: str) -> str | None:
    """The provider to log in with: the one named in [wijkmap.oidc], else [auth] itself
    when it holds a client_id, else its only named provider section."""
    named = [key for key, value in auth.items() if isinstance(value, Mapping) and key not in _SHARED_AUTH_KEYS]
    if wanted:
        return wanted if wanted in named or (wanted == DEFAULT_PROVIDER and "client_id" in auth) else None
    if "client_id" in auth:
        return DEFAULT_PROVIDER
    return named[0] if len(named) == 1 else None


def settings(secrets: Mapping[str, Any]) -> Settings | None:
    """The OpenID Connect settings of this deployment, or None when it has none (no
    [auth] section with redirect_uri, cookie_secret and a provider). A role that is not
    one of users.ROLES is left out (and logged), so a typo gives no access."""
    auth = _section(secrets, "auth")
    if not auth or not auth.get("redirect_uri") or not auth.get("cookie_secret"):
        return None
    wijkmap = _section(secrets, "wijkmap")
    options = _section(wijkmap, "oidc")
    provider = _provider(auth, str(options.get("provider") or "").strip())
    if provider is None:
        log.warning("[auth] in de secrets noemt geen (of niet precies één) provider: geen OpenID Connect")
        return None
    roles = {}
    for key, role in _section(wijkmap, "rollen").items():
        if role in users.ROLES and str(key).strip():
            roles[str(key).strip()] = role
        else:
            log.warning("[wijkmap.rollen]: %r = %r overgeslagen (rol is %s)", key, role, " of ".join(users.ROLES))
    label = str(options.get("naam") or "").strip() or (provider if provider != DEFAULT_PROVIDER else "OpenID Connect")
    return Settings(provider, label, bool(options.get("wachtwoorden", True)), roles)


def _verified_email(identity: Mapping[str, Any]) -> str:
    """The identity's e-mail address, unless the provider says it is not verified (then
    anyone could have typed it, and it must neither name nor map the person)."""
    email = str(identity.get("email") or "").strip()
    return "" if identity.get("email_verified") is False else email


def account_name(identity: Mapping[str, Any]) -> str:
    """What the audit log calls the person: the e-mail address, else the subject (sub)."""
    return _verified_email(identity) or str(identity.get("sub") or "").strip()


def account(identity: Mapping[str, Any], config: Settings) -> users.Account | None:
    """The account of a person the provider logged in, with the mapped role (rol "" when
    the mapping names them nowhere), or None for no identity."""
    name = account_name(identity)
    if not name:
        return None
    claims = {**identity, "email": _verified_email(identity)}
    role = users.role_for_identity(claims, config.roles) or ""
    return users.Account(name, role, "", aanmelding=audit.BY_OIDC)


def identity() -> Mapping[str, Any]:
    """The provider's claims of this session's person (st.user), empty when nobody is
    logged in with the provider."""
    user = st.user
    return user.to_dict() if user.get("is_logged_in") else {}


def log_in(config: Settings) -> None:
    """Send the browser to the provider (it comes back to the app's home page)."""
    st.login(config.provider)


def log_out() -> None:
    """End the provider login of this session (Streamlit drops its cookie and sends the
    browser to the provider's end-session page when it has one)."""
    if st.user.get("is_logged_in"):
        st.logout()
