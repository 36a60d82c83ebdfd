"""Named accounts: the users file, password hashes and roles (no Streamlit).

The users file (config.users_path: WIJKMAP_USERS, else data/gebruikers.json) is JSON:
`{"versie": 1, "accounts": [{"naam", "rol", "hash", "aangemaakt"}]}`. Passwords are
kept only as argon2id hashes (argon2-cffi's PasswordHasher); a hash made with older
parameters is replaced at the next good login. Every write takes an exclusive lock on
`<file>.lock` (a second process waits) and replaces the file atomically (temp file,
fsync, os.replace), so a crash leaves the old file or the new one, never half of one;
the file is 0600.

Roles: `beheerder` may do everything, `moderator` only the contribution queue. An
identity from an OpenID Connect provider (st.login, accounts/oidc.py) gets its role from
`role_for_identity`, the one place that mapping lives, and is an Account too (not in the
file) whose `aanmelding` says so in the audit log.
"""

from __future__ import annotations

import datetime as dt
import fcntl
import hashlib
import json
import logging
import os
import re
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from wijkmap.config import (
    ACCOUNT_NAME_MAX,
    MAX_ACCOUNTS,
    PASSWORD_MAX,
    PASSWORD_MIN,
    USERS_FILE_MAX_BYTES,
    users_path,
)
from wijkmap.data.audit import BY_ACCOUNT

BEHEERDER, MODERATOR = "beheerder", "moderator"
ROLES = (BEHEERDER, MODERATOR)
# What a role may do: the contribution queue, and the beheer page (imports, edits, undo).
MODERATE, MANAGE = "moderatie", "beheer"
PERMISSIONS = {BEHEERDER: frozenset({MODERATE, MANAGE}), MODERATOR: frozenset({MODERATE})}

FILE_VERSION = 1
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]*")

log = logging.getLogger(__name__)

HASHER = PasswordHasher()  # argon2id with the library's current (RFC 9106 low-memory) parameters
# Verified when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY_HASH = HASHER.hash("wijkmap-geen-account")


class AccountError(ValueError):
    """A refused account operation; the message is Dutch and meant for the user."""


@dataclass(frozen=True)
class Account:
    naam: str
    rol: str
    aangemaakt: str
    # Changes with the password (a digest of its hash, not the hash): a session keeps it,
    # so a new password (gebruiker toevoegen --vervang) ends the sessions of the old one.
    stempel: str = field(default="", repr=False, compare=False)
    aanmelding: str = BY_ACCOUNT  # how it logged in, as the audit log names it (audit.BY_OIDC)

    def may(self, permission: str) -> bool:
        return may(self.rol, permission)


def may(role: str | None, permission: str) -> bool:
    """Whether `role` may do `permission` (MODERATE or MANAGE); no role may nothing."""
    return permission in PERMISSIONS.get(role or "", frozenset())


def role_for_identity(identity: Mapping[str, object], role_map: Mapping[str, str]) -> str | None:
    """The role of a person known to an OpenID Connect provider, or None (no access).

    The seam for st.login: `identity` holds the provider's claims (st.user), `role_map`
    maps an e-mail address or a group name (claim `groups`) to a role, as a deployment
    configures it. The strongest role that matches wins."""
    keys = [str(identity.get("email") or "").casefold()]
    groups = identity.get("groups")
    if isinstance(groups, (list, tuple)):
        keys += [str(group).casefold() for group in groups]
    mapped = {role for key, role in role_map.items() if key.casefold() in keys and key}
    return next((role for role in ROLES if role in mapped), None)


# --- checks ------------------------------------------------------------------------------


def check_name(name: str) -> str:
    name = (name or "").strip()
    if not name or len(name) > ACCOUNT_NAME_MAX or not _NAME.fullmatch(name):
        raise AccountError(
            f"Ongeldige accountnaam {name[:ACCOUNT_NAME_MAX]!r}: 1 tot {ACCOUNT_NAME_MAX} tekens, "
            "letters, cijfers en . _ - @ (beginnend met een letter of cijfer)"
        )
    return name


def check_role(role: str) -> str:
    if role not in ROLES:
        raise AccountError(f"Onbekende rol {role!r}: kies {' of '.join(ROLES)}")
    return role


def check_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"Het wachtwoord is te kort: minstens {PASSWORD_MIN} tekens")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"Het wachtwoord is te lang: hoogstens {PASSWORD_MAX} tekens")
    return password


# --- the file ----------------------------------------------------------------------------


def _path(path: Path | None) -> Path:
    return Path(path) if path else users_path()


