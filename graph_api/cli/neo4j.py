"""`isegraph neo4j`: start, stop, check or upgrade the local Neo4j server."""

from __future__ import annotations

import argparse

from graph_api.cli.common import Commands, say
from graph_api.neo4j_server import process
from graph_api.settings import Settings


def cmd_neo4j(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "upgrade":
        return _upgrade_neo4j_lock(args.range, settings)
    if args.action == "start":
        process.start(settings, say)
    elif args.action == "stop":
        process.stop(settings, say)
    else:
        say(process.status(settings))
    return 0


def _upgrade_neo4j_lock(version_range: str | None, settings: Settings) -> int:
    from graph_api.neo4j_server import jar_lock
    from graph_api.neo4j_server.provision import require_tool

    current = jar_lock.read_lock()
    wanted_range = version_range or current.version_range
    mvn = require_tool("mvn", "Install Apache Maven, e.g. `apt-get install maven`.")
    lock = jar_lock.resolve_lock(mvn, wanted_range, settings.maven_repository, say)
    jar_lock.write_lock(lock)
    say(
        f"{jar_lock.LOCK_FILE}: Neo4j {current.neo4j_version} -> {lock.neo4j_version} "
        f"({len(lock.jars)} jars, {lock.total_bytes / 1e6:.0f} MB); commit it."
    )
    return 0


def register(commands: Commands) -> None:
    neo4j = commands.add_parser(
        "neo4j",
        help="start, stop or check the local Neo4j server",
        description="Manage the Neo4j Community server the project "
        "provisions from Maven Central (nothing when NEO4J_URI is set).",
    )
    neo4j.add_argument(
        "action",
        choices=["start", "stop", "status", "upgrade"],
        help="upgrade: resolve the newest release in the lock's version range (or --range) with "
        "Maven and rewrite the jar lock the first download uses",
    )
    neo4j.add_argument("--range", help="with upgrade: a Maven version range, e.g. '[5.26.0,5.27.0)'")
    neo4j.set_defaults(handler=cmd_neo4j)
