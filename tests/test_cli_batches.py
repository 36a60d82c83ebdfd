"""The command line of batches: `import --batch/--sluit-ontbrekende/--account`,
`imports` and `import --ongedaan`, on the same data/batches.py the beheer page uses.

Runs wijkmap.cli.main in-process on a private copy of the small store (`store` fixture).
"""

from __future__ import annotations

from contextlib import closing

import pytest

from tests.test_cli import REGISTER, cli, digest, write
from wijkmap.data import audit, batches, store as wstore


@pytest.fixture
def store(store_url):
    """Every test here on both backends (GeoPackage and PostgreSQL)."""
    return store_url


BRON = "Register test"


def ours(store_path) -> dict[str, str]:
    return dict(wstore.read_records(store_path, bron=BRON)[["naam", "gesloten"]].itertuples(index=False))


def test_import_names_its_batch_imports_lists_it_and_undo_restores(store, tmp_path, capsys):
    before = wstore.read_records(store)
    register = write(tmp_path, "register.csv", REGISTER)

    code, out, err = cli(
        capsys, "import", str(register), "--bron", BRON, "--batch", "voorjaar-2026", "--account", "anna"
    )
    assert code == 0, err
    assert "Batch voorjaar-2026; ongedaan maken: wijkmap import --ongedaan voorjaar-2026" in out.splitlines()

    code, out, _ = cli(capsys, "imports")
    assert code == 0
    (line,) = out.splitlines()
    assert line.startswith("voorjaar-2026  20") and "  anna  register.csv  import: 3 nieuw, 0 bijgewerkt" in line

    code, out, err = cli(capsys, "import", "--ongedaan", "voorjaar-2026", "--account", "bert")
    assert code == 0, err and out.startswith("Batch voorjaar-2026 ongedaan gemaakt")
    assert wstore.read_records(store).equals(before)
    assert "[ongedaan 20" in cli(capsys, "imports")[1] and "door bert]" in cli(capsys, "imports")[1]
    with closing(wstore.connect(store)) as connection:
        lines = audit.read(connection, "batch")
    assert list(lines["actie"]) == ["ongedaan", "import"]
    assert set(lines["aanmelding"]) == {audit.BY_COMMAND_LINE}

    code, _, err = cli(capsys, "import", "--ongedaan", "voorjaar-2026")
    assert code == 1 and "al ongedaan" in err


def test_records_the_file_no_longer_has_stay_open_unless_closing_is_asked(store, tmp_path, capsys):
    assert cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)), "--bron", BRON)[0] == 0
    shorter = write(tmp_path, "r.csv", REGISTER.rsplit("Wijkteam", 1)[0])

    code, _, err = cli(capsys, "import", str(shorter), "--bron", BRON)
    assert code == 0 and "Let op: 1 open record(s) van deze bron staan niet meer in r.csv" in err
    assert ours(store)["Wijkteam Centrum"] == ""

    code, out, err = cli(capsys, "import", str(shorter), "--bron", BRON, "--sluit-ontbrekende", "2026-01-31")
    assert code == 0, err
    assert "1 record(s) die niet meer in het bestand staan, gesloten per 2026-01-31." in out and err == ""
    assert ours(store)["Wijkteam Centrum"] == "2026-01-31"


def test_the_default_account_is_the_os_user(store, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("LOGNAME", "beheer-os")
    monkeypatch.setenv("USER", "beheer-os")
    assert cli(capsys, "import", str(write(tmp_path, "r.csv", REGISTER)), "--bron", BRON)[0] == 0
    assert batches.list_batches()[0].account == "beheer-os"


def test_bad_batch_names_and_usage_are_refused_and_write_nothing(store, tmp_path, capsys):
    register = write(tmp_path, "r.csv", REGISTER)
    before = digest(store)
    code, out, err = cli(capsys, "import", str(register), "--batch", "met spatie")
    assert code == 1 and "Ongeldige batchnaam" in err and digest(store) == before
    code, _, err = cli(capsys, "import", str(register), "--sluit-ontbrekende", "31-13-2026")
    assert code == 1 and "geen geldige dag" in err and digest(store) == before
    assert cli(capsys, "import")[0] == 2
    assert cli(capsys, "import", str(register), "--ongedaan", "x")[0] == 2
    assert cli(capsys, "import", "--ongedaan", "bestaat-niet")[0] == 1
    assert cli(capsys, "imports")[1] == "Nog geen batches.\n"
