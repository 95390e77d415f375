"""Benchmark: a fusion center's onward list on the synthetic network.

    .venv/bin/python -m bench.onward [--partners 100000] [--seed 1] [--runs 20] [--fusion-center fc-ca]

Loads the synthetic network as bench/recipients.py does (its own Neo4j and state directory, the
same network), adds a nationwide TLP:CLEAR product every partner may see, starts the service as a
process of its own, and times `onwardRecipients` over GraphQL for the fusion center of a large
state: the summary and the first page of 100 recipients, and the whole list. Every case has
untimed calls first. Writes the table to bench/RESULTS-onward.md.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import statistics
from datetime import datetime
from pathlib import Path
from typing import Any

from bench.recipients import ensure_network, percentile, say, start_service, timed
from graph_api.neo4j_server import process
from graph_api.rules.importer import import_network
from graph_api.settings import load_settings
from graph_api.store.database import Database, open_driver
from graph_api.store.tuning import tune_garbage_collector

HERE = Path(__file__).resolve().parent
PRODUCT_ID = "bench-onward-clear"
TARGET_MS = 100.0
WARMUP = 5
FIRST_PAGE = """query($id: ID!, $fc: ID!) { onwardRecipients(productId: $id, fusionCenter: $fc) {
  summary { recipients contacts excluded byReasonSource { source count } byExclusionReason { reason count } }
  recipientsConnection(first: 100) { totalCount pageInfo { endCursor hasNextPage }
    edges { node { partner { id name } reasons { source ref } channels contacts { name email } } } } } }"""
WHOLE_LIST = """query($id: ID!, $fc: ID!) { onwardRecipients(productId: $id, fusionCenter: $fc) {
  recipients { partner { id name } reasons { source ref } channels contacts { name email } }
  excluded { partner { id } reason } } }"""


async def ensure_product(db: Database) -> None:
    sectors = [r["id"] for r in await db.read_text("MATCH (s:Sector) RETURN s.id AS id")]
    topics = [r["id"] for r in await db.read_text("MATCH (t:Topic) RETURN t.id AS id")]
    product = {
        "id": PRODUCT_ID,
        "title": "Nationwide advisory (onward benchmark)",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "CRITICAL",
        "tlp": "CLEAR",
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


async def main(args: argparse.Namespace) -> None:
    tune_garbage_collector()
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, say)
    import httpx2 as httpx

    figures: dict[str, Any] = {"load": os.getloadavg()}
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database, 3600)
        await db.migrate()
        figures["load_note"] = await ensure_network(db, args.partners, args.seed)
        await ensure_product(db)
        port = args.port or 8750
        service = start_service(port)
        client = httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", timeout=3600)

        async def onward(query: str) -> Any:
            variables = {"id": PRODUCT_ID, "fc": args.fusion_center}
            body = (await client.post("/graphql", json={"query": query, "variables": variables})).json()
            assert "errors" not in body, body["errors"]
            return body["data"]["onwardRecipients"]

        async def first_page() -> int:
            answer = await onward(FIRST_PAGE)
            summary = answer["summary"]
            figures["sizes"] = (summary["recipients"], summary["excluded"])
            return int(summary["recipients"]) + int(summary["excluded"])

        async def whole_list() -> int:
            answer = await onward(WHOLE_LIST)
            return len(answer["recipients"]) + len(answer["excluded"])

        try:
            figures["first_page"] = await timed(first_page, args.runs, "first page + summary", WARMUP)
            figures["whole_list"] = await timed(whole_list, max(5, args.runs // 4), "whole list", 1)
        finally:
            await client.aclose()
            service.terminate()
            service.wait(timeout=30)
    report(args, figures)


def report(args: argparse.Namespace, figures: dict[str, Any]) -> None:
    rows = []
    for name, key in (("summary + first page of 100", "first_page"), ("whole list", "whole_list")):
        samples, size = figures[key]
        p50 = statistics.median(samples)
        verdict = ""
        if key == "first_page":
            verdict = f"≤ {TARGET_MS:.0f} ms: {'met' if p50 <= TARGET_MS else 'MISSED'}"
        rows.append(
            f"| {name} | {p50:.1f} | {percentile(samples, 0.99):.1f} | {len(samples)} | {size} | {verdict} |"
        )
    recipients, excluded = figures["sizes"]
    text = "\n".join(
        [
            "# Onward lists: a fusion center's list on the synthetic network",
            "",
            f"Run {datetime.now().strftime('%Y-%m-%d %H:%M')} UTC on {os.cpu_count()} cores; load average at "
            f"the start {figures['load'][0]:.1f}. Network: {args.partners} partners (seed {args.seed}), "
            f"{figures['load_note']}. Fusion center `{args.fusion_center}`, product `{PRODUCT_ID}` "
            f"(TLP:CLEAR, every sector and topic, no regions): {recipients} recipients and {excluded} "
            "exclusions on its onward list. `onwardRecipients` over GraphQL (loopback HTTP, the service "
            "in a process of its own, authentication off), untimed calls first.",
            "",
            "| case | p50 ms | p99 ms | runs | entries | target |",
            "|---|---|---|---|---|---|",
            *rows,
            "",
        ]
    )
    (HERE / "RESULTS-onward.md").write_text(text)
    say(text)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--partners", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--fusion-center", default="fc-ca")
    return parser.parse_args()


if __name__ == "__main__":
    asyncio.run(main(parse_args()))
