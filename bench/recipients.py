"""Benchmark: the recipient list of a national CRITICAL product on the synthetic network.

    ./dev bench-recipients [--partners 100000] [--seed 1] [--runs 30]

Loads the synthetic network into a Neo4j of the benchmark's own (bench/.work/, Bolt port 7690)
once, then times, interleaved in one run: the same Cypher straight through the driver (the
floor), the service's domain call, and the GraphQL operation over HTTP (ASGI, in process).
Prints a table of p50/p99 and the ratios, and writes it to bench/RESULTS-recipients.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import platform
import statistics
import subprocess
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ISEGRAPH_STATE_DIR", str(HERE / ".work" / "state"))
os.environ.setdefault("ISEGRAPH_NEO4J_BOLT_PORT", "7690")

import httpx2 as httpx  # noqa: E402
from neo4j import RoutingControl  # noqa: E402

from graph_api.http.app import create_app  # noqa: E402
from graph_api.neo4j_server import process  # noqa: E402
from graph_api.rules import recipients  # noqa: E402
from graph_api.rules.importer import import_network  # noqa: E402
from graph_api.settings import load_settings  # noqa: E402
from graph_api.store.database import Database, open_driver  # noqa: E402
from graph_api.store.statements import statement  # noqa: E402
from graph_api.store.tuning import tune_garbage_collector  # noqa: E402

PRODUCT_ID = "bench-national-critical"
QUERY = """query($id: ID!) { recipients(productId: $id) {
  recipients { partner { id name } reasons { source ref } channels contacts { name email } }
  excluded { partner { id } reason } } }"""


def say(message: str) -> None:
    print(message, flush=True)


async def ensure_network(db: Database, partners: int, seed: int) -> str:
    count = (await db.driver.execute_query("MATCH (p:Partner) RETURN count(p) AS n"))[0][0]["n"]
    if count >= partners:
        return f"already loaded ({count} partners)"
    from seed.synthetic import generate

    started = time.monotonic()
    say(f"Generating and loading {partners} synthetic partners (seed {seed}) ...")
    report = await import_network(db, generate(partners, seed, progress=say), say=say)
    assert report.ok, report.problems[:5]
    return f"loaded in {time.monotonic() - started:.0f} s"


async def ensure_product(db: Database) -> None:
    sectors = [r["id"] for r in await db.read("export/sectors", ids=await _all(db, "Sector"))]
    topics = await _all(db, "Topic")
    product = {
        "id": PRODUCT_ID,
        "title": "National critical alert (benchmark)",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "CRITICAL",
        "tlp": "AMBER",
        "pcii": False,
        "sectors": sectors,
        "topics": topics,
        "regions": [],
        "addressedTo": [],
        "publishedAt": "2026-11-25T00:00:00Z",
        "illustrative": True,
    }
    report = await import_network(db, {"products": [product]})
    assert report.ok, report.problems


async def _all(db: Database, label: str) -> list[str]:
    query = {"Sector": "MATCH (n:Sector) RETURN n.id AS id", "Topic": "MATCH (n:Topic) RETURN n.id AS id"}
    records = (await db.driver.execute_query(query[label]))[0]
    return [r["id"] for r in records]


def percentile(samples: list[float], q: float) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


async def main(args: argparse.Namespace) -> None:
    tune_garbage_collector()
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # retries while a server starts
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, say)
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database, 120)
        await db.migrate()
        load_note = await ensure_network(db, args.partners, args.seed)
        await ensure_product(db)
        product = await recipients.load_product(db, PRODUCT_ID)
        params = recipients.parameters(product)

        async def raw() -> int:
            await driver.execute_query(
                statement("export/products"),
                ids=[PRODUCT_ID],
                database_=db.name,
                routing_=RoutingControl.READ,
            )
            records, _, _ = await driver.execute_query(
                statement("recipients/resolve"), params, database_=db.name, routing_=RoutingControl.READ
            )
            return len(records[0]["rows"])

        async def domain() -> int:
            answer = await recipients.recipients_of(db, PRODUCT_ID)
            return len(answer.recipients) + len(answer.excluded)

        app = create_app(settings)
        app.state.database = db
        client = httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench")

        async def graphql() -> int:
            response = await client.post("/graphql", json={"query": QUERY, "variables": {"id": PRODUCT_ID}})
            body = response.json()
            assert "errors" not in body, body["errors"]
            return len(body["data"]["recipients"]["recipients"]) + len(body["data"]["recipients"]["excluded"])

        ops: dict[str, Callable[[], Awaitable[int]]] = {
            "raw Cypher (driver)": raw,
            "service (domain call)": domain,
            "GraphQL over HTTP": graphql,
        }
        sizes = {name: await op() for name, op in ops.items()}  # warm-up, and the answers agree
        assert len(set(sizes.values())) == 1, sizes
        for _ in range(2):
            for op in ops.values():
                await op()
        samples: dict[str, list[float]] = {name: [] for name in ops}
        trips_before = db.round_trips
        for _ in range(args.runs):
            for name, op in ops.items():  # interleaved, so drift hits all alike
                started = time.perf_counter()
                await op()
                samples[name].append((time.perf_counter() - started) * 1000)
        trips = (db.round_trips - trips_before) / args.runs / 1  # domain call only uses `db`
        await client.aclose()
    report(args, samples, sizes, load_note, trips, settings.state_dir)


def report(
    args: argparse.Namespace,
    samples: dict[str, list[float]],
    sizes: dict[str, int],
    load_note: str,
    trips: float,
    state_dir: Path,
) -> None:
    floor = statistics.median(samples["raw Cypher (driver)"])
    lines = [
        "| path | p50 ms | p99 ms | mean ms | p50 ratio to raw Cypher |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, values in samples.items():
        p50 = statistics.median(values)
        lines.append(
            f"| {name} | {p50:.1f} | {percentile(values, 0.99):.1f} | "
            f"{statistics.fmean(values):.1f} | {p50 / floor:.2f} |"
        )
    store = subprocess.run(
        ["du", "-sh", str(state_dir / "neo4j" / "data")], capture_output=True, text=True, check=False
    ).stdout.split("\t")[0]
    header = [
        "# Recipient-list benchmark",
        "",
        f"National CRITICAL product (all sectors and topics, no regions) on the synthetic network of "
        f"{args.partners} partners (seed {args.seed}); network {load_note}; store {store}.",
        f"{sizes['raw Cypher (driver)']} candidates (recipients + exclusions) per answer; "
        f"{args.runs} interleaved runs after warm-up; Cypher round trips per service call: {trips:.0f}.",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
    ]
    text = "\n".join(header + lines) + "\n"
    print(text)
    (HERE / "RESULTS-recipients.md").write_text(text)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--partners", type=int, default=100_000, help="synthetic network size (default 100000)"
    )
    parser.add_argument("--seed", type=int, default=1, help="generator seed (default 1)")
    parser.add_argument("--runs", type=int, default=30, help="timed runs per path (default 30)")
    asyncio.run(main(parser.parse_args()))
