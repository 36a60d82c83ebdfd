"""`python -m wijkmap`: build-data, import and export.

Messages are Dutch: the people who run an import are civil servants, not developers.
Exit status 0 means done, 1 means the input was refused (nothing written), 2 is usage.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

from wijkmap.core import vocabulary as vocab
from wijkmap.data import store


def _build(args: argparse.Namespace) -> int:
    from wijkmap.data.build import build_store

    path = store.store_path()
    if args.if_missing and path.exists():
        print(f"Gegevensbestand bestaat al: {path}")
        return 0
    started = time.perf_counter()
    try:
        summary = build_store(path, gemeenten=args.gemeente or None)
    except sqlite3.OperationalError as error:  # the store stayed busy: the old file is kept
        print(f"Fout: {path} is niet vervangen: {error}. Het gegevensbestand is ongewijzigd.", file=sys.stderr)
        return 1
    print(f"Gegevensbestand gebouwd in {time.perf_counter() - started:.1f} s: {summary.path}")
    for layer, count in summary.areas.items():
        print(f"  {layer}: {count} gebieden")
    print(f"  statistiek: {summary.statistics} waarden, {summary.indicators} indicatoren")
    for bron, count in summary.records.items():
        print(f"  voorzieningen, bron {bron}: {count}")
    if summary.carried_over:
        print(f"  (waarvan {summary.carried_over} overgenomen uit eerdere imports en bijdragen)")
    return 0


def _import(args: argparse.Namespace) -> int:
    from wijkmap.data.build import PLACEMENT_LAYER
    from wijkmap.data.sources.register import RegisterError, read_register

    path = Path(args.file)
    try:
        buurten = store.read_areas(PLACEMENT_LAYER)
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
    if args.dry_run:
        print(f"Proefimport: {len(records)} records zijn in orde; er is niets opgeslagen.")
    else:
        inserted, updated = store.upsert_records(records)
        print(f"Geïmporteerd uit {path.name}: {inserted} nieuw, {updated} bijgewerkt.")
    print("Per soort:")
    for code, count in records["soort"].value_counts().sort_index().items():
        print(f"  {vocab.label('soort', code)}: {count}")
    print("Per gemeente:")
    for code, count in records["gemeentecode"].value_counts().sort_index().items():
        print(f"  {code}: {count}")
    return 0


def _export(args: argparse.Namespace) -> int:
    from wijkmap.data.export import export_records, filter_records

    try:
        records = store.read_records()
    except store.StoreMissing as error:
        print(f"Fout: {error}", file=sys.stderr)
        return 1
    unknown = [code for code in args.soort or [] if code not in vocab.SOORTEN]
    if unknown:
        print(f"Fout: onbekende soort {', '.join(unknown)}", file=sys.stderr)
        return 2
    selected = filter_records(records, gemeentecode=args.gemeente, soorten=args.soort, bron=args.bron)
    Path(args.out).write_bytes(export_records(selected, args.format))
    print(f"{len(selected)} records geschreven naar {args.out} ({args.format}).")
    return 0


def parser() -> argparse.ArgumentParser:
    main = argparse.ArgumentParser(prog="python -m wijkmap", description="wijkmap: gegevens bouwen, importeren en exporteren")
    commands = main.add_subparsers(dest="command", required=True)

    build = commands.add_parser("build-data", help="bouw het gegevensbestand uit data/sources/")
    build.add_argument("--if-missing", action="store_true", help="alleen als het nog niet bestaat")
    build.add_argument("--gemeente", action="append", metavar="GMxxxx", help="alleen deze gemeente(n)")
    build.set_defaults(run=_build)

    load = commands.add_parser("import", help="importeer een register (CSV, Excel, GeoJSON, GeoPackage)")
    load.add_argument("file")
    load.add_argument("--bron", help="herkomst van de records, bv. 'Register gemeente Utrecht 2026'")
    load.add_argument("--dry-run", action="store_true", help="alleen controleren, niets opslaan")
    load.set_defaults(run=_import)

    export = commands.add_parser("export", help="exporteer records met hun herkomst")
    export.add_argument("--format", choices=["csv", "geojson", "gpkg"], required=True)
    export.add_argument("--gemeente", metavar="GMxxxx")
    export.add_argument("--soort", nargs="+", metavar="CODE")
    export.add_argument("--bron")
    export.add_argument("--out", required=True)
    export.set_defaults(run=_export)
    return main


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    return args.run(args)
