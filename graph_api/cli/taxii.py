"""`isegraph taxii pull`: import the reports of another TAXII 2.1 server's collection."""

from __future__ import annotations

import argparse
import time

from graph_api.cli.common import Commands, print_report, run_with_database, say
from graph_api.settings import Settings


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
    code = print_report(report)
    if code == 0:
        if conversion.without_author:
            say(
                f"{conversion.without_author} report(s) name an author that is not an ISE Graph partner; "
                "they have no issuer (name one with --issuer)."
            )
        say(f"Done in {time.monotonic() - started:.1f} s.")
    return code


def register(commands: Commands) -> None:
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
