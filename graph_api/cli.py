"""The `isegraph` command: run Neo4j and the service, load and export data, resolve recipients."""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

from graph_api.delivery.links import LinkKeyMissing
from graph_api.errors import ServiceError
from graph_api.neo4j_server import process
from graph_api.neo4j_server.jar_lock import LockError
from graph_api.neo4j_server.provision import ProvisioningError
from graph_api.observability.logs import configure_logging
from graph_api.settings import Settings, load_settings
from graph_api.store.database import Database, DatabaseNotConfigured, connection_details, open_driver
from graph_api.store.tuning import tune_garbage_collector

T = TypeVar("T")

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

Settings come from environment variables; the README lists every one.
"""


def say(message: str) -> None:
    print(message, flush=True)


def run_with_database(settings: Settings, work: Callable[[Database], Awaitable[T]]) -> T:
    async def main() -> T:
        async with open_driver(settings) as driver:
            db = Database.for_settings(driver, settings)
            await db.migrate()
            return await work(db)

    return asyncio.run(main())


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


def cmd_serve(args: argparse.Namespace, settings: Settings) -> int:
    import uvicorn

    host, port = args.host or settings.host, args.port or settings.port
    if args.host:
        # The app is built from the environment (in each worker process too): the address it listens
        # on decides the environment when ISEGRAPH_ENV is unset.
        os.environ["ISEGRAPH_HOST"] = host
    workers = args.workers or settings.workers
    access_log = args.access_log or settings.access_log
    say(
        f"GraphQL on http://{host}:{port}/graphql"
        + (" (GraphiQL in a browser)" if settings.development else "")
        + (f", {workers} worker processes" if workers > 1 else "")
    )
    # uvloop and httptools: uvicorn's fastest event loop and HTTP parser. Each worker builds the
    # app from the same environment; the access log costs a formatted line per request, so it
    # is written only when asked for. An idle connection stays open longer than the pools of
    # gateways and load balancers keep theirs, so none of them sends a request on a connection
    # the service is closing.
    # SIGTERM: uvicorn stops accepting connections, lets requests in flight finish within the grace
    # period and runs the app's shutdown (which closes the driver). It then raises the signal again
    # for the handler it found installed; a stop that went as asked is a success, exit status 0.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    uvicorn.run(
        "graph_api.http.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        loop="uvloop",
        http="httptools",
        access_log=access_log,
        timeout_keep_alive=settings.keep_alive_seconds,
        # X-Forwarded-For and -Proto only from the proxies configured, from nobody by default.
        proxy_headers=bool(settings.trusted_proxies),
        forwarded_allow_ips=",".join(settings.trusted_proxies) or None,
        timeout_graceful_shutdown=max(1, round(settings.shutdown_grace_seconds)),
        log_config=None,
        log_level="info",
    )
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
    say(
        f"Console: {base}/console/ (sign in with a token above"
        + (", or as any role: ISEGRAPH_ENV=development)" if settings.development_sign_in else ")")
    )
    if settings.development:
        # The fragment never reaches the server; GraphiQL puts the token in its default headers.
        say(f"GraphiQL as ANALYST: {base}/graphql#token={tokens[Role.ANALYST]}")
    # The delivery worker runs beside the service, in a process of its own, and stops with it.
    worker = subprocess.Popen([sys.executable, "-m", "graph_api", "worker"])
    say(f"Delivery worker started (pid {worker.pid}).")
    try:
        return cmd_serve(args, settings)
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker.kill()


def cmd_worker(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.delivery.worker import Worker
    from graph_api.feeds.poller import Poller

    async def work(db: Database) -> None:
        worker = Worker(db, settings)
        # Open-source feeds are fetched beside the deliveries, each at its polling interval.
        poller = Poller(db, settings.feeds)
        try:
            if args.once:
                fetched = await poller.poll()
                say(f"Feeds: {len(fetched.feeds)} fetched, {fetched.new} new item(s).")
                tally = await worker.drain()
                say(f"{tally.sent} sent, {tally.failed} failed (to retry), {tally.dead} dead.")
                return
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGINT, signal.SIGTERM):
                loop.add_signal_handler(signum, stop.set)
            await asyncio.gather(worker.run(stop), poller.run(stop))
            say("Delivery worker stopped.")
        finally:
            await poller.close()
            await worker.close()

    run_with_database(settings, work)
    return 0


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
    code = _import(settings, document, dry_run=False)
    if code == 0 and not args.synthetic:
        from graph_api.rules.reports import load_seed_reports
        from seed.reports import SEED_REPORTS

        added = run_with_database(settings, lambda db: load_seed_reports(db, list(SEED_REPORTS)))
        say(f"Illustrative reports: {added} submitted, {len(SEED_REPORTS) - added} there already.")
    return code


def cmd_digest(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.delivery.digest import queue_digests
    from graph_api.delivery.worker import Worker

    async def work(db: Database) -> int:
        report = await queue_digests(db, args.date, "isegraph digest")
        say(
            f"Digests of {report.day}: {report.messages_queued} new message(s) for {report.partners} "
            f"partner(s) listing {report.products} product(s)"
            + ("." if report.messages_queued else " (queued before: nothing new).")
        )
        worker = Worker(db, settings)
        try:
            if not worker.channels:
                say(
                    "No ISEGRAPH_SMTP_HOST: the messages wait in the outbox for a worker that can send email."
                )
                return 0
            tally = await worker.drain()
            say(f"{tally.sent} sent, {tally.failed} failed (to retry), {tally.dead} dead.")
        finally:
            await worker.close()
        return 0

    return run_with_database(settings, work)


def cmd_recipients(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.output import recipients as output
    from graph_api.rules import recipients

    async def write(db: Database) -> None:
        product = await recipients.load_product(db, args.product)
        if args.format == "json":
            sys.stdout.write(output.render(await recipients.resolve(db, product)))
            return
        # Written as the rows arrive: a national list starts at once and is never held whole.
        async for text in output.streamed(product, recipients.stream_rows(db, product), args.format):
            sys.stdout.write(text)
        sys.stdout.flush()

    run_with_database(settings, write)
    return 0


def cmd_backup(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.neo4j_server.backup import backup

    backup(settings, Path(args.file), say)
    return 0


def cmd_restore(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.neo4j_server.backup import restore

    restore(settings, Path(args.file), args.force, say)
    return 0


def cmd_audit(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.rules.audit import verify_chain

    say("Verifying the audit trail's hash chain ...")
    report = run_with_database(settings, verify_chain)
    if report.unchained:
        say(f"  {report.unchained} records predate the chain and cannot be verified.")
    if report.intact:
        say(f"Audit trail intact: {report.records} chained records, every link and hash matches.")
        return 0
    record = report.broken_at
    if record is None:
        say(f"Audit trail ALTERED: {report.reason}.")
    else:
        say(
            f"Audit trail ALTERED at record {record['id']} (sequence {record['sequence']}, "
            f"{record['operation']} by {record['actor']}): {report.reason}."
        )
    return 1


def cmd_taxii(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api import domain
    from graph_api.taxii.pull import Bounds, Credentials, collection_url, fetch, import_pulled

    credentials = Credentials(
        user=args.user or settings.taxii_pull_user,
        password=settings.taxii_pull_password,
        token=settings.taxii_pull_token,
    )
    started = time.monotonic()
    say(f"Reading collection {args.collection} of {args.url} ...")
    bounds = Bounds(settings.taxii_pull_max_pages, settings.taxii_pull_max_bytes)
    pulled = fetch(args.url, args.collection, args.since, credentials, say, bounds)
    report, conversion = run_with_database(
        settings,
        lambda db: import_pulled(
            db,
            pulled,
            origin=domain.taxii_origin(collection_url(args.url, args.collection)),
            issuer=args.issuer,
            dry_run=args.dry_run,
            say=say,
        ),
    )
    code = _print_report(report)
    if code == 0:
        if conversion.without_author:
            say(
                f"{conversion.without_author} report(s) name an author that is not an ISE Graph partner; "
                "they have no issuer (name one with --issuer)."
            )
        say(f"Done in {time.monotonic() - started:.1f} s.")
    return code


def cmd_schema(args: argparse.Namespace, settings: Settings) -> int:
    from graph_api.api import schema

    text = schema.as_str() + "\n"
    if args.file:
        Path(args.file).write_text(text)
        say(f"Wrote the GraphQL schema to {args.file}")
    else:
        sys.stdout.write(text)
    return 0


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a day: write it as YYYY-MM-DD") from None


def _at_least_one(text: str) -> int:
    try:
        value = int(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(f"a whole number is needed, not {text!r}") from exc
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1, not {value}")
    return value


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
    neo4j.add_argument(
        "action",
        choices=["start", "stop", "status", "upgrade"],
        help="upgrade: resolve the newest release in the lock's version range (or --range) with "
        "Maven and rewrite the jar lock the first download uses",
    )
    neo4j.add_argument("--range", help="with upgrade: a Maven version range, e.g. '[5.26.0,5.27.0)'")
    neo4j.set_defaults(handler=cmd_neo4j)

    for name, handler, text in (
        ("serve", cmd_serve, "serve GraphQL (GraphiQL in development) on an existing database"),
        ("up", cmd_up, "start Neo4j, load the seed network, then serve GraphQL"),
    ):
        sub = commands.add_parser(name, help=text, description=text)
        sub.add_argument("--host", help="listen address (default ISEGRAPH_HOST or 127.0.0.1)")
        sub.add_argument("--port", type=int, help="port (default ISEGRAPH_PORT or 8000)")
        sub.add_argument(
            "--workers",
            type=_at_least_one,
            metavar="N",
            help="worker processes sharing the port (default ISEGRAPH_WORKERS or 1); "
            "each keeps its own caches and database connections",
        )
        sub.add_argument(
            "--access-log",
            action="store_true",
            help="log one line per request (default ISEGRAPH_ACCESS_LOG or off)",
        )
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

    audit = commands.add_parser(
        "audit",
        help="verify that the audit trail was not altered",
        description="Walk the audit trail's hash chain and name the first record that does not "
        "match (altered, removed or inserted directly in the database). Exit status 1 if one is found.",
    )
    audit.add_argument("action", choices=["verify"])
    audit.set_defaults(handler=cmd_audit)

    sdl = commands.add_parser(
        "schema",
        help="print the GraphQL schema (SDL)",
        description="Print the GraphQL schema; `isegraph schema schema.graphql` "
        "refreshes the copy kept in the repository.",
    )
    sdl.add_argument("file", nargs="?", help="where to write it (default: standard output)")
    sdl.set_defaults(handler=cmd_schema)

    taxii = commands.add_parser(
        "taxii",
        help="exchange products with other TAXII 2.1 servers",
        description="Read reports from another TAXII 2.1 server and import them as information "
        "products, through the import's own validation (all or nothing, idempotent).",
    )
    taxii_commands = taxii.add_subparsers(dest="taxii_command", required=True, metavar="ACTION")
    pull = taxii_commands.add_parser(
        "pull",
        help="import the reports of a collection of another TAXII 2.1 server",
        description="Import the STIX 2.1 reports of one collection as information products. "
        "TLP markings map by their ids, TLP 2.0 and TLP 1.0 alike; a report with no TLP marking "
        "is refused. A report without level or severity labels gets SITUATIONAL and MODERATE. "
        "Credentials: --user with ISEGRAPH_TAXII_PULL_PASSWORD (HTTP Basic), or "
        "ISEGRAPH_TAXII_PULL_TOKEN (a bearer token). A pull reads at most "
        "ISEGRAPH_TAXII_PULL_MAX_PAGES pages (default 1000) and ISEGRAPH_TAXII_PULL_MAX_BYTES bytes "
        "(default 256 MiB); past either it stops and imports nothing.",
        epilog="example:\n  ISEGRAPH_TAXII_PULL_PASSWORD=... isegraph taxii pull "
        "https://taxii.example.org/api1/ --collection 91a7b528-80eb-42ed-a74d-c6fbd5a26116 "
        "--user isac --since 2026-11-01T00:00:00Z",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    pull.add_argument("url", help="the API root of the other server, e.g. https://taxii.example.org/api1/")
    pull.add_argument("--collection", required=True, help="the collection id")
    pull.add_argument("--since", help="only objects added after this time, e.g. 2026-11-01T00:00:00Z")
    pull.add_argument("--user", help="user name for HTTP Basic (default ISEGRAPH_TAXII_PULL_USER)")
    pull.add_argument("--issuer", help="the partner recorded as issuer of reports whose author is not ours")
    pull.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
    pull.set_defaults(handler=cmd_taxii)

    rec = commands.add_parser(
        "recipients",
        help="the recipient list of an information product",
        description="Who should receive the product, why, and who was "
        "excluded. CSV has one row per recipient contact.",
    )
    rec.add_argument("product", help="the product id")
    rec.add_argument(
        "--format",
        choices=["table", "csv", "ndjson", "json"],
        default="table",
        help="table (default), csv and ndjson are written as the list is resolved; json is one document",
    )
    rec.set_defaults(handler=cmd_recipients)

    work = commands.add_parser(
        "worker",
        help="send queued messages (email, HSIN) with retries",
        description="Claim due EMAIL and HSIN messages with a lease in Neo4j, send them, and record "
        "SENT, or FAILED with the next attempt time, or DEAD after the last attempt. Several workers "
        "may run at once. The ISEGRAPH_SMTP_* and ISEGRAPH_HSIN_* settings say where to send; a "
        "channel without settings is left for a worker that has them. Beside that, it fetches the "
        "configured open-source feeds, each when its polling interval has run out (ISEGRAPH_FEEDS_*).",
    )
    work.add_argument(
        "--once", action="store_true", help="fetch the feeds that are due and send what is due now, then exit"
    )
    work.set_defaults(handler=cmd_worker)

    dig = commands.add_parser(
        "digest",
        help="send one day's daily digests by hand",
        description="Queue the digests of a day (UTC): one email per contact of each partner that "
        "subscribes to sectors with DAILY_DIGEST delivery, listing that day's TLP:CLEAR and "
        "TLP:GREEN products of those sectors, each once; then send what is due. Running it again "
        "for the same day sends nothing new. The worker does this by itself for the previous day "
        "after ISEGRAPH_DIGEST_HOUR (UTC).",
    )
    dig.add_argument(
        "--date", type=_day, required=True, help="the day, YYYY-MM-DD (UTC); e.g. --date 2026-11-25"
    )
    dig.set_defaults(handler=cmd_digest)
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