def exists(path: Path | None = None) -> bool:
    """Whether a users file is there: then the app logs in with accounts."""
    return _path(path).is_file()


def _read_raw(path: Path) -> list[dict]:
    if not path.exists():
        return []
    if path.stat().st_size > USERS_FILE_MAX_BYTES:
        raise AccountError(f"{path} is groter dan {USERS_FILE_MAX_BYTES} bytes: geen gebruikersbestand")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        entries = data["accounts"]
        if data.get("versie") != FILE_VERSION or not isinstance(entries, list):
            raise ValueError
        return [{key: str(entry[key]) for key in ("naam", "rol", "hash", "aangemaakt")} for entry in entries]
    except (ValueError, KeyError, TypeError) as error:
        raise AccountError(f"{path} is geen geldig gebruikersbestand (versie {FILE_VERSION})") from error


def _write_raw(path: Path, entries: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps({"versie": FILE_VERSION, "accounts": entries}, ensure_ascii=False, indent=1)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=path.name + ".", suffix=".tmp")
    try:
        os.fchmod(handle, 0o600)
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(text + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def _locked(path: Path) -> Iterator[list[dict]]:
    """The accounts, to change in place; written back on success, under an exclusive lock
    that a second process waits for."""
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX)
        entries = _read_raw(path)
        yield entries
        _write_raw(path, entries)
    finally:
        os.close(descriptor)  # releases the lock


def _find(entries: Iterable[dict], name: str) -> dict | None:
    """Names are compared without case: "Anna" and "anna" are one account."""
    return next((entry for entry in entries if entry["naam"].casefold() == name.strip().casefold()), None)


def _account(entry: Mapping[str, str]) -> Account:
    stamp = hashlib.sha256(entry["hash"].encode("utf-8")).hexdigest()[:16]
    return Account(entry["naam"], entry["rol"], entry["aangemaakt"], stamp)


# --- operations ----------------------------------------------------------------------------


def list_accounts(path: Path | None = None) -> list[Account]:
    """Every account by name (never a hash)."""
    return sorted((_account(entry) for entry in _read_raw(_path(path))), key=lambda a: a.naam.casefold())


def add(
    name: str, role: str, password: str, path: Path | None = None, replace: bool = False,
    now: dt.datetime | None = None,
) -> Account:  # fmt: skip
    """Add an account (or, with `replace`, give an existing one a new role and password)."""
    name, role, password = check_name(name), check_role(role), check_password(password)
    hashed = HASHER.hash(password)  # outside the lock: it takes a while on purpose
    created = (now or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).isoformat(timespec="seconds")
    with _locked(_path(path)) as entries:
        existing = _find(entries, name)
        if existing and not replace:
            raise AccountError(f"Account {existing['naam']!r} bestaat al (vervangen: --vervang)")
        if existing:
            existing.update(rol=role, hash=hashed)
            return _account(existing)
        if len(entries) >= MAX_ACCOUNTS:
            raise AccountError(f"Er zijn al {MAX_ACCOUNTS} accounts: verwijder er eerst een")
        entry = {"naam": name, "rol": role, "hash": hashed, "aangemaakt": created}
        entries.append(entry)
        return _account(entry)


def remove(name: str, path: Path | None = None) -> Account:
    with _locked(_path(path)) as entries:
        existing = _find(entries, name)
        if existing is None:
            raise AccountError(f"Account {name.strip()[:ACCOUNT_NAME_MAX]!r} bestaat niet")
        entries.remove(existing)
        return _account(existing)


def get(name: str, path: Path | None = None) -> Account | None:
    """The account of that name now (a removed one or a changed role ends a session)."""
    entry = _find(_read_raw(_path(path)), name or "")
    return _account(entry) if entry else None


def verify(name: str, password: str, path: Path | None = None) -> Account | None:
    """The account if `password` is its password, else None (also for an unknown name,
    in about the same time). A hash with outdated parameters is rehashed and saved."""
    path = _path(path)
    entry = _find(_read_raw(path), name or "") if (name or "").strip() else None
    if not password or len(password) > PASSWORD_MAX:
        return None
    try:
        HASHER.verify(entry["hash"] if entry else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if entry is None:
        return None
    if HASHER.check_needs_rehash(entry["hash"]):
        try:
            with _locked(path) as entries:
                current = _find(entries, entry["naam"])
                if current and current["hash"] == entry["hash"]:
                    current["hash"] = HASHER.hash(password)
                    entry = current
        except OSError as error:  # a read-only users file: the login still counts
            log.warning("gebruikersbestand %s: nieuwe hash niet opgeslagen (%s)", path, error.strerror)
    return _account(entry)
