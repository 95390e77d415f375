"""`isegraph worker` and `isegraph digest`: send queued messages, fetch feeds, send digests."""

from __future__ import annotations

import argparse
import asyncio
import signal

from graph_api.cli.common import Commands, day, run_with_database, say
from graph_api.settings import Settings
from graph_api.store.database import Database


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


def register(commands: Commands) -> None:
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
        "--date", type=day, required=True, help="the day, YYYY-MM-DD (UTC); e.g. --date 2026-11-25"
    )
    dig.set_defaults(handler=cmd_digest)
