"""Benchmark: from `disseminate` to the last email received, with one delivery worker and with two.

    ./dev bench-delivery [--recipients 1000] [--runs 3] [--workers 1,2]

Uses a Neo4j of the benchmark's own (bench/.work/delivery/, Bolt port 7705), a real SMTP server
(aiosmtpd) on loopback in this process, and `isegraph worker` processes. Each run disseminates a
fresh TLP:GREEN product addressed to partners whose contacts have email only (one message each),
and times from just before the `disseminate` call until the SMTP server has received every
message; it checks that each Message-ID arrived exactly once. Runs with one and with two workers
alternate. Prints a table and writes it to bench/RESULTS-delivery.md.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import statistics
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ISEGRAPH_STATE_DIR", str(HERE / ".work" / "delivery"))
os.environ.setdefault("ISEGRAPH_NEO4J_BOLT_PORT", "7705")

from graph_api.neo4j_server import process  # noqa: E402
from graph_api.rules.dissemination import disseminate  # noqa: E402
from graph_api.rules.importer import import_network  # noqa: E402
from graph_api.settings import load_settings  # noqa: E402
from graph_api.store.database import Database, open_driver  # noqa: E402
from tests.integration.peers import MailServer  # noqa: E402

CONTACTS_PER_PARTNER = 10
POLL_SECONDS = "0.2"


def say(message: str) -> None:
    print(message, flush=True)


def network(recipients: int) -> dict[str, object]:
    partners = max(1, recipients // CONTACTS_PER_PARTNER)
    return {
        "regions": [{"id": "bench-region", "name": "Benchmark region", "kind": "OTHER"}],
        "partners": [
            {"id": f"bench-p{i:04d}", "name": f"Benchmark partner {i:04d}", "kind": "LOCAL"}
            for i in range(partners)
        ],
        "contacts": [
            {
                "id": f"bench-c{i:05d}",
                "partner": f"bench-p{i // CONTACTS_PER_PARTNER:04d}",
                "name": f"Benchmark contact {i:05d}",
                "email": f"contact{i:05d}@bench.example.org",
                "channels": ["EMAIL"],
            }
            for i in range(recipients)
        ],
    }


def product(product_id: str, partners: list[str]) -> dict[str, object]:
    return {
        "id": product_id,
        "title": "Benchmark advisory",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "HIGH",
        "tlp": "GREEN",
        "summary": "A benchmark product.",
        "regions": ["bench-region"],
        "addressedTo": partners,
        "publishedAt": "2026-11-25T00:00:00Z",
    }


def start_workers(count: int, mail: MailServer, concurrency: int) -> list[subprocess.Popen[bytes]]:
    env = {
        **os.environ,
        "ISEGRAPH_SMTP_HOST": "127.0.0.1",
        "ISEGRAPH_SMTP_PORT": str(mail.port),
        "ISEGRAPH_SMTP_TLS": "none",
        "ISEGRAPH_DELIVERY_POLL_SECONDS": POLL_SECONDS,
        "ISEGRAPH_DELIVERY_CONCURRENCY": str(concurrency),
    }
    log = (HERE / ".work" / "delivery-workers.log").open("ab")
    return [
        subprocess.Popen([sys.executable, "-m", "graph_api", "worker"], env=env, stdout=log, stderr=log)
        for _ in range(count)
    ]


def stop_workers(workers: list[subprocess.Popen[bytes]]) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=60)


async def one_run(
    db: Database, mail: MailServer, run: str, workers: int, args: argparse.Namespace
) -> dict[str, float]:
    partners = [f"bench-p{i:04d}" for i in range(max(1, args.recipients // CONTACTS_PER_PARTNER))]
    product_id = f"bench-delivery-{run}"
    report = await import_network(db, {"products": [product(product_id, partners)]})
    assert report.ok, report.problems[:3]
    running = start_workers(workers, mail, args.concurrency)
    try:
        await asyncio.sleep(3.0)  # the workers are up and idle, polling
        started = time.monotonic()
        answer = await disseminate(db, product_id, "bench")
        queued_after = time.monotonic() - started
        assert answer.messages_queued == args.recipients, answer.messages_queued
        while len({m["Message-ID"] for m in mail.received(product_id)}) < args.recipients:
            if time.monotonic() - started > args.timeout:
                raise SystemExit(f"run {run}: not all messages arrived within {args.timeout} s")
            await asyncio.sleep(0.01)
        total = time.monotonic() - started
        await asyncio.sleep(1.0)  # a message sent twice would arrive by now
    finally:
        stop_workers(running)
    counted = Counter(m["Message-ID"] for m in mail.received(product_id))
    assert len(counted) == args.recipients and set(counted.values()) == {1}, "a message arrived twice"
    return {"disseminate": queued_after, "total": total, "rate": args.recipients / total}


async def main(args: argparse.Namespace) -> None:
    settings = load_settings()
    process.start(settings, say)
    mail = MailServer()
    mail.start()
    results: dict[int, list[dict[str, float]]] = {w: [] for w in args.workers}
    try:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database, 600)
            await db.migrate()
            report = await import_network(db, network(args.recipients))
            assert report.ok, report.problems[:3]
            stamp = time.strftime("%Y%m%d%H%M%S")
            for run in range(args.runs):
                for workers in args.workers:
                    figures = await one_run(db, mail, f"{stamp}-{run}-{workers}", workers, args)
                    results[workers].append(figures)
                    say(
                        f"run {run + 1}, {workers} worker(s): {figures['total']:.2f} s to the last email "
                        f"({figures['rate']:.0f} emails/s; disseminate {figures['disseminate']:.2f} s)"
                    )
    finally:
        mail.stop()
    write_results(args, results)


def write_results(args: argparse.Namespace, results: dict[int, list[dict[str, float]]]) -> None:
    rows = []
    for workers, runs in results.items():
        totals = [r["total"] for r in runs]
        rows.append(
            f"| {workers} | {args.concurrency} | {statistics.median(totals):.2f} s | {min(totals):.2f} s | "
            f"{max(totals):.2f} s | {args.recipients / statistics.median(totals):.0f} | "
            f"{statistics.median(r['disseminate'] for r in runs):.2f} s |"
        )
    load = os.getloadavg()
    text = "\n".join(
        [
            "# Delivery benchmark",
            "",
            f"`./dev bench-delivery --recipients {args.recipients} --runs {args.runs} "
            f"--workers {','.join(map(str, args.workers))}` on {platform.node()} "
            f"({os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}), "
            f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
            "",
            f"Each run disseminates a fresh TLP:GREEN product to {args.recipients} email contacts "
            f"({args.recipients // CONTACTS_PER_PARTNER} partners, {CONTACTS_PER_PARTNER} each) "
            "and times from just before `disseminate` until a real SMTP server (aiosmtpd on "
            "loopback) has received every message; each Message-ID arrived exactly once in every "
            "run. Workers are `isegraph worker` processes, started idle before the call, polling "
            f"every {POLL_SECONDS} s; each sends {args.concurrency} messages at once and marks "
            "each SENT in Neo4j right after it went out.",
            "",
            "| workers | per-worker concurrency | to the last email (median) | best | worst | emails/s | "
            "disseminate call (median) |",
            "|---:|---:|---:|---:|---:|---:|---:|",
            *rows,
            "",
            f"Load average when the run ended: {load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f} "
            "(1 / 5 / 15 min); other work was running on the machine at the same time.",
            "",
        ]
    )
    Path(args.out).write_text(text)
    say(text)


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--recipients", type=int, default=1000, help="email recipients (default 1000)")
    parser.add_argument("--runs", type=int, default=3, help="runs per worker count (default 3)")
    parser.add_argument(
        "--workers", type=lambda s: [int(x) for x in s.split(",")], default=[1, 2], help="default 1,2"
    )
    parser.add_argument(
        "--concurrency", type=int, default=4, help="messages a worker sends at once (default 4)"
    )
    parser.add_argument("--timeout", type=float, default=900, help="seconds a run may take (default 900)")
    parser.add_argument("--out", default=str(HERE / "RESULTS-delivery.md"))
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse()))
