"""The users file: add, list, remove, replace, verify, rehash; atomic, locked writes."""

from __future__ import annotations

import fcntl
import json
import os
import stat
import subprocess
import sys
import time

import pytest
from argon2 import PasswordHasher

from wijkmap.accounts import users
from wijkmap.config import ACCOUNT_NAME_MAX, PASSWORD_MIN, REPO_ROOT

PASSWORD = "lange-zin-met-koffie"


@pytest.fixture
def path(tmp_path):
    return tmp_path / "gebruikers.json"


@pytest.fixture(autouse=True)
def quick_hashes(monkeypatch):
    """Cheap argon2 parameters: the tests hash a lot on a shared machine."""
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))


def test_an_account_round_trips_and_is_listed_without_its_hash(path):
    users.add("anna", users.BEHEERDER, PASSWORD, path)
    users.add("Piet.de-Vries@utrecht.nl", users.MODERATOR, PASSWORD + "2", path)
    assert [(a.naam, a.rol) for a in users.list_accounts(path)] == [
        ("anna", "beheerder"), ("Piet.de-Vries@utrecht.nl", "moderator"),
    ]  # fmt: skip
    assert users.verify("anna", PASSWORD, path).rol == users.BEHEERDER
    assert users.verify("ANNA", PASSWORD, path).naam == "anna"  # names without case
    assert users.verify("piet.de-vries@utrecht.nl", PASSWORD + "2", path).rol == users.MODERATOR
    text = path.read_text(encoding="utf-8")
    assert PASSWORD not in text and "$argon2id$" in text
    assert not any("hash" in vars(account) for account in users.list_accounts(path))
    assert stat.S_IMODE(path.stat().st_mode) == 0o600


def test_a_wrong_password_or_an_unknown_name_gives_no_account(path):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    assert users.verify("anna", PASSWORD + "x", path) is None
    assert users.verify("anna", "", path) is None
    assert users.verify("bob", PASSWORD, path) is None
    assert users.verify("", PASSWORD, path) is None


def test_an_existing_name_is_refused_unless_replaced(path):
    first = users.add("anna", users.MODERATOR, PASSWORD, path)
    with pytest.raises(users.AccountError, match="bestaat al"):
        users.add("Anna", users.BEHEERDER, "een-ander-wachtwoord", path)
    assert users.verify("anna", PASSWORD, path).rol == users.MODERATOR
    replaced = users.add("Anna", users.BEHEERDER, "een-ander-wachtwoord", path, replace=True)
    assert (replaced.naam, replaced.rol, replaced.aangemaakt) == ("anna", users.BEHEERDER, first.aangemaakt)
    assert users.verify("anna", PASSWORD, path) is None
    assert users.verify("anna", "een-ander-wachtwoord", path).rol == users.BEHEERDER
    assert len(users.list_accounts(path)) == 1


def test_remove_takes_an_account_out_and_refuses_an_unknown_one(path):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    users.add("bob", users.MODERATOR, PASSWORD, path)
    assert users.remove("ANNA", path).naam == "anna"
    assert [a.naam for a in users.list_accounts(path)] == ["bob"]
    assert users.verify("anna", PASSWORD, path) is None and users.get("anna", path) is None
    with pytest.raises(users.AccountError, match="bestaat niet"):
        users.remove("anna", path)


@pytest.mark.parametrize(
    "name, role, password, message",
    [
        ("", users.MODERATOR, PASSWORD, "Ongeldige accountnaam"),
        ("a" * (ACCOUNT_NAME_MAX + 1), users.MODERATOR, PASSWORD, "Ongeldige accountnaam"),
        ("anna de vries", users.MODERATOR, PASSWORD, "Ongeldige accountnaam"),
        ("<b>anna</b>", users.MODERATOR, PASSWORD, "Ongeldige accountnaam"),
        ("-anna", users.MODERATOR, PASSWORD, "Ongeldige accountnaam"),
        ("anna", "baas", PASSWORD, "Onbekende rol"),
        ("anna", users.MODERATOR, "x" * (PASSWORD_MIN - 1), "te kort"),
    ],
)
def test_bad_names_roles_and_short_passwords_are_refused_and_nothing_is_written(path, name, role, password, message):
    with pytest.raises(users.AccountError, match=message):
        users.add(name, role, password, path)
    assert not path.exists()


def test_the_number_of_accounts_is_limited(path, monkeypatch):
    monkeypatch.setattr(users, "MAX_ACCOUNTS", 2)
    users.add("a1", users.MODERATOR, PASSWORD, path)
    users.add("a2", users.MODERATOR, PASSWORD, path)
    with pytest.raises(users.AccountError, match="al 2 accounts"):
        users.add("a3", users.MODERATOR, PASSWORD, path)
    users.add("a2", users.BEHEERDER, PASSWORD, path, replace=True)  # replacing adds none


