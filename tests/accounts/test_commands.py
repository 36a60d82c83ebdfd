"""`wijkmap gebruiker toevoegen|verwijderen|lijst`: Dutch messages, exit codes, no hashes shown."""

from __future__ import annotations

import io

import pytest
from argon2 import PasswordHasher

from wijkmap import cli
from wijkmap.accounts import users

PASSWORD = "lange-zin-met-koffie"


@pytest.fixture
def path(tmp_path, monkeypatch):
    path = tmp_path / "gebruikers.json"
    monkeypatch.setenv("WIJKMAP_USERS", str(path))
    monkeypatch.setattr(users, "HASHER", PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return path


def gebruiker(monkeypatch, capsys, *arguments: str, stdin: str = "") -> tuple[int, str, str]:
    monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
    try:
        status = cli.main(["gebruiker", *arguments])
    except SystemExit as error:
        status = error.code
    output = capsys.readouterr()
    return status, output.out, output.err


def test_add_list_and_remove(path, monkeypatch, capsys):
    status, out, _ = gebruiker(monkeypatch, capsys, "toevoegen", "anna", "--rol", "beheerder", "--wachtwoord-stdin",
                               stdin=PASSWORD + "\n")  # fmt: skip
    assert status == 0 and out == f"Account anna (beheerder) opgeslagen in {path}.\n"
    assert users.verify("anna", PASSWORD, path).rol == "beheerder"  # the line ending is not part of it
    gebruiker(monkeypatch, capsys, "toevoegen", "piet", "--rol", "moderator", "--wachtwoord-stdin",
              stdin=PASSWORD + "2\r\n")  # fmt: skip
    assert users.verify("piet", PASSWORD + "2", path) is not None

    status, out, _ = gebruiker(monkeypatch, capsys, "lijst")
    lines = out.splitlines()
    assert status == 0 and [line.split()[:2] for line in lines] == [["anna", "beheerder"], ["piet", "moderator"]]
    assert "aangemaakt 20" in lines[0] and "argon2" not in out

    status, out, _ = gebruiker(monkeypatch, capsys, "verwijderen", "piet")
    assert status == 0 and out.startswith("Account piet (moderator) verwijderd")
    assert [a.naam for a in users.list_accounts(path)] == ["anna"]


def test_refusals_exit_1_with_a_dutch_message_and_write_nothing(path, monkeypatch, capsys):
    add = ("toevoegen", "anna", "--rol", "moderator", "--wachtwoord-stdin")
    status, _, err = gebruiker(monkeypatch, capsys, *add, stdin="kort\n")
    assert status == 1 and err == "Fout: Het wachtwoord is te kort: minstens 12 tekens\n"
    assert not path.exists()
    gebruiker(monkeypatch, capsys, *add, stdin=PASSWORD)
    status, _, err = gebruiker(monkeypatch, capsys, *add, stdin="een-ander-wachtwoord")
    assert status == 1 and "bestaat al (vervangen: --vervang)" in err
    status, _, _ = gebruiker(monkeypatch, capsys, *add, "--vervang", stdin="een-ander-wachtwoord")
    assert status == 0 and users.verify("anna", "een-ander-wachtwoord", path) is not None
    status, _, err = gebruiker(monkeypatch, capsys, "verwijderen", "bob")
    assert status == 1 and err == "Fout: Account 'bob' bestaat niet\n"
    status, _, err = gebruiker(monkeypatch, capsys, "toevoegen", "anna de vries", "--rol", "moderator",
                               "--wachtwoord-stdin", stdin=PASSWORD)  # fmt: skip
    assert status == 1 and "Ongeldige accountnaam" in err


def test_without_stdin_flag_and_no_terminal_it_asks_for_the_flag(path, monkeypatch, capsys):
    status, _, err = gebruiker(monkeypatch, capsys, "toevoegen", "anna", "--rol", "moderator", stdin=PASSWORD)
    assert status == 1 and "--wachtwoord-stdin" in err and not path.exists()


def test_usage_errors_exit_2(path, monkeypatch, capsys):
    status, _, err = gebruiker(monkeypatch, capsys, "toevoegen", "anna", "--rol", "baas", "--wachtwoord-stdin")
    assert status == 2 and "ongeldige keuze 'baas'" in err
    status, _, _ = gebruiker(monkeypatch, capsys)
    assert status == 2


def test_an_empty_list_says_so(path, monkeypatch, capsys):
    assert gebruiker(monkeypatch, capsys, "lijst")[:2] == (0, f"Geen accounts in {path}.\n")
