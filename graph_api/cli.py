"""The `isegraph` command: run Neo4j and the service, load and export data, resolve recipients."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any, TypeVar

from graph_api.errors import ServiceError
from graph_api.neo4j_server import process
from graph_api.neo4j_server.provision import ProvisioningError
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, DatabaseNotConfigured, connection_details, open_driver
from graph_api.store.tuning import tune_garbage_collector

T = TypeVar("T")

EXAMPLES = """
examples:
  isegraph up                          provision and start Neo4j, load the seed network, serve
  isegraph neo4j start                 start the local Neo4j (downloads it the first time)
  isegraph import network.json --dry-run
  isegraph export backup.json
  isegraph schema schema.graphql       refresh the repository's copy of the GraphQL schema
  isegraph token --role PARTNER --partner fc-ca --ttl 2h
  isegraph seed --synthetic --partners 100000 --seed 7
  isegraph recipients prod-grid-ransomware --format csv > recipients.csv

Settings come from environment variables; the README lists every one.
"""


def say(message: str) -> None:
    print(message, flush=True)


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def main() -> T:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database, settings.query_timeout_seconds)
            await db.migrate()
            return await work(db)

    return asyncio.run(main())


def cmd_neo4j(args: argparse.Namespace, settings: Settings) -> int:
    if args.action == "start":
        process.start(settings, say)
    elif args.action == "stop":
        process.stop(settings, say)
    else:
        say(process.status(settings))
    return 0


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    from graph_api.http.app import create_app

    host, port = args.host or settings.host, args.port or settings.port
    say(
        f"GraphQL on http://{host}:{port}/graphql"
        + (" (GraphiQL in a browser)" if settings.development else "")
    )
    uvicorn.run(create_app(settings), host=host, port=port, log_level="info")
    return 0


def cmd_up(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import Role, mint_token

    if not settings.external_neo4j:
        process.start(settings, say)
    seed_args = argparse.Namespace(synthetic=False, partners=0, seed=0)
    cmd_seed(seed_args, settings)
    say("Tokens for trying the API (valid 12 hours; send as 'Authorization: Bearer <token>'):")
    tokens = {role: mint_token(settings, role, ttl_seconds=12 * 3600) for role in (Role.ADMIN, Role.ANALYST)}
    for role, token in tokens.items():
        say(f"  {role.value:<8} {token}")
    base = f"http://{args.host or settings.host}:{args.port or settings.port}"
    say(f"Console: {base}/console/ (sign in with a token above, or as any role in development)")
    if settings.development:
        # The fragment never reaches the server; GraphiQL puts the token in its default headers.
        say(f"GraphiQL as ANALYST: {base}/graphql#token={tokens[Role.ANALYST]}")
    return cmd_serve(args, settings)


def cmd_token(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.identity import Role, mint_token, parse_ttl

    try:
        token = mint_token(settings, Role(args.role), args.partner, parse_ttl(args.ttl))
    except ValueError as exc:
        say(f"error: {exc}")
        return 2
    sys.stdout.write(token + "\n")
    return 0


def _print_report(report: Any) -> int:
    from graph_api.rules.importer import ImportReport

    assert isinstance(report, ImportReport)
    if not report.ok:
        say(f"Refused: {len(report.problems)} problem(s); nothing was written.")
        for problem in report.problems:
            say(f"  {problem.path}: [{problem.code}] {problem.message}")
        return 1
    verb = "Would import" if report.dry_run else "Imported"
    say(f"{verb}:")
    for count in report.counts:
        if count.created or count.updated or count.unchanged:
            say(
                f"  {count.collection:<14} {count.created:>7} created {count.updated:>7} updated "
                f"{count.unchanged:>7} unchanged"
            )
    return 0


def _import(settings: Settings, document: Any, dry_run: bool) -> int:
    from graph_api.rules.importer import import_network

    started = time.monotonic()
    report = run_with_database(settings, lambda db: import_network(db, document, dry_run=dry_run, say=say))
    code = _print_report(report)
    if code == 0:
        say(f"Done in {time.monotonic() - started:.1f} s.")
    return code


def cmd_import(args: argparse.Namespace, settings: Settings) -> int:
    try:
        document = json.loads(Path(args.file).read_text())
    except (OSError, json.JSONDecodeError) as exc:
        say(f"Cannot read {args.file}: {exc}")
        return 2
    return _import(settings, document, args.dry_run)


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


def cmd_seed(args: argparse.Namespace, settings: Settings) -> int:
    connection_details(settings)  # fail before a long generation when no database is set up
    if args.synthetic:
        from seed.synthetic import generate

        say(f"Generating a synthetic network of {args.partners} partners (seed {args.seed}) ...")
        document = generate(args.partners, args.seed, progress=say)
    else:
        from seed.network import build_seed_document

        say("Loading the seed network ...")
        document = build_seed_document()
    return _import(settings, document, dry_run=False)


def cmd_recipients(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.output.recipients import render
    from graph_api.rules import recipients

    answer = run_with_database(settings, lambda db: recipients.recipients_of(db, args.product))
    sys.stdout.write(render(answer, args.format))
    return 0


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.api import schema

    text = schema.as_str() + "\n"
    if args.file:
        Path(args.file).write_text(text)
        say(f"Wrote the GraphQL schema to {args.file}")
    else:
        sys.stdout.write(text)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="isegraph",
        description="ISE Graph: who should receive what, and who is connected "
        "to whom, in the critical-infrastructure information-sharing environment.",
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    neo4j = commands.add_parser(
        "neo4j",
        help="start, stop or check the local Neo4j server",
        description="Manage the Neo4j Community server the project "
        "provisions from Maven Central (nothing when NEO4J_URI is set).",
    )
    neo4j.add_argument("action", choices=["start", "stop", "status"])
    neo4j.set_defaults(handler=cmd_neo4j)

    for name, handler, text in (
        ("serve", cmd_serve, "serve GraphQL (GraphiQL in development) on an existing database"),
        ("up", cmd_up, "start Neo4j, load the seed network, then serve GraphQL"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--host", help="listen address (default ISEGRAPH_HOST or 127.0.0.1)")
        sub.add_argument("--port", type=int, help="port (default ISEGRAPH_PORT or 8000)")
        sub.set_defaults(handler=handler)

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

    seed = commands.add_parser(
        "seed",
        help="load the seed network, or a synthetic one",
        description="Load the seed network of the source document; with "
        "--synthetic, a generated network of the given size instead.",
    )
    seed.add_argument("--synthetic", action="store_true", help="generate a synthetic network")
    seed.add_argument(
        "--partners", type=int, default=100_000, help="partners in the synthetic network (default 100000)"
    )
    seed.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    seed.set_defaults(handler=cmd_seed)

    tok = commands.add_parser(
        "token",
        help="mint a bearer token for development and tests",
        description="Mint an HS256 token signed with the configured secret (ISEGRAPH_JWT_SECRET, or "
        "the development secret kept in the state directory).",
    )
    tok.add_argument("--role", required=True, choices=["ADMIN", "ANALYST", "PARTNER"])
    tok.add_argument("--partner", help="the partner id a PARTNER token is bound to")
    tok.add_argument("--ttl", default="1h", help="lifetime: 90s, 15m, 1h, 2d (default 1h)")
    tok.set_defaults(handler=cmd_token)

    sdl = commands.add_parser(
        "schema",
        help="print the GraphQL schema (SDL)",
        description="Print the GraphQL schema; `isegraph schema schema.graphql` "
        "refreshes the copy kept in the repository.",
    )
    sdl.add_argument("file", nargs="?", help="where to write it (default: standard output)")
    sdl.set_defaults(handler=cmd_schema)

    rec = commands.add_parser(
        "recipients",
        help="the recipient list of an information product",
        description="Who should receive the product, why, and who was "
        "excluded. CSV has one row per recipient contact.",
    )
    rec.add_argument("product", help="the product id")
    rec.add_argument("--format", choices=["table", "csv", "json"], default="table")
    rec.set_defaults(handler=cmd_recipients)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # The driver logs every retry while a server starts or stops; our own messages say what matters.
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    args = build_parser().parse_args(argv)
    tune_garbage_collector()
    settings = load_settings()
    try:
        code: int = args.handler(args, settings)
    except (ProvisioningError, process.ServerError, DatabaseNotConfigured) as exc:
        say(f"error: {exc}")
        return 1
    except ServiceError as exc:
        say(f"error: [{exc.code}] {exc.message}")
        return 1
    return code
