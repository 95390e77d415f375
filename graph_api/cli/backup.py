"""`isegraph backup` and `isegraph restore`: the local database to a dump file and back."""

from __future__ import annotations

import argparse
from pathlib import Path

from graph_api.cli.common import Commands, say
from graph_api.settings import Settings


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.neo4j_server.backup import backup

    backup(settings, Path(args.file), say)
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.neo4j_server.backup import restore

    restore(settings, Path(args.file), args.force, say)
    return 0


def register(commands: Commands) -> None:
    bak = commands.add_parser(
        "backup",
        help="dump the local Neo4j database to a file",
        description="A consistent dump of the local database (neo4j-admin database dump). A running "
        "server is stopped for the dump and started again. With NEO4J_URI set, refused: use that "
        "server's own backup tooling.",
    )
    bak.add_argument("file", help="where to write the dump, e.g. isegraph-2026-12-01.dump")
    bak.set_defaults(handler=cmd_backup)

    res = commands.add_parser(
        "restore",
        help="replace the local Neo4j database with a backup",
        description="Load a dump made by `isegraph backup` (neo4j-admin database load), stopping and "
        "starting a running server. Refuses to overwrite an existing database without --force.",
    )
    res.add_argument("file", help="the dump to load")
    res.add_argument("--force", action="store_true", help="replace the existing database")
    res.set_defaults(handler=cmd_restore)
