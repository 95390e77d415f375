"""The `isegraph` command: run Neo4j and the service, load and export data, resolve recipients.

Each group of commands is a module of this package with a `register` that adds its commands to
the parser; `GROUPS` lists them in the order `isegraph --help` shows their commands.
"""

from __future__ import annotations

import argparse

from graph_api.cli import (
    audit,
    backup,
    delivery,
    interchange,
    neo4j,
    node,
    recipients,
    schema,
    seed,
    service,
    taxii,
    tokens,
)
from graph_api.cli.common import say
from graph_api.delivery.links import LinkKeyMissing
from graph_api.errors import ServiceError
from graph_api.neo4j_server import process
from graph_api.neo4j_server.jar_lock import LockError
from graph_api.neo4j_server.provision import ProvisioningError
from graph_api.observability.logs import configure_logging
from graph_api.settings import load_settings
from graph_api.store.database import DatabaseNotConfigured
from graph_api.store.tuning import tune_garbage_collector

GROUPS = (
    neo4j,
    service,
    interchange,
    seed,
    tokens,
    backup,
    audit,
    schema,
    taxii,
    recipients,
    delivery,
    node,
)

EXAMPLES = """
examples:
  isegraph up                          provision and start Neo4j, load the seed network, serve
  isegraph serve --workers 2           serve on an existing database with two worker processes
  isegraph neo4j start                 start the local Neo4j (downloads it the first time)
  isegraph neo4j upgrade               move the jar lock to the newest 5.26 patch (needs Maven)
  isegraph import network.json --dry-run
  isegraph export backup.json
  isegraph backup isegraph.dump        consistent dump of the local database (stops it briefly)
  isegraph restore isegraph.dump --force
  isegraph audit verify                check the audit trail's hash chain
  isegraph schema schema.graphql       refresh the repository's copy of the GraphQL schema
  isegraph token --role PARTNER --partner fc-ca --ttl 2h
  isegraph seed --synthetic --partners 100000 --seed 7
  isegraph recipients prod-grid-ransomware --format csv > recipients.csv
  isegraph worker                      send queued email and HSIN messages until stopped
  isegraph worker --once               send what is due now, then exit
  isegraph digest --date 2026-11-25    send that day's daily digests (again: nothing new)
  isegraph taxii pull https://taxii.example.org/api1/ --collection 91a7b528-80eb-42ed-a74d-c6fbd5a26116
  isegraph node init --operator fc-ca --id ca   this node's id and signing key, once
  isegraph node show                   what to hand a peer: node id, URL, public key

Settings come from environment variables; the README lists every one.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isegraph",
        description="ISE Graph: who should receive what, and who is connected "
        "to whom, in the critical-infrastructure information-sharing environment.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for group in GROUPS:
        group.register(commands)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    tune_garbage_collector()
    settings = load_settings()
    configure_logging(settings.log_format)
    try:
        code: int = args.handler(args, settings)
    except (ProvisioningError, LockError, process.ServerError, DatabaseNotConfigured, LinkKeyMissing) as exc:
        say(f"error: {exc}")
        return 1
    except ServiceError as exc:
        say(f"error: [{exc.code}] {exc.message}")
        return 1
    return code
