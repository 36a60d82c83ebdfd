"""The `wijkmap` command (also `python -m wijkmap`): serve, build-data, import, export and rapport.

Messages are Dutch: the people who run an import are civil servants, not developers.
Exit status 0 means done, 1 means the input was refused (nothing written), 2 is usage.
What the commands do along the way is logged (logger "wijkmap"): only warnings by
default, every step with -v.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import shlex
import sqlite3
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn

from wijkmap import __version__
from wijkmap.config import BATCH_ID_MAX, CBS_ROOT, DEFAULT_STORE, REPO_ROOT, SOURCES_DIR, STORE_ENV
from wijkmap.core import indeling, vocabulary as vocab
from wijkmap.data import store
from wijkmap.data.backend import is_postgres, mask_in, masked, unreachable_errors

log = logging.getLogger(__name__)

PROG = "wijkmap"
APP_SCRIPT = "app.py"


# --- serve -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Launch:
    """How `serve` starts Streamlit: the command, the folder it runs in, its environment."""

    command: list[str]
    cwd: Path
    env: dict[str, str]


class AppMissing(Exception):
    """The app (app.py and app_pages/) is not next to the package: an install without the repository."""


def serve_launch(
    streamlit_args: Sequence[str], environ: Mapping[str, str] | None = None, root: Path | None = None
) -> Launch:
    """The Streamlit command for the app in `root` (the repository), run from `root`.

    From there Streamlit reads .streamlit/config.toml (static files, no telemetry) and
    .streamlit/secrets.toml. A relative WIJKMAP_STORE was meant from where the command
    was typed, so it is made absolute first."""
    root = REPO_ROOT if root is None else root
    app = root / APP_SCRIPT
    if not app.is_file():
        raise AppMissing(
            f"De app ({app}) is niet gevonden. `wijkmap serve` start de app uit een kloon van de repository"
            " (app.py en app_pages/ staan daar, niet in het pakket): installeer in die kloon met"
            " `pip install -r requirements.txt` (of `pip install -e .`), of start met `bash scripts/start`."
        )
    env = dict(os.environ if environ is None else environ)
    if env.get(STORE_ENV) and not is_postgres(env[STORE_ENV]) and not Path(env[STORE_ENV]).is_absolute():
        env[STORE_ENV] = str(Path(env[STORE_ENV]).resolve())
    command = [sys.executable, "-m", "wijkmap.server", str(app), *streamlit_args]
    return Launch(command=command, cwd=root, env=env)


def _start(launch: Launch) -> int:
    """Hand over to Streamlit: on POSIX this process becomes it (signals reach it directly)."""
    if os.name == "posix":
        sys.stdout.flush()
        sys.stderr.flush()
        os.chdir(launch.cwd)
        os.execve(launch.command[0], launch.command, launch.env)
    return subprocess.call(launch.command, cwd=launch.cwd, env=launch.env)


def _serve(args: argparse.Namespace) -> int:
    try:
        launch = serve_launch(args.streamlit_args)
    except AppMissing as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    path = store.store_location(launch.env.get(STORE_ENV) or None)
    if not store.exists(path):
        print(
            f"Let op: er is nog geen gegevensbestand op {masked(path)}. Maak het met: wijkmap build-data",
            file=sys.stderr,
        )
    log.info("streamlit starten in %s: %s", launch.cwd, shlex.join(launch.command))
    return _start(launch)


# --- build-data, import, export ------------------------------------------------------------


def _build(args: argparse.Namespace) -> int:
    from wijkmap.data.build import build_store

    path = store.store_location()
    if args.if_missing and store.exists(path):
        print(f"Gegevensbestand bestaat al: {masked(path)}")
        return 0
    started = time.perf_counter()
    try:
        summary = build_store(path, gemeenten=args.gemeente or None)
    except sqlite3.OperationalError as error:  # the store stayed busy: the old file is kept
        print(f"Fout: {path} is niet vervangen: {error}. Het gegevensbestand is ongewijzigd.", file=sys.stderr)
        return 1
    print(f"Gegevensbestand gebouwd in {time.perf_counter() - started:.1f} s: {masked(summary.path)}")
    for layer, count in summary.areas.items():
        print(f"  {layer}: {count} gebieden")
    print(f"  statistiek: {summary.statistics} waarden, {summary.indicators} indicatoren")
    for bron, count in summary.records.items():
        print(f"  voorzieningen, bron {bron}: {count}")
    if summary.carried_over:
        print(f"  (waarvan {summary.carried_over} overgenomen uit eerdere imports en bijdragen)")
    from wijkmap.data import tiles

    started = time.perf_counter()
    # Older tiles go only with the default store's: other stores (tests, demos) may still use theirs.
    written = tiles.write_all(path, prune=path == DEFAULT_STORE)
    print(f"Tegels van de landelijke kaart in {time.perf_counter() - started:.1f} s ({tiles.TILES_DIR}):")
    for layer, file in written.items():
        print(f"  {layer}: {file.name}, {file.stat().st_size / 1e6:.1f} MB")
    if path == DEFAULT_STORE:  # the outlines the app served of the old store; it writes them again
        from wijkmap.map import served

        served.prune()
    return 0


def _account(given: str | None) -> str:
    """--account, else the OS user the command runs as (what the audit log names)."""
    import getpass

    if given:
        return given
    try:
        return getpass.getuser()
    except (OSError, KeyError):  # no user name in the environment nor the password database
        return "onbekend"


def _batch_line(batch) -> str:
    """One batch of `wijkmap imports`: id, date, account, file, kind and counts."""
    counts = f"{batch.nieuw} nieuw, {batch.bijgewerkt} bijgewerkt, {batch.ongewijzigd} ongewijzigd, {batch.gesloten} gesloten"
    undone = f"  [ongedaan {batch.ongedaan[:10]} door {batch.ongedaan_door}]" if batch.ongedaan else ""
    return f"{batch.id}  {batch.tijd[:10]} {batch.tijd[11:16]}  {batch.account}  {batch.bestand or '-'}  {batch.soort}: {counts}{undone}"


def _imports(args: argparse.Namespace) -> int:
    from wijkmap.data import batches

    try:
        listed = batches.list_batches()
    except store.StoreMissing as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    print("\n".join(_batch_line(batch) for batch in listed) if listed else "Nog geen batches.")
    return 0


def _undo(args: argparse.Namespace) -> int:
    from wijkmap.data import audit, batches

    if args.file:
        print("Fout: --ongedaan neemt geen BESTAND; geef alleen de batch.", file=sys.stderr)
        return 2
    try:
        batch = batches.undo(args.ongedaan, account=_account(args.account), login=audit.BY_COMMAND_LINE)
    except (batches.BatchError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    print(
        f"Batch {batch.id} ongedaan gemaakt: de records zijn weer zoals vóór {batch.tijd[:16].replace('T', ' ')} UTC."
    )
    return 0


def _import(args: argparse.Namespace) -> int:
    from wijkmap.data import audit, batches, placement
    from wijkmap.data.sources.register import RegisterError, read_register

    if args.ongedaan:
        return _undo(args)
    if not args.file:
        print("Fout: geef een BESTAND om te importeren, of --ongedaan BATCH.", file=sys.stderr)
        return 2
    path = Path(args.file)
    try:
        buurten = placement.buurten()
        stored = store.read_records()
        id_owners = dict(zip(stored["id"], stored["bron"]))
        result = read_register(path, buurten, bron=args.bron, id_owners=id_owners)
    except (RegisterError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    for warning in result.warnings:
        print(f"Let op: {warning}", file=sys.stderr)
    if result.problems:
        for problem in result.problems:
            print(problem, file=sys.stderr)
        print(
            f"{len(result.problems)} fout(en) in {path.name}; er is niets geïmporteerd.",
            file=sys.stderr,
        )
        return 1
    records = result.records
    plan = batches.plan_import(records)
    counts = f"{len(plan.new)} nieuw, {len(plan.updated)} bijgewerkt, {len(plan.unchanged)} ongewijzigd"
    if args.dry_run:
        print(f"Proefimport: {len(records)} records zijn in orde ({counts}); er is niets opgeslagen.")
    else:
        try:
            batch = batches.import_batch(
                records, bestand=path.name, account=_account(args.account), batch_id=args.batch,
                close_missing=args.sluit_ontbrekende, login=audit.BY_COMMAND_LINE,
            )  # fmt: skip
        except batches.BatchError as error:
            print(f"Fout: {error}", file=sys.stderr)
            return 1
        print(
            f"Geïmporteerd uit {path.name}: {batch.nieuw} nieuw, {batch.bijgewerkt} bijgewerkt, {batch.ongewijzigd} ongewijzigd."
        )
        if batch.gesloten:
            print(
                f"{batch.gesloten} record(s) die niet meer in het bestand staan, gesloten per {args.sluit_ontbrekende}."
            )
        print(f"Batch {batch.id}; ongedaan maken: wijkmap import --ongedaan {batch.id}")
    if len(plan.missing) and not (args.sluit_ontbrekende and not args.dry_run):
        print(
            f"Let op: {len(plan.missing)} open record(s) van deze bron staan niet meer in {path.name}; ze blijven"
            " open. Sluit ze met --sluit-ontbrekende JJJJ-MM-DD.",
            file=sys.stderr,
        )
    print("Per soort:")
    for code, count in records["soort"].value_counts().sort_index().items():
        print(f"  {vocab.label('soort', code)}: {count}")
    print("Per gemeente:")
    for code, count in records["gemeentecode"].value_counts().sort_index().items():
        print(f"  {code}: {count}")
    return 0


def _sjabloon(args: argparse.Namespace) -> int:
    from wijkmap.data.sources.register.template import template_csv, template_xlsx

    out = Path(args.out)
    if out.suffix.casefold() not in (".xlsx", ".csv"):
        print(f"Fout: {out.name}: geef het sjabloon de extensie .xlsx of .csv", file=sys.stderr)
        return 1
    out.write_bytes(template_xlsx() if out.suffix.casefold() == ".xlsx" else template_csv())
    print(f"Registersjabloon geschreven: {out}")
    return 0


def _import_osm(args: argparse.Namespace) -> int:
    from wijkmap.data.sources.osm import OsmError, import_osm, report

    started = time.perf_counter()
    try:
        summary = import_osm(Path(args.file), gemeenten=args.gemeente)
    except (OsmError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    for warning in summary.warnings:
        print(f"Let op: {warning}", file=sys.stderr)
    print("\n".join(report(summary, seconds=time.perf_counter() - started)))
    return 0


def _export(args: argparse.Namespace) -> int:
    from wijkmap.data import placement
    from wijkmap.data.export import export_records, filter_records

    try:
        records = placement.complete(store.read_records())
    except store.StoreMissing as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    unknown = [code for code in args.soort or [] if code not in vocab.SOORTEN]
    if unknown:
        print(f"Fout: onbekende soort {', '.join(unknown)}", file=sys.stderr)
        return 2
    if args.format == "hsds":
        return _export_hsds(args, records)
    selected = filter_records(records, gemeentecode=args.gemeente, soorten=args.soort, bron=args.bron)
    Path(args.out).write_bytes(export_records(selected, args.format))
    log.info("export: %d van %d records als %s naar %s", len(selected), len(records), args.format, args.out)
    print(f"{len(selected)} records geschreven naar {args.out} ({args.format}).")
    return 0


def _export_hsds(args: argparse.Namespace, records) -> int:
    """The HSDS 3 tables into the folder args.out; the fictional sample only when asked."""
    from wijkmap.data.export import filter_records
    from wijkmap.data.export_hsds import hsds_files

    folder = Path(args.out)
    if folder.exists() and not folder.is_dir():
        print(f"Fout: {folder} is een bestand; HSDS schrijft een map met CSV-bestanden", file=sys.stderr)
        return 1
    matching = filter_records(records, gemeentecode=args.gemeente, soorten=args.soort, bron=args.bron)
    selected = matching if args.met_voorbeeld else filter_records(matching, include_sample=False)
    folder.mkdir(parents=True, exist_ok=True)
    files = hsds_files(selected)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    log.info("export: %d van %d records als hsds naar %s", len(selected), len(records), folder)
    print(f"{len(selected)} records geschreven naar {folder} (hsds: {len(files)} tabellen, {', '.join(files)}).")
    if len(matching) > len(selected):
        left_out = len(matching) - len(selected)
        print(
            f"Let op: {left_out} fictieve voorbeeldrecords weggelaten (--met-voorbeeld neemt ze gemarkeerd mee).",
            file=sys.stderr,
        )
    return 0


def _write_out(out: str, data: bytes) -> bool:
    """Write a command's file; False (and the reason on stderr) when it cannot be written."""
    try:
        Path(out).write_bytes(data)
    except OSError as error:
        print(f"Fout: {out} kan niet geschreven worden: {error.strerror}", file=sys.stderr)
        return False
    return True


