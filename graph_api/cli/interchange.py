"""`isegraph import` and `isegraph export`: the network as an interchange document (JSON)."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graph_api.cli.common import Commands, import_document, run_with_database, say
from graph_api.settings import Settings


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        document = json.loads(Path(args.file).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        say(f"Cannot read {args.file}: {exc}")
        return 2
    return import_document(settings, document, args.dry_run)


def cmd_export(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.rules.exporter import export_network

    document = run_with_database(settings, export_network)
    text = json.dumps(document, indent=1, ensure_ascii=False) + "\n"
    if args.file:
        Path(args.file).write_text(text)
        say(f"Wrote {sum(len(v) for v in document.values())} records to {args.file}")
    else:
        sys.stdout.write(text)
    return 0


def register(commands: Commands) -> None:
    imp = commands.add_parser(
        "import",
        help="import an interchange document (JSON)",
        description="Validate the whole document, then add and update its "
        "records. Every problem is listed with its JSON path.",
    )
    imp.add_argument("file", help="path of the JSON document")
    imp.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
    imp.set_defaults(handler=cmd_import)

    exp = commands.add_parser("export", help="export the whole network as an interchange document")
    exp.add_argument("file", nargs="?", help="where to write it (default: standard output)")
    exp.set_defaults(handler=cmd_export)