def test_a_hash_with_old_parameters_is_rehashed_at_the_next_good_login(path, monkeypatch):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    old = json.loads(path.read_text())["accounts"][0]["hash"]
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))
    assert users.verify("anna", PASSWORD + "x", path) is None
    assert json.loads(path.read_text())["accounts"][0]["hash"] == old  # not on a wrong password
    assert users.verify("anna", PASSWORD, path).naam == "anna"
    new = json.loads(path.read_text())["accounts"][0]["hash"]
    assert new != old and "m=2048,t=2,p=1" in new
    assert users.verify("anna", PASSWORD, path) is not None


def test_a_crash_while_writing_leaves_the_old_file_and_no_temporary(path, monkeypatch):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    before = path.read_bytes()

    def crash(*args):
        raise OSError(28, "No space left on device")

    for target in ("replace", "fsync"):
        with monkeypatch.context() as patch:
            patch.setattr(users.os, target, crash)
            with pytest.raises(OSError):
                users.add("bob", users.MODERATOR, PASSWORD, path)
        assert path.read_bytes() == before
        assert sorted(p.name for p in path.parent.iterdir()) == ["gebruikers.json", "gebruikers.json.lock"]
    assert [a.naam for a in users.list_accounts(path)] == ["anna"]


def test_a_broken_users_file_is_refused_in_dutch(path):
    path.write_text("{niet: json", encoding="utf-8")
    with pytest.raises(users.AccountError, match="geen geldig gebruikersbestand"):
        users.list_accounts(path)
    with pytest.raises(users.AccountError):
        users.add("anna", users.MODERATOR, PASSWORD, path)
    assert path.read_text(encoding="utf-8") == "{niet: json"


ADD_IN_CHILD = """
import sys
from argon2 import PasswordHasher
from wijkmap.accounts import users
users.HASHER = PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1)
for number in range(int(sys.argv[3])):
    users.add(f"{sys.argv[2]}{number}", users.MODERATOR, "lange-zin-met-koffie", sys.argv[1])
"""


def _child(path, prefix: str, count: int) -> subprocess.Popen:
    environment = {**os.environ, "PYTHONPATH": str(REPO_ROOT / "src")}
    return subprocess.Popen([sys.executable, "-c", ADD_IN_CHILD, str(path), prefix, str(count)], env=environment)


def test_a_second_process_waits_for_the_lock(path):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    with open(path.with_name(path.name + ".lock"), "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        child = _child(path, "kind", 1)
        time.sleep(2.0)
        assert child.poll() is None  # waiting, not writing past the lock
        assert [a.naam for a in users.list_accounts(path)] == ["anna"]
    assert child.wait(timeout=60) == 0
    assert [a.naam for a in users.list_accounts(path)] == ["anna", "kind0"]


def test_two_processes_adding_at_once_lose_no_account(path):
    children = [_child(path, prefix, 8) for prefix in ("a", "b")]
    assert [child.wait(timeout=120) for child in children] == [0, 0]
    assert sorted(a.naam for a in users.list_accounts(path)) == sorted(f"{p}{n}" for p in "ab" for n in range(8))


def test_roles_and_what_they_may_do():
    assert users.may(users.BEHEERDER, users.MANAGE) and users.may(users.BEHEERDER, users.MODERATE)
    assert users.may(users.MODERATOR, users.MODERATE) and not users.may(users.MODERATOR, users.MANAGE)
    assert not users.may(None, users.MODERATE) and not users.may("bezoeker", users.MODERATE)


def test_an_openid_identity_is_mapped_to_its_strongest_role():
    role_map = {"anna@utrecht.nl": users.MODERATOR, "sociale-kaart-beheer": users.BEHEERDER}
    assert users.role_for_identity({"email": "Anna@Utrecht.nl"}, role_map) == users.MODERATOR
    both = {"email": "anna@utrecht.nl", "groups": ["sociale-kaart-beheer"]}
    assert users.role_for_identity(both, role_map) == users.BEHEERDER
    assert users.role_for_identity({"email": "bob@utrecht.nl", "groups": ["anders"]}, role_map) is None
    assert users.role_for_identity({}, {"": users.BEHEERDER}) is None


def test_a_rehash_that_cannot_be_saved_still_logs_in(path, monkeypatch):
    users.add("anna", users.MODERATOR, PASSWORD, path)
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=2, memory_cost=2048, parallelism=1))

    def read_only(*args):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(users, "_write_raw", read_only)
    assert users.verify("anna", PASSWORD, path).naam == "anna"


def test_the_stamp_changes_with_the_password_only(path):
    first = users.add("anna", users.MODERATOR, PASSWORD, path)
    assert users.get("anna", path).stempel == first.stempel != ""
    assert users.add("anna", users.BEHEERDER, PASSWORD + "x", path, replace=True).stempel != first.stempel
