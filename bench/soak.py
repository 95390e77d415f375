"""The soak: the service under steady mixed load for a long while, watched minute by minute.

    flock /tmp/isegraph-bench.lock ./dev soak [--minutes 10] [--concurrency 32] [--partners 100000]

Workers send a mix of the benchmark's reads (partner pages, councils, products, search), recipient
lists and edits (a partner renamed and renamed back, read first for its version). Every answer is
checked: an HTTP status other than 200 or any GraphQL error counts as an error. Each minute records
the latency percentiles, the service's resident memory and Neo4j's heap in use; the table is
written to bench/RESULTS-soak.md.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import logging
import os
import platform
import random
import statistics
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx2 as httpx

from bench import operations, servers
from bench.recipients import ensure_network, ensure_product
from graph_api.identity import Role, mint_token
from graph_api.neo4j_server import process
from graph_api.settings import load_settings
from graph_api.store.database import Database, open_driver
from graph_api.store.tuning import tune_garbage_collector

HERE = Path(__file__).resolve().parent
PORT = 8791
SUFFIX = " (soak)"
EDIT_SHARE = 0.10
RECIPIENTS_SHARE = 0.05
READ_PARTNER = "query($id: ID!) { partner(id: $id) { id name version } }"
RENAME = """mutation($input: UpdatePartnerInput!) {
  updatePartner(input: $input) { partner { id name version } userErrors { code message } } }"""


def say(message: str) -> None:
    print(message, flush=True)


@dataclass
class Minute:
    latencies_ms: list[float] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)
    errors: int = 0
    rss_mb: float = 0.0
    heap_mb: float = 0.0


@dataclass
class Soak:
    client: httpx.AsyncClient
    reads: list[tuple[str, list[dict[str, Any]]]]
    recipients: tuple[str, list[dict[str, Any]]]
    partners: list[str]
    minutes: list[Minute] = field(default_factory=list)
    error_samples: list[str] = field(default_factory=list)

    async def post(self, kind: str, query: str, variables: dict[str, Any]) -> dict[str, Any] | None:
        began = time.perf_counter()
        try:
            response = await self.client.post("/graphql", json={"query": query, "variables": variables})
            body: dict[str, Any] = response.json()
            ok = response.status_code == 200 and not body.get("errors")
        except (httpx.HTTPError, ValueError) as exc:
            body, ok = {"exception": repr(exc)}, False
        minute = self.minutes[-1]
        minute.latencies_ms.append((time.perf_counter() - began) * 1000)
        minute.by_kind[kind] = minute.by_kind.get(kind, 0) + 1
        if not ok:
            minute.errors += 1
            if len(self.error_samples) < 10:
                self.error_samples.append(f"{kind}: {str(body)[:300]}")
            return None
        return body

    async def rename(self, partner: str) -> None:
        read = await self.post("edit", READ_PARTNER, {"id": partner})
        if read is None or read["data"]["partner"] is None:
            return
        current = read["data"]["partner"]
        name = current["name"]
        renamed = name[: -len(SUFFIX)] if name.endswith(SUFFIX) else name + SUFFIX
        answer = await self.post(
            "edit", RENAME, {"input": {"id": partner, "version": current["version"], "name": renamed}}
        )
        if answer is not None and answer["data"]["updatePartner"]["userErrors"]:
            self.minutes[-1].errors += 1
            self.error_samples.append(f"edit: {answer['data']['updatePartner']['userErrors']}")

    async def worker(self, index: int, deadline: float, rng: random.Random) -> None:
        # Each worker edits partners of its own, so that two edits never race for one version.
        mine = self.partners[index :: max(1, len(self.partners) // 8)][:50] or self.partners
        while time.monotonic() < deadline:
            draw = rng.random()
            if draw < EDIT_SHARE:
                await self.rename(rng.choice(mine))
            elif draw < EDIT_SHARE + RECIPIENTS_SHARE:
                query, cases = self.recipients
                await self.post("recipients", query, rng.choice(cases))
            else:
                query, cases = rng.choice(self.reads)
                await self.post("read", query, rng.choice(cases))


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


async def heap_mb(db: Database) -> float:
    rows = await db.driver.execute_query(
        "CALL dbms.queryJmx('java.lang:type=Memory') YIELD attributes "
        "RETURN attributes.HeapMemoryUsage.value.properties.used AS used"
    )
    return float(rows.records[0]["used"]) / 1e6


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else 0.0


async def soak(args: argparse.Namespace) -> int:
    tune_garbage_collector()
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)
    settings = load_settings()
    # The soak needs no APOC (only the side-by-side benchmark's other server does).
    started_neo4j = not settings.external_neo4j and process.running_pid(settings) is None
    if not settings.external_neo4j:
        process.start(settings, say)
    try:
        async with open_driver(settings) as driver:
            db = Database(driver, settings.neo4j_database, 600)
            await db.migrate()
            say(f"Synthetic network: {await ensure_network(db, args.partners, args.seed)}")
            await ensure_product(db)
            ops = await operations.build(driver, db.name, args.seed)
            reads = [(op.isegraph_query, [c.isegraph for c in op.cases]) for op in ops if not op.slow]
            # Recipient lists of the network's own products; the national all-sector product (half a
            # minute alone on 100k partners) has its own benchmark, bench/RESULTS-recipients.md.
            products = await driver.execute_query(
                "MATCH (p:InformationProduct) WHERE p.id <> $national "
                "RETURN p.id AS id ORDER BY p.id LIMIT 40",
                national=operations.PRODUCT_ID,
                database_=db.name,
            )
            recipients = (operations.RECIPIENTS_ISEGRAPH, [{"id": r["id"]} for r in products.records])
            rows = await driver.execute_query(
                "MATCH (p:Partner) RETURN p.id AS id ORDER BY p.id LIMIT 400", database_=db.name
            )
            partners = [r["id"] for r in rows.records]
            log_file = HERE / ".work" / "logs" / "isegraph-soak.log"
            with servers.running(
                "ISE Graph",
                servers.isegraph_command(args.port),
                servers.isegraph_env(settings),
                f"http://127.0.0.1:{args.port}/graphql",
                log_file,
                say,
            ):
                pid = _service_pid(args.port)
                return await _run(args, db, pid, reads, recipients, partners)
    finally:
        if started_neo4j:
            process.stop(settings, say)


def _service_pid(port: int) -> int:
    """The pid of the process listening on `port` (the service just started)."""
    wanted = f":{port:04X}"
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        with contextlib.suppress(OSError):
            for line in Path(table).read_text().splitlines()[1:]:
                fields = line.split()
                if fields[1].endswith(wanted) and fields[3] == "0A":
                    inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            for fd in (proc / "fd").iterdir():
                link = str(fd.readlink())
                if link.startswith("socket:[") and link[8:-1] in inodes:
                    return int(proc.name)
    raise RuntimeError(f"no process listens on port {port}")


async def _run(
    args: argparse.Namespace,
    db: Database,
    pid: int,
    reads: list[tuple[str, list[dict[str, Any]]]],
    recipients: tuple[str, list[dict[str, Any]]],
    partners: list[str],
) -> int:
    limits = httpx.Limits(max_connections=args.concurrency)
    # Every request carries an ADMIN token, as an administrator's tools would.
    bearer = mint_token(load_settings(), Role.ADMIN, ttl_seconds=86400)
    async with httpx.AsyncClient(
        base_url=f"http://127.0.0.1:{args.port}",
        timeout=120,
        limits=limits,
        headers={"Authorization": f"Bearer {bearer}"},
    ) as client:
        run = Soak(client, reads, recipients, partners)
        start_rss, start_heap = rss_mb(pid), await heap_mb(db)
        say(f"Soak: {args.minutes} min at concurrency {args.concurrency}; service RSS {start_rss:.0f} MB")
        began = time.monotonic()
        deadline = began + args.minutes * 60
        run.minutes.append(Minute())
        rng = random.Random(args.seed)
        workers = [
            asyncio.create_task(run.worker(i, deadline, random.Random(rng.random())))
            for i in range(args.concurrency)
        ]
        for minute in range(1, args.minutes + 1):
            await asyncio.sleep(max(0.0, began + minute * 60 - time.monotonic()))
            current = run.minutes[-1]
            current.rss_mb, current.heap_mb = rss_mb(pid), await heap_mb(db)
            say(
                f"  minute {minute}: {len(current.latencies_ms)} requests, {current.errors} errors, "
                f"p50 {_percentile(current.latencies_ms, 0.5):.0f} ms, "
                f"p99 {_percentile(current.latencies_ms, 0.99):.0f} ms, RSS {current.rss_mb:.0f} MB"
            )
            if minute < args.minutes:
                run.minutes.append(Minute())
        await asyncio.gather(*workers)
        run.minutes.append(Minute())  # the clean-up below is not part of the soak's figures
        # Renamed partners get their names back, so the shared benchmark database is left as found.
        for partner in partners:
            read = await run.post("cleanup", READ_PARTNER, {"id": partner})
            if read and read["data"]["partner"] and read["data"]["partner"]["name"].endswith(SUFFIX):
                await run.rename(partner)
    run.minutes.pop()
    text = report(args, run, start_rss, start_heap)
    out = Path(args.out)
    out.write_text(text + _kept_reading(out))
    print("\n" + text)
    say(f"Written to {out}")
    return 0 if sum(m.errors for m in run.minutes) == 0 else 1


def report(args: argparse.Namespace, run: Soak, start_rss: float, start_heap: float) -> str:
    total = sum(len(m.latencies_ms) for m in run.minutes)
    errors = sum(m.errors for m in run.minutes)
    every = [v for m in run.minutes for v in m.latencies_ms]
    kinds: dict[str, int] = {}
    for m in run.minutes:
        for kind, count in m.by_kind.items():
            kinds[kind] = kinds.get(kind, 0) + count
    lines = [
        "# Soak: ISE Graph under steady mixed load",
        "",
        f"`flock /tmp/isegraph-bench.lock ./dev soak --minutes {args.minutes} --concurrency "
        f"{args.concurrency} --partners {args.partners}` on "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; Python {platform.python_version()}, "
        f"{os.cpu_count()} cores.",
        "",
        f"- Requests: {total:,} ({', '.join(f'{k} {v:,}' for k, v in sorted(kinds.items()))}); "
        f"**errors: {errors}**.",
        f"- Latency over the whole run: p50 {_percentile(every, 0.5):.0f} ms, "
        f"p99 {_percentile(every, 0.99):.0f} ms, mean {statistics.fmean(every) if every else 0:.0f} ms.",
        f"- Service RSS: {start_rss:.0f} MB at start, {run.minutes[-1].rss_mb:.0f} MB at the end.",
        f"- Neo4j heap in use: {start_heap:.0f} MB at start, {run.minutes[-1].heap_mb:.0f} MB at the end "
        "(of the configured maximum; G1 collects in waves, so single readings go up and down).",
        "",
        "| minute | requests | errors | p50 ms | p99 ms | service RSS MB | Neo4j heap MB |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for number, m in enumerate(run.minutes, start=1):
        lines.append(
            f"| {number} | {len(m.latencies_ms):,} | {m.errors} | {_percentile(m.latencies_ms, 0.5):.0f} | "
            f"{_percentile(m.latencies_ms, 0.99):.0f} | {m.rss_mb:.0f} | {m.heap_mb:.0f} |"
        )
    if run.error_samples:
        lines += ["", "First errors:", "", *(f"- `{sample}`" for sample in run.error_samples)]
    return "\n".join(lines) + "\n"


def _kept_reading(out: Path) -> str:
    """The hand-written reading below the marker survives a new run."""
    marker = "\n## Reading\n"
    if out.exists() and marker in out.read_text():
        return marker + out.read_text().split(marker, 1)[1]
    return ""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="./dev soak", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--minutes", type=int, default=10, help="how long (default 10)")
    parser.add_argument("--concurrency", type=int, default=32, help="concurrent clients (default 32)")
    parser.add_argument(
        "--partners", type=int, default=100_000, help="synthetic network size (default 100000)"
    )
    parser.add_argument(
        "--port", type=int, default=PORT, help=f"the service's HTTP port on loopback (default {PORT})"
    )
    parser.add_argument("--seed", type=int, default=7, help="random seed of network and mix (default 7)")
    parser.add_argument("--out", default=str(HERE / "RESULTS-soak.md"), help="where the table goes")
    return parser.parse_args(argv)


def main() -> int:
    return asyncio.run(soak(parse_args()))


if __name__ == "__main__":
    raise SystemExit(main())
