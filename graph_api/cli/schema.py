"""`isegraph schema`: print the GraphQL schema (SDL), or refresh the repository's copy."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from graph_api.cli.common import Commands, say
from graph_api.settings import Settings


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.api import schema

    text = schema.as_str() + "\n"
    if args.file:
        Path(args.file).write_text(text)
        say(f"Wrote the GraphQL schema to {args.file}")
    else:
        sys.stdout.write(text)
    return 0


def register(commands: Commands) -> None:
    sdl = commands.add_parser(
        "schema",
        help="print the GraphQL schema (SDL)",
        description="Print the GraphQL schema; `isegraph schema schema.graphql` "
        "refreshes the copy kept in the repository.",
    )
    sdl.add_argument("file", nargs="?", help="where to write it (default: standard output)")
    sdl.set_defaults(handler=cmd_schema)
