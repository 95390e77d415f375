"""Benchmark: does one heavy request hold up everyone else?

    ./dev bench-stalls [--partners 10000] [--seed 1] [--port 8770] [--out bench/RESULTS-stalls.md]

While each heavy request runs, a probe sends `{ __typename }` every 100 ms on a connection of its
own; the worst probe latency during the request is the stall others would have seen (target
≤ 50 ms). The heavy requests: a 4 MB search variable, a 20 MB import dry run, a national
recipient list over GraphQL, its CSV download, `impactOf` of a membership edit over 200 products,
and a recipient list that loads the recipient index whole (after an import changed a region).
The service runs as `isegraph serve` (one worker) against the local Neo4j, on the synthetic
network of `--partners` partners (bench/recipients.py builds it and its products).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import os
import platform
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx2 as httpx

from bench import servers
from bench.operations import RECIPIENTS_ISEGRAPH
from bench.recipients import (
    IMPACT_AFTER,
    IMPACT_BEFORE,
    PRODUCT_ID,
    REGIONAL_ID,
    ensure_network,
    ensure_product,
)
from graph_api.identity import Role, mint_token
from graph_api.neo4j_server import process
from graph_api.settings import load_settings
from graph_api.store.database import Database, open_driver

HERE = Path(__file__).resolve().parent
TARGET_MS = 50.0
PROBE_EVERY_SECONDS = 0.1
MIN_WINDOW_SECONDS = 1.0
SEARCH = "query($t: String!) { search(text: $t) { totalCount } }"
IMPORT = "mutation($d: JSON!, $dry: Boolean) { importNetwork(document: $d, dryRun: $dry) { ok } }"
IMPACT = """query($edit: ProposedEdit!, $after: DateTime, $before: DateTime) {
  impactOf(edit: $edit, publishedAfter: $after, publishedBefore: $before) {
    considered products { product { id } } } }"""
REGION = 'query { region(id: "ca") { id name kind parent { id } } }'


def say(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


class Probe:
    """`{ __typename }` every 100 ms while a heavy request runs, from a thread and a connection of
    its own (so that the benchmark's own event loop, busy with the heavy request, delays no probe);
    its latencies, in ms."""

    def __init__(self, url: str, headers: dict[str, str]) -> None:
        self.url = url
        self.headers = headers
        self.latencies: list[float] = []
        self.stop = threading.Event()

    def run(self) -> None:
        with httpx.Client(headers=self.headers, timeout=600) as client:
            while not self.stop.is_set():
                began = time.perf_counter()
                response = client.post(self.url, json={"query": "{ __typename }"})
                assert response.json()["data"] == {"__typename": "Query"}, response.text
                self.latencies.append((time.perf_counter() - began) * 1000)
                self.stop.wait(max(0.0, PROBE_EVERY_SECONDS - (time.perf_counter() - began)))


async def while_running(
    heavy: Callable[[], Awaitable[str]], url: str, headers: dict[str, str]
) -> dict[str, Any]:
    probe = Probe(f"{url}/graphql", headers)
    probing = threading.Thread(target=probe.run)
    probing.start()
    await asyncio.sleep(0.3)  # a few probes first, so that the heavy request starts on a warm probe
    before = len(probe.latencies)
    began = time.perf_counter()
    outcome = await heavy()
    seconds = time.perf_counter() - began
    # A request answered in less than a second is sent again until a second has passed, so that
    # several probes overlap it.
    times = 1
    while time.perf_counter() - began < MIN_WINDOW_SECONDS:
        await heavy()
        times += 1
    if times > 1:
        outcome = f"{outcome} (sent {times} times in a row)"
    probe.stop.set()
    await asyncio.to_thread(probing.join)
    during = probe.latencies[before:]
    return {"outcome": outcome, "seconds": seconds, "probes": during}


async def stalls(args: argparse.Namespace) -> int:
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, say)
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database, 600)
        await db.migrate()
        network = await ensure_network(db, args.partners, args.seed)
        say(f"Synthetic network: {network}")
        await ensure_product(db)
        council, partner = (
            await driver.execute_query(
                "MATCH (:Requirement)-[:AUDIENCE]->(c:Council) WITH c ORDER BY c.id LIMIT 1 "
                "MATCH (p:Partner) WHERE NOT (p)-[:MEMBER_OF]->(c) AND p.active "
                "RETURN c.id AS council, p.id AS partner ORDER BY p.id LIMIT 1",
                database_=db.name,
            )
        )[0][0].values()
    from seed.synthetic import generate

    say("Generating the import document (about 20 MB) ...")
    document = generate(args.import_partners, args.seed + 1)
    import_body = json.dumps({"query": IMPORT, "variables": {"d": document, "dry": True}}).encode()
    search_body = json.dumps({"query": SEARCH, "variables": {"t": "grid " * (4 * 1024 * 1024 // 5)}}).encode()
    env = {**servers.isegraph_env(settings), "ISEGRAPH_RECIPIENT_INDEX_RELOAD_SECONDS": "0"}
    bearer = mint_token(settings, Role.ADMIN, ttl_seconds=86400)
    headers = {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"}
    url = f"http://127.0.0.1:{args.port}"
    results: dict[str, dict[str, Any]] = {}
    with servers.running(
        "ISE Graph",
        servers.isegraph_command(args.port),
        env,
        f"{url}/graphql",
        HERE / ".work" / "logs" / "stalls.log",
        say,
    ):
        async with httpx.AsyncClient(base_url=url, timeout=600, headers=headers) as heavy_client:

            async def post(body: bytes) -> str:
                response = await heavy_client.post("/graphql", content=body)
                return f"HTTP {response.status_code}, {len(response.content)} bytes"

            async def graphql(query: str, **variables: Any) -> str:
                return await post(json.dumps({"query": query, "variables": variables}).encode())

            async def csv() -> str:
                rows = 0
                async with heavy_client.stream("GET", f"/recipients/{PRODUCT_ID}.csv") as response:
                    async for chunk in response.aiter_bytes():
                        rows += chunk.count(b"\n")
                return f"HTTP {response.status_code}, {rows} lines"

            async def index_reload() -> str:
                region = json.loads((await heavy_client.post("/graphql", json={"query": REGION})).content)
                ca = region["data"]["region"]
                renamed = ca["name"].removesuffix(" ·") if ca["name"].endswith(" ·") else ca["name"] + " ·"
                change = {
                    "id": "ca",
                    "name": renamed,
                    "kind": ca["kind"],
                    "parent": (ca["parent"] or {}).get("id"),
                }
                await heavy_client.post(
                    "/graphql", json={"query": IMPORT, "variables": {"d": {"regions": [change]}}}
                )
                return await graphql(RECIPIENTS_ISEGRAPH, id=REGIONAL_ID)

            edit = {"addMembership": {"partner": partner, "council": council, "role": "MEMBER"}}
            cases: list[tuple[str, Callable[[], Awaitable[str]]]] = [
                (f"4 MB search variable ({len(search_body) / 1e6:.1f} MB body)", lambda: post(search_body)),
                (f"import dry run ({len(import_body) / 1e6:.1f} MB body)", lambda: post(import_body)),
                ("national recipient list (GraphQL)", lambda: graphql(RECIPIENTS_ISEGRAPH, id=PRODUCT_ID)),
                ("national recipient list (CSV)", csv),
                (
                    "impactOf (200 products)",
                    lambda: graphql(IMPACT, edit=edit, after=IMPACT_AFTER, before=IMPACT_BEFORE),
                ),
                ("index reload (whole, then a regional list)", index_reload),
            ]
            # Untimed: each heavy request once, so that plans and caches are warm as in service.
            for name, heavy in cases:
                say(f"warming: {name} ... {await heavy()}")

            async def nothing() -> str:
                await asyncio.sleep(3)
                return "-"

            # The probe alone first: what this machine gives a `{ __typename }` with nothing else.
            cases.insert(0, ("nothing (the probe alone, 3 s)", nothing))
            for name, heavy in cases:
                results[name] = await while_running(heavy, url, headers)
                worst = max(results[name]["probes"], default=float("nan"))
                took = results[name]["seconds"]
                say(f"{name}: {results[name]['outcome']} in {took:.2f} s; worst probe {worst:.0f} ms")
    text = report(args, network, results)
    Path(args.out).write_text(text)
    print("\n" + text)
    return 0


def report(args: argparse.Namespace, network: str, results: dict[str, dict[str, Any]]) -> str:
    lines = [
        "# Stalls: the worst `{ __typename }` latency while a heavy request runs",
        "",
        f"Run {datetime.now(UTC):%Y-%m-%d %H:%M} UTC by "
        f"`./dev bench-stalls --partners {args.partners}` "
        f"on {platform.node()} ({os.cpu_count()} cores, {platform.python_version()}); synthetic network of "
        f"{args.partners} partners ({network}); one service worker. A probe sends `{{ __typename }}` every "
        f"100 ms on its own connection; the figures are its latencies while the heavy request ran. "
        f"Target: worst ≤ {TARGET_MS:.0f} ms.",
        "",
        "| heavy request | answer | took (s) | probes | probe p50 (ms) | worst probe (ms) | target |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, result in results.items():
        probes = result["probes"]
        if not probes:
            lines.append(
                f"| {name} | {result['outcome']} | {result['seconds']:.2f} | 0 | - | - | not measured |"
            )
            continue
        worst = max(probes)
        verdict = "met" if worst <= TARGET_MS else "**missed**"
        lines.append(
            f"| {name} | {result['outcome']} | {result['seconds']:.2f} | {len(probes)} | "
            f"{statistics.median(probes):.1f} | {worst:.1f} | {verdict} |"
        )
    return "\n".join(lines) + "\n"


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="./dev bench-stalls", description=__doc__.split("\n\n")[0])
    parser.add_argument("--partners", type=int, default=10_000, help="synthetic network size (default 10000)")
    parser.add_argument(
        "--import-partners",
        type=int,
        default=34_000,
        help="partners of the import document (34000: about 20 MB)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8770)
    parser.add_argument("--out", default=str(HERE / "RESULTS-stalls.md"))
    return parser.parse_args(argv)


def main() -> int:
    return asyncio.run(stalls(parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