def _export_gebieden(args: argparse.Namespace) -> int:
    from wijkmap.data.export_areas import AreaExportError, export_from_store

    try:
        data, count = export_from_store(args.niveau, args.jaar, args.format, args.gemeente, args.indicator)
    except (AreaExportError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    if not _write_out(args.out, data):
        return 1
    print(f"{count} gebieden ({args.niveau}, {args.jaar}) geschreven naar {args.out} ({args.format}).")
    return 0


def _rapport(args: argparse.Namespace) -> int:
    from wijkmap.council.report import ReportError, build_report

    started = time.perf_counter()
    try:
        data = build_report([args.gebied, *args.vergelijk], jaar=args.jaar, lang=args.taal)
    except (ReportError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    if not _write_out(args.out, data):
        return 1
    seconds = time.perf_counter() - started
    print(f"Rapport over {args.gebied.upper()} geschreven naar {args.out} ({len(data) // 1024} kB, {seconds:.1f} s).")
    return 0


def _gemeente_codes(values: Sequence[str] | None) -> list[str] | None:
    """GM0150 from GM0150, gm0150 or 0150; None for none given. Raises ValueError on others."""
    codes = []
    for value in values or []:
        code = indeling.typed_gemeentecode(value)
        if code is None:
            raise ValueError(f"--gemeente {value}: geen gemeentecode (GM + 4 cijfers, bv. GM0150)")
        codes.append(code)
    return codes or None


def _gebieden(args: argparse.Namespace, fetch: bool) -> int:
    from wijkmap.data import build
    from wijkmap.data.sources import gebieden

    path = store.store_location()
    sources_dir = Path(args.bronnen)
    try:
        gemeenten = _gemeente_codes(args.gemeente)
    except ValueError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 2

    def rebuild() -> None:  # a store of some gemeenten stays that small, with the ones named added
        build.rebuild(path, sources_dir, also=gemeenten or ())

    started = time.perf_counter()
    try:
        if fetch:
            bboxes = gebieden.gemeente_bboxes(gemeenten, path) if gemeenten else None
            summary = gebieden.fetch_gebieden(
                args.jaar, sources_dir, rebuild, gemeenten=gemeenten, base=args.url, bboxes=bboxes
            )
            origin = gebieden.pdok_url(args.jaar, args.url)
        else:
            summary = gebieden.import_gebieden(args.files, args.jaar, sources_dir, rebuild, gemeenten=gemeenten)
            origin = ", ".join(Path(file).name for file in args.files)
    except (gebieden.GebiedenError, store.StoreMissing) as error:
        print(f"Fout: {error}. Er is niets gewijzigd.", file=sys.stderr)
        return 1
    except sqlite3.OperationalError as error:  # the store stayed busy: files and store are as they were
        print(f"Fout: {path} is niet vervangen: {error}. Er is niets gewijzigd.", file=sys.stderr)
        return 1
    print(f"Gebieden {args.jaar} geïmporteerd uit {origin} in {time.perf_counter() - started:.1f} s:")
    for level in summary.levels:
        print(
            f"  {level.name}: {level.areas} gebieden in {level.gemeenten} gemeente(n); "
            f"{level.water} gebied(en) met water of buitenland apart gehouden; {level.repaired} geometrie(ën) hersteld; "
            f"de laag heeft nu {level.total_areas} gebieden in {level.total_gemeenten} gemeente(n)"
        )
    print(f"Bewaard in {sources_dir / gebieden.GEBIEDEN_DIR}; gegevensbestand opnieuw gebouwd: {masked(path)}")
    return 0


def _import_gebieden(args: argparse.Namespace) -> int:
    return _gebieden(args, fetch=False)


def _fetch_gebieden(args: argparse.Namespace) -> int:
    return _gebieden(args, fetch=True)


def _store_copy(args: argparse.Namespace) -> int:
    from wijkmap.data.copy import CopyError, copy_store

    source, target = masked(args.source), masked(args.target)
    started = time.perf_counter()
    try:
        summary = copy_store(args.source, args.target, replace=args.vervang)
    except (CopyError, store.StoreMissing) as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    print(f"Gekopieerd van {source} naar {target} in {time.perf_counter() - started:.1f} s; gecontroleerd:")
    for name, (rows, digest) in summary.tables.items():
        print(f"  {name}: {rows} rijen, inhoud {digest} (gelijk)")
    return 0


def _fetch_cbs(args: argparse.Namespace) -> int:
    from wijkmap.data.sources.cbs.fetch import FetchError, fetch_cbs

    try:
        result = fetch_cbs(args.tabel, gemeenten=args.gemeente or (), root=args.url)
    except FetchError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    plural = {"gemeente": "gemeenten", "wijk": "wijken", "buurt": "buurten"}
    levels = ", ".join(
        f"{count} {niveau if count == 1 else plural[niveau]}" for niveau, count in result.levels.items() if count
    )
    print(f"Opgehaald: {result.bron}, jaar {result.jaar}: {result.fetched} gebieden ({levels}).")
    print(f"  {result.added} nieuw, {result.replaced} bijgewerkt; nu {result.total} gebieden in {result.directory}.")
    print(f"  Als indicator van wijkmap: {', '.join(result.mapped) or 'geen'}.")
    print(f"  Eigen CBS-variabelen (cbs_...): {len(result.extra)}; de lege komen niet in de catalogus.")
    for code in result.missing_gemeenten:
        print(f"Let op: CBS gaf niets voor {code} in {result.tabel}.", file=sys.stderr)
    print(f"Gegevensbestand herbouwd: {masked(store.store_location())}")
    return 0


# --- gebruiker: named accounts (README "Accounts") --------------------------------------------

GEBRUIKER_EXAMPLES = """\
voorbeelden:
  printf '%s\\n' "$WACHTWOORD" | wijkmap gebruiker toevoegen anna --rol beheerder --wachtwoord-stdin
  wijkmap gebruiker toevoegen piet --rol moderator --vervang     vraagt het nieuwe wachtwoord twee keer
  wijkmap gebruiker lijst
  wijkmap gebruiker verwijderen piet

De accounts staan in data/gebruikers.json, of waar WIJKMAP_USERS naar wijst (alleen leesbaar voor de eigenaar).
"""


def _read_password(from_stdin: bool) -> str | None:
    """The password from stdin (its last line ending dropped), else asked twice at the terminal."""
    if from_stdin:
        text = sys.stdin.read()
        return text[:-2] if text.endswith("\r\n") else text.removesuffix("\n")
    import getpass

    if not sys.stdin.isatty():
        print("Fout: geef het wachtwoord via stdin met --wachtwoord-stdin", file=sys.stderr)
        return None
    first = getpass.getpass("Wachtwoord: ")
    if getpass.getpass("Nog een keer: ") != first:
        print("Fout: de twee wachtwoorden verschillen", file=sys.stderr)
        return None
    return first


def _gebruiker(args: argparse.Namespace) -> int:
    from wijkmap.accounts import users
    from wijkmap.config import users_path

    try:
        if args.actie == "lijst":
            accounts = users.list_accounts()
            if not accounts:
                print(f"Geen accounts in {users_path()}.")
            for account in accounts:
                print(f"{account.naam:<24} {account.rol:<10} aangemaakt {account.aangemaakt}")
            return 0
        if args.actie == "verwijderen":
            account = users.remove(args.naam)
            print(f"Account {account.naam} ({account.rol}) verwijderd uit {users_path()}.")
            return 0
        password = _read_password(args.wachtwoord_stdin)
        if password is None:
            return 1
        account = users.add(args.naam, args.rol, password, replace=args.vervang)
    except users.AccountError as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Fout: {users_path()} kan niet gelezen of geschreven worden: {error.strerror}", file=sys.stderr)
        return 1
    print(f"Account {account.naam} ({account.rol}) opgeslagen in {users_path()}.")
    return 0


def _add_gebruiker_command(command) -> None:
    from wijkmap.config import ACCOUNT_NAME_MAX, PASSWORD_MIN

    gebruiker = command("gebruiker", "beheer de accounts (beheerder, moderator)", GEBRUIKER_EXAMPLES)
    actions = gebruiker.add_subparsers(
        dest="actie", required=True, title="acties", metavar="ACTIE", help="een van deze; `wijkmap gebruiker ACTIE -h`"
    )

    def action(name: str, summary: str, example: str):
        return actions.add_parser(
            name, help=summary, description=summary[0].upper() + summary[1:] + ".",
            epilog=f"voorbeelden:\n  {f'wijkmap gebruiker {name} {example}'.rstrip()}\n",
        )  # fmt: skip

    add = action("toevoegen", "een account toevoegen", "anna --rol beheerder --wachtwoord-stdin < wachtwoord.txt")
    add.add_argument(
        "naam", metavar="NAAM", help=f"de accountnaam (tot {ACCOUNT_NAME_MAX} tekens: letters, cijfers, . _ - @)"
    )
    add.add_argument("--rol", required=True, choices=["beheerder", "moderator"], help="wat het account mag")
    add.add_argument(
        "--wachtwoord-stdin", action="store_true",
        help=f"lees het wachtwoord (minstens {PASSWORD_MIN} tekens) van stdin; zonder: twee keer vragen",
    )  # fmt: skip
    add.add_argument("--vervang", action="store_true", help="een bestaand account nieuwe rol en wachtwoord geven")
    remove = action("verwijderen", "een account verwijderen", "piet")
    remove.add_argument("naam", metavar="NAAM", help="de accountnaam (hoofdletters tellen niet)")
    action("lijst", "de accounts: naam, rol, aangemaakt (nooit wachtwoorden)", "")
    gebruiker.set_defaults(run=_gebruiker)


# --- the parser ------------------------------------------------------------------------------

# argparse's own messages, in Dutch. Its "usage:" and "error:" stay as they are.
_ARGPARSE_DUTCH = [
    (r"the following arguments are required: (.*)", r"deze argumenten ontbreken: \1"),
    (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
    (r"one of the arguments (.*) is required", r"een van de argumenten \1 is nodig"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", r"argument \1: ongeldige keuze \2 (kies uit \3)"),
    (r"argument (.*?): expected one argument", r"argument \1: verwacht één waarde"),
    (r"argument (.*?): invalid int value: (.*)", r"argument \1: geen geheel getal: \2"),
    (r"argument (.*?): expected at least one argument", r"argument \1: verwacht ten minste één waarde"),
    (r"argument (.*?): expected at most one argument", r"argument \1: verwacht hoogstens één waarde"),
    (r"argument (.*?): ignored explicit argument (.*)", r"argument \1: neemt geen waarde (\2)"),
    (r"argument (.*?): not allowed with argument (.*)", r"argument \1: gaat niet samen met \2"),
    (r"ambiguous option: (.*?) could match (.*)", r"dubbelzinnige optie: \1 kan \2 zijn"),
]


def _dutch(message: str) -> str:
    for pattern, replacement in _ARGPARSE_DUTCH:
        if re.fullmatch(pattern, message):
            return re.sub(pattern, replacement, message)
    return message


class DutchArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser whose help and errors read in Dutch, with examples kept as written."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = "argumenten"
        self._optionals.title = "opties"
        self.add_argument("-h", "--help", action="help", help="toon deze hulp en stop")

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: error: {_dutch(message)}\n")


EXAMPLES = """\
voorbeelden:
  wijkmap serve                                  de app op http://localhost:8501
  wijkmap serve --server.port 8502               opties na serve gaan naar Streamlit
  wijkmap build-data                             het gegevensbestand opnieuw bouwen
  wijkmap import register.xlsx --bron "Register gemeente Utrecht 2026" --dry-run
  wijkmap import-osm overijssel-latest.osm.pbf --gemeente GM0150
  wijkmap export --format csv --gemeente GM0344 --out utrecht.csv
  wijkmap export-gebieden --niveau buurt --jaar 2024 --gemeente GM0150 --format csv --out deventer.csv
  wijkmap import-gebieden wijkenbuurten_2024_v1.gpkg --jaar 2024 --gemeente GM0150
  wijkmap fetch gebieden --jaar 2024 --gemeente GM0150
  wijkmap fetch cbs --tabel 85984NED --gemeente GM0150
  wijkmap gebruiker toevoegen anna --rol beheerder --wachtwoord-stdin
  wijkmap rapport --gebied GM0150 --out deventer.pdf

Het gegevensbestand staat in data/wijkmap.gpkg, of waar WIJKMAP_STORE naar wijst.
Exitstatus: 0 klaar, 1 geweigerd (niets geschreven), 2 verkeerd gebruik.
"""

SERVE_EXAMPLES = """\
Alles na serve gaat ongewijzigd naar `streamlit run app.py` (via wijkmap.server, dat
de code en de gegevens alvast inleest terwijl Streamlit start). De app staat in de
repository (app.py, app_pages/): serve werkt vanuit een kloon, niet uit een losse
installatie van het pakket.

voorbeelden:
  wijkmap serve
  wijkmap serve --server.port 8502 --server.address 0.0.0.0
  wijkmap serve --server.fileWatcherType auto --server.runOnSave true   (ontwikkelen)
"""

BUILD_EXAMPLES = """\
Geïmporteerde records, bijdragen en de moderatiewachtrij blijven bewaard.

voorbeelden:
  wijkmap build-data
  wijkmap build-data --if-missing
  wijkmap build-data --gemeente GM0344 --gemeente GM0599
"""

IMPORT_EXAMPLES = """\
Een bestand met een fout wordt helemaal geweigerd (exitstatus 1), met één regel per fout.
Dezelfde bron opnieuw importeren werkt de records bij in plaats van ze te verdubbelen. Elke
import is één batch (zie `wijkmap imports`) die ongedaan gemaakt kan worden, zolang niemand
de records daarna wijzigde. Records die het bestand niet meer heeft, blijven open tot
--sluit-ontbrekende ze sluit; er wordt nooit iets verwijderd.

voorbeelden:
  wijkmap import register.csv --dry-run
  wijkmap import register.xlsx --bron "Register gemeente Utrecht 2026" --batch voorjaar-2026
  wijkmap import register.xlsx --sluit-ontbrekende 2026-03-01 --account anna
  wijkmap import --ongedaan voorjaar-2026
  wijkmap import initiatieven.geojson
"""

IMPORTS_EXAMPLES = """\
Eén regel per batch: id, datum en tijd (UTC), account, bestand, soort en aantallen.

voorbeelden:
  wijkmap imports
  wijkmap imports | head -5
"""

IMPORT_OSM_EXAMPLES = """\
Een extract per provincie: https://download.geofabrik.de/europe/netherlands.html (.osm.pbf).
Records krijgen bron "OpenStreetMap" en id osm-node-N / osm-way-N: een nieuwer extract werkt
ze bij. Wat in een nieuwer extract ontbreekt, binnen de gemeenten die het dekt, krijgt als
sluitdatum de dag van dat extract. Een ouder extract dan het laatst geïmporteerde wordt geweigerd.

voorbeelden:
  wijkmap import-osm overijssel-latest.osm.pbf --gemeente GM0150
  wijkmap import-osm utrecht-latest.osm.pbf
  wijkmap import-osm deventer.osm
  wijkmap import-osm overpass.json               ([out:json]; ... out center;)
"""

SJABLOON_EXAMPLES = """\
Het .xlsx-sjabloon heeft een blad met de toegestane codes, keuzelijsten in de codekolommen
en een blad met uitleg per kolom; de .csv alleen de kolomkoppen (UTF-8, ";").

voorbeelden:
  wijkmap sjabloon --out registersjabloon.xlsx
  wijkmap sjabloon --out registersjabloon.csv
"""

EXPORT_EXAMPLES = """\
Contactgegevens van insturers worden nooit geëxporteerd.

voorbeelden:
  wijkmap export --format csv --out alles.csv
  wijkmap export --format geojson --gemeente GM0344 --soort repair_cafe huis_van_de_wijk --out utrecht.geojson
  wijkmap export --format gpkg --bron "Register gemeente Utrecht 2026" --out register.gpkg
  wijkmap export --format hsds --gemeente GM0344 --out hsds-utrecht/   (Open Referral HSDS 3)
"""

EXPORT_AREAS_EXAMPLES = """\
Eén rij per gebied met code, naam, gemeentecode, jaar, een kolom per indicator en de bron.
Ook gebieden zonder grenzen van dat jaar staan erin (csv en xlsx); gpkg heeft de grenzen nodig.

voorbeelden:
  wijkmap export-gebieden --niveau buurt --jaar 2024 --gemeente GM0150 --format xlsx --out deventer.xlsx
  wijkmap export-gebieden --niveau wijk --jaar 2024 --indicator inwoners pct_65plus --format csv --out wijken.csv
  wijkmap export-gebieden --niveau buurt --jaar 2015 --gemeente GM0344 --format gpkg --out utrecht.gpkg
"""


RAPPORT_EXAMPLES = """\
Een A4-rapport (PDF) over een buurt, wijk of gemeente: de kaart, het profiel tegen gemeente en
Nederland, de voorzieningen per categorie, de verandering, de lijst hoge nood en de bronnen. Met
--vergelijk ook de vergelijking met die gebieden (samen hoogstens 4). Fictieve voorbeelddata staan
erin als fictief gemarkeerd. De link in het rapport wijst naar WIJKMAP_URL (standaard
http://localhost:8501/). Het maken gebeurt zonder internet.

voorbeelden:
  wijkmap rapport --gebied BU03441024 --out veldhuizen.pdf
  wijkmap rapport --gebied GM0150 --out deventer.pdf
  wijkmap rapport --gebied BU03441024 --vergelijk BU03440812 --taal en --out vergelijking.pdf
"""


GEBIEDEN_EXAMPLES = """\
Leest de CBS wijk- en buurtkaart (GeoPackage; veldnamen buurtcode/buurtnaam of BU_CODE/BU_NAAM),
de CBS-gebiedsindelingen (statcode, statnaam; GeoJSON of TopoJSON) en shapefiles in een zip, in elk
coördinatenstelsel. Gebieden die alleen water zijn (water = JA) worden apart gehouden. Een import
vervangt de gebieden van de gemeenten in het bestand en laat de andere staan. De bestanden komen in
data/sources/gebieden/; daarna wordt het gegevensbestand opnieuw gebouwd. Bij een fout verandert er niets.

voorbeelden:
  wijkmap import-gebieden wijkenbuurten_2024_v1.gpkg --jaar 2024
  wijkmap import-gebieden wijkenbuurten_2024_v1.gpkg --jaar 2024 --gemeente GM0150
  wijkmap import-gebieden buurt_2023.geojson wijk_2023.geojson --jaar 2023
  wijkmap import-gebieden WijkBuurtkaart_2019_v3.zip --jaar 2019
"""

STORE_EXAMPLES = """\
Het gegevensbestand is een GeoPackage (standaard data/wijkmap.gpkg) of, voor een gedeelde
installatie met meer app-processen, een PostgreSQL-database met PostGIS:
WIJKMAP_STORE=postgresql://gebruiker@host:5432/database (wachtwoord in PGPASSFILE/~/.pgpass,
PGPASSWORD of de Streamlit-secrets; nooit in een logregel).

voorbeelden:
  wijkmap store copy data/wijkmap.gpkg postgresql://wijkmap@db.example.nl:5432/wijkmap
  wijkmap store copy postgresql://wijkmap@db.example.nl:5432/wijkmap kopie.gpkg
"""

STORE_COPY_EXAMPLES = """\
Kopieert alles: gebieden, statistiek, indicatoren, records en de tabellen van de app
(bijdragen, batches en hun ongedaan maken, auditlog, kolomkoppelingen, OSM-extracten). De
accounts staan niet in het gegevensbestand (data/gebruikers.json) en gaan niet mee.
Daarna vergelijkt het per laag en tabel het aantal rijen en een hash van de inhoud; wijkt
iets af, dan zegt het welke en eindigt met status 1. Op het doel mag nog geen
gegevensbestand staan, tenzij --vervang (dat verwijdert het eerst).

voorbeelden:
  wijkmap store copy data/wijkmap.gpkg postgresql://wijkmap@localhost:5432/wijkmap
  wijkmap store copy postgresql://wijkmap@localhost:5432/wijkmap backup.gpkg --vervang
"""

FETCH_EXAMPLES = """\
Haalt gegevens op bij een dienst (CBS, PDOK), slaat ze op in data/sources/ zoals een import en bouwt
daarna het gegevensbestand opnieuw; geïmporteerde records en bijdragen blijven bewaard. Zonder
internet: importeer een bestand.

voorbeelden:
  wijkmap fetch cbs --tabel 85984NED --gemeente GM0150
  wijkmap fetch gebieden --jaar 2024 --gemeente GM0150
"""

FETCH_CBS_EXAMPLES = """\
Leest de OData-API van CBS (TableInfos, DataProperties en TypedDataSet) en schrijft de
tabel naar data/sources/cbs/odata/TABEL/. Nog een keer ophalen voor andere gemeenten
voegt die toe. Bij een fout wordt niets geschreven.

voorbeelden:
  wijkmap fetch cbs --tabel 85984NED --gemeente GM0150            Kerncijfers 2024, Deventer
  wijkmap fetch cbs --tabel 85984NED                              heel Nederland (~18.000 gebieden)
  wijkmap fetch cbs --tabel 85984NED --gemeente 0150 0344 --url https://mirror.example.nl
"""

FETCH_GEBIEDEN_EXAMPLES = """\
Vraagt de buurten, wijken en gemeenten van dat jaar op bij PDOK (OGC API Features, pagina voor
pagina) en importeert ze zoals import-gebieden. Met --gemeente alleen die gemeenten.

voorbeelden:
  wijkmap fetch gebieden --jaar 2024 --gemeente GM0150
  wijkmap fetch gebieden --jaar 2023 --url https://api.pdok.nl/cbs/wijken-en-buurten-2023/ogc/v1
"""


def parser() -> argparse.ArgumentParser:
    main = DutchArgumentParser(
        prog=PROG,
        description="wijkmap: de sociale basis per buurt. Start de app, bouw het gegevensbestand, "
        "importeer registers en exporteer records.",
        epilog=EXAMPLES,
    )
    main.add_argument("--version", action="version", version=f"%(prog)s {__version__}", help="toon de versie en stop")
    verbose = {"action": "store_true", "help": "vertel wat er gebeurt (logregels op stderr)"}
    main.add_argument("-v", "--verbose", **verbose)
    commands = main.add_subparsers(
        dest="command",
        required=True,
        title="opdrachten",
        metavar="OPDRACHT",
        help="een van deze; `wijkmap OPDRACHT -h` geeft de hulp erbij",
    )

    def command(name: str, summary: str, examples: str, usage: str | None = None) -> argparse.ArgumentParser:
        description = summary[0].upper() + summary[1:] + "."
        sub = commands.add_parser(name, help=summary, description=description, epilog=examples, usage=usage)
        # Also after the command; SUPPRESS keeps a -v given before it.
        sub.add_argument("-v", "--verbose", **verbose, default=argparse.SUPPRESS)
        return sub

    serve = command(
        "serve",
        "start de app (streamlit run app.py)",
        SERVE_EXAMPLES,
        usage=f"{PROG} serve [-h] [-v] [STREAMLIT-OPTIE ...]",
    )
    serve.set_defaults(run=_serve, streamlit_args=[])

    build = command("build-data", "bouw het gegevensbestand uit data/sources/", BUILD_EXAMPLES)
    build.add_argument("--if-missing", action="store_true", help="alleen als het nog niet bestaat")
    build.add_argument("--gemeente", action="append", metavar="GMxxxx", help="alleen deze gemeenten")
    build.set_defaults(run=_build)

    load = command("import", "importeer een register (CSV, Excel, OpenDocument, GeoJSON, GeoPackage)", IMPORT_EXAMPLES)
    load.add_argument(
        "file", nargs="?", metavar="BESTAND", help="het register: .csv, .xlsx, .xls, .ods, .geojson of .gpkg"
    )
    load.add_argument(
        "--bron", help="herkomst van de records, bv. 'Register gemeente Utrecht 2026' (standaard: de bestandsnaam)"
    )
    load.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    load.add_argument(
        "--batch", metavar="NAAM", help=f"naam van de batch (hoogstens {BATCH_ID_MAX} tekens: letters, cijfers, . _ -;"
        " standaard datum-tijd-code, bv. 20260301-141500-a1b2)",
    )  # fmt: skip
    load.add_argument(
        "--sluit-ontbrekende", metavar="JJJJ-MM-DD",
        help="sluit per die dag de open records van deze bron die het bestand niet meer heeft (standaard: open laten)",
    )  # fmt: skip
    load.add_argument(
        "--account", metavar="NAAM", help="wie importeert, voor het auditlog (standaard: de gebruiker van het systeem)"
    )
    load.add_argument("--ongedaan", metavar="BATCH", help="maak deze batch ongedaan in plaats van te importeren")
    load.set_defaults(run=_import)
    listing = command(
        "imports", "toon de batches (imports, bewerkingen, ongedaan gemaakte), nieuwste eerst", IMPORTS_EXAMPLES
    )
    listing.set_defaults(run=_imports)

    osm = command(
        "import-osm", "importeer voorzieningen uit OpenStreetMap (.osm.pbf, .osm, Overpass-JSON)", IMPORT_OSM_EXAMPLES
    )
    osm.add_argument("file", metavar="BESTAND", help="het extract: .osm.pbf, .osm (XML) of Overpass-JSON (.json)")
    osm.add_argument(
        "--gemeente", nargs="+", action="extend", metavar="GMxxxx",
        help="alleen deze gemeenten; wat daar in het extract ontbreekt, wordt gesloten",
    )  # fmt: skip
    osm.set_defaults(run=_import_osm)

    template = command(
        "sjabloon", "schrijf het registersjabloon (.xlsx met codes en keuzelijsten, of .csv)", SJABLOON_EXAMPLES
    )
    template.add_argument("--out", required=True, metavar="BESTAND", help="waar het komt: een .xlsx- of .csv-bestand")
    template.set_defaults(run=_sjabloon)

    export = command("export", "exporteer records met hun herkomst", EXPORT_EXAMPLES)
    export.add_argument(
        "--format", choices=["csv", "geojson", "gpkg", "hsds"], required=True,
        help="het bestandsformaat; hsds: Open Referral HSDS 3, een map met CSV-tabellen",
    )  # fmt: skip
    export.add_argument(
        "--met-voorbeeld", action="store_true", help="hsds: neem de fictieve voorbeeldrecords mee (gemarkeerd)"
    )
    export.add_argument("--gemeente", metavar="GMxxxx", help="alleen deze gemeente (GM0344 of 0344)")
    export.add_argument("--soort", nargs="+", metavar="CODE", help="alleen deze soorten, bv. repair_cafe wijkteam")
    export.add_argument("--bron", help="alleen records van deze bron")
    export.add_argument("--out", required=True, metavar="BESTAND", help="waar het bestand komt (hsds: een map)")
    export.set_defaults(run=_export)

    areas = command("export-gebieden", "exporteer de cijfers per gebied (één rij per gebied)", EXPORT_AREAS_EXAMPLES)
    areas.add_argument("--niveau", choices=["buurt", "wijk", "gemeente"], required=True, help="het niveau")
    areas.add_argument("--jaar", type=int, required=True, metavar="JJJJ", help="het jaar van de cijfers")
    many = {"action": "extend", "nargs": "+", "default": []}
    areas.add_argument("--gemeente", **many, metavar="GMxxxx", help="alleen deze gemeente(n), bv. GM0150")
    areas.add_argument("--indicator", **many, metavar="CODE", help="alleen deze indicatoren (standaard: alle)")
    areas.add_argument("--format", choices=["csv", "xlsx", "gpkg"], required=True, help="het bestandsformaat")
    areas.add_argument("--out", required=True, metavar="BESTAND", help="waar het bestand komt")
    areas.set_defaults(run=_export_gebieden)

    report = command("rapport", "maak een rapport (PDF) over een gebied, voor de raad", RAPPORT_EXAMPLES)
    report.add_argument("--gebied", required=True, metavar="CODE", help="buurt, wijk of gemeente (BU…, WK…, GM…)")
    report.add_argument("--vergelijk", **many, metavar="CODE", help="vergelijk met deze gebieden (hoogstens 3)")
    report.add_argument(
        "--jaar",
        type=int,
        metavar="JJJJ",
        help="het jaar van de cijfers: het profiel, en de kaart als de indicator dat jaar heeft (anders het nieuwste)",
    )
    report.add_argument("--taal", choices=["nl", "en"], default="nl", help="de taal van het rapport (standaard nl)")
    report.add_argument("--out", required=True, metavar="BESTAND", help="waar het PDF-bestand komt")
    report.set_defaults(run=_rapport)

    def gebieden_options(sub: argparse.ArgumentParser, gemeente_help: str) -> None:
        sub.add_argument("--jaar", type=int, required=True, metavar="JJJJ", help="het jaar van de indeling")
        sub.add_argument("--gemeente", nargs="+", action="extend", metavar="GMxxxx", help=gemeente_help)
        sub.add_argument(
            "--bronnen",
            default=str(SOURCES_DIR),
            metavar="MAP",
            help="de map met bronbestanden (standaard data/sources)",
        )

    areas = command(
        "import-gebieden", "importeer officiële gebiedsgrenzen (CBS wijk- en buurtkaart)", GEBIEDEN_EXAMPLES
    )
    areas.add_argument(
        "files", nargs="+", metavar="BESTAND", help=".gpkg, .geojson, .json (TopoJSON) of .zip (shapefile)"
    )
    gebieden_options(areas, "alleen deze gemeenten uit het bestand")
    areas.set_defaults(run=_import_gebieden)

    fetch = command("fetch", "haal gegevens op bij een dienst (cijfers bij CBS, gebieden bij PDOK)", FETCH_EXAMPLES)
    fetch_commands = fetch.add_subparsers(
        dest="fetch_command",
        required=True,
        title="bronnen",
        metavar="BRON",
        help="een van deze; `wijkmap fetch BRON -h`",
    )
    cbs = fetch_commands.add_parser(
        "cbs",
        help="cijfers van een CBS-tabel per wijk en buurt (OData v3)",
        description="Cijfers van een CBS-tabel per gemeente, wijk en buurt (OData v3).",
        epilog=FETCH_CBS_EXAMPLES,
    )
    cbs.add_argument("-v", "--verbose", **verbose, default=argparse.SUPPRESS)
    cbs.add_argument("--tabel", required=True, metavar="TABEL", help="CBS-tabelnummer, bv. 85984NED (KWB 2024)")
    cbs.add_argument(
        "--gemeente", nargs="+", action="extend", metavar="GMxxxx", help="alleen deze gemeenten (standaard: alle)"
    )
    cbs.add_argument("--url", default=CBS_ROOT, metavar="ROOT", help=f"de server (standaard {CBS_ROOT})")
    cbs.set_defaults(run=_fetch_cbs)
    fetch_areas = fetch_commands.add_parser(
        "gebieden",
        help="gebiedsgrenzen van een jaar bij PDOK",
        description="Gebiedsgrenzen van een jaar bij PDOK (OGC API Features).",
        epilog=FETCH_GEBIEDEN_EXAMPLES,
    )
    fetch_areas.add_argument("-v", "--verbose", **verbose, default=argparse.SUPPRESS)
    gebieden_options(fetch_areas, "alleen deze gemeenten")
    fetch_areas.add_argument(
        "--url", metavar="BASIS", help="de API-basis, standaard https://api.pdok.nl/cbs/wijken-en-buurten-{jaar}/ogc/v1"
    )
    fetch_areas.set_defaults(run=_fetch_gebieden)
    store_command = command(
        "store", "beheer het gegevensbestand zelf (kopiëren tussen GeoPackage en PostgreSQL)", STORE_EXAMPLES
    )
    store_commands = store_command.add_subparsers(
        dest="store_command", required=True, title="opdrachten", metavar="OPDRACHT",
        help="een van deze; `wijkmap store OPDRACHT -h`",
    )  # fmt: skip
    copy = store_commands.add_parser(
        "copy",
        help="kopieer een gegevensbestand naar een ander (GeoPackage <-> PostgreSQL) en controleer de kopie",
        description="Kopieer een gegevensbestand naar een ander (GeoPackage <-> PostgreSQL) en controleer de kopie.",
        epilog=STORE_COPY_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    copy.add_argument("-v", "--verbose", **verbose, default=argparse.SUPPRESS)
    copy.add_argument("source", metavar="VAN", help="een .gpkg-bestand of een postgresql://-adres")
    copy.add_argument("target", metavar="NAAR", help="een .gpkg-bestand of een postgresql://-adres")
    copy.add_argument("--vervang", action="store_true", help="vervang een gegevensbestand dat al op NAAR staat")
    copy.set_defaults(run=_store_copy)
    _add_gebruiker_command(command)
    return main


def _configure_logging(verbose: bool) -> None:
    """Log lines of wijkmap to stderr: warnings only, or every step with -v."""
    logger = logging.getLogger("wijkmap")
    for handler in [h for h in logger.handlers if getattr(h, "wijkmap_cli", False)]:
        logger.removeHandler(handler)
    handler = logging.StreamHandler(sys.stderr)  # the stderr of now: tests swap it between runs
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    handler.wijkmap_cli = True  # type: ignore[attr-defined]
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose else logging.WARNING)


def main(argv: Sequence[str] | None = None) -> int:
    arguments = parser()
    args, extra = arguments.parse_known_args(sys.argv[1:] if argv is None else list(argv))
    if args.command == "serve":
        args.streamlit_args = extra[1:] if extra[:1] == ["--"] else extra
    elif extra:
        arguments.error(f"onbekende argumenten: {' '.join(extra)}")
    _configure_logging(args.verbose)
    log.info("wijkmap %s, opdracht %s", __version__, args.command)
    try:
        return args.run(args)
    except unreachable_errors() as error:  # the message names the database, its password masked
        text = mask_in(error, store.store_location())
        print(f"Fout: {text.strip()}. Er is niets gewijzigd.", file=sys.stderr)
        return 1
