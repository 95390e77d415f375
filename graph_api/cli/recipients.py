"""`isegraph recipients`: a product's recipient list, as a table, CSV, NDJSON or JSON."""

from __future__ import annotations

import argparse
import sys

from graph_api.cli.common import Commands, run_with_database
from graph_api.settings import Settings
from graph_api.store.database import Database


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


def register(commands: Commands) -> None:
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
