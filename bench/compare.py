"""Benchmark: ISE Graph side by side with the Neo4j GraphQL Library and with raw Cypher.

    ./dev bench [--partners 100000] [--seed 1] [--requests 200] [--warmup 20]
                [--concurrency 1,8,32] [--operations partner,search,...] [--out bench/RESULTS.md]

One run, one database, one load generator:

1. a Neo4j of the benchmark's own (bench/.work/state, Bolt port 7690) with APOC core (which the
   Neo4j GraphQL Library requires), and the synthetic network of --partners partners loaded once;
2. ISE Graph (`isegraph serve`, port 8090, ADMIN or PARTNER bearer tokens) and a plain
   @neo4j/graphql 7 server on Apollo Server (bench/neo4j-graphql/, port 8091, no auth), both on
   that database; its npm packages are installed with `npm ci` when missing or stale;
3. for each operation, the answers of the three are checked to agree first (the run stops with a
   diff if not); then, at each concurrency level, --requests requests per target are sent in
   rounds that alternate the targets (ISE Graph, @neo4j/graphql, raw Cypher), so drift and noise
   hit all three alike; GraphQL goes over HTTP from an asyncio client, raw Cypher through the
   Python async driver with the same number of workers;
4. a table of p50/p99 latency, throughput and the ratios ISE Graph / @neo4j/graphql and
   ISE Graph / raw Cypher, with ISE Graph's Cypher round trips per operation (its responses'
   extensions.cypherRoundTrips), is printed and written to --out with the machine and versions.

The recipient list of a national CRITICAL product runs against raw Cypher only, 3 requests at
concurrency 1 (it takes seconds). The whole default run takes about 10 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib.metadata
import json
import logging
import os
import platform
import statistics
import sys
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ISEGRAPH_STATE_DIR", str(HERE / ".work" / "state"))
os.environ.setdefault("ISEGRAPH_NEO4J_BOLT_PORT", "7690")

import httpx2 as httpx  # noqa: E402
from neo4j import AsyncDriver  # noqa: E402

from bench import operations, servers  # noqa: E402
from bench.operations import Case, Operation  # noqa: E402
from bench.recipients import ensure_network, ensure_product, percentile  # noqa: E402
from graph_api.identity import Role, mint_token  # noqa: E402
from graph_api.neo4j_server import process  # noqa: E402
from graph_api.neo4j_server.provision import ensure_jars  # noqa: E402
from graph_api.settings import Settings, load_settings  # noqa: E402
from graph_api.store.database import Database, connection_details, open_driver  # noqa: E402
from graph_api.store.tuning import tune_garbage_collector  # noqa: E402

ISEGRAPH_PORT = 8090
NEO4J_GRAPHQL_PORT = 8091
ISEGRAPH = "ISE Graph"
NEO4J_GRAPHQL = "@neo4j/graphql"
RAW = "raw Cypher"
TARGETS = (ISEGRAPH, NEO4J_GRAPHQL, RAW)
SLOW_REQUESTS = 3
ROUNDS = 4


def say(message: str) -> None:
    print(message, flush=True)


class Disagreement(RuntimeError):
    pass


@dataclass
class Sample:
    latencies_ms: list[float] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies_ms)

    @property
    def p99(self) -> float:
        return percentile(self.latencies_ms, 0.99)

    @property
    def throughput(self) -> float:
        return len(self.latencies_ms) / self.seconds


@dataclass
class Measurement:
    operation: Operation
    concurrency: int
    samples: dict[str, Sample]


Call = Callable[[Case], Awaitable[Any]]


class Targets:
    """The same question, sent three ways."""

    def __init__(self, driver: AsyncDriver, database: str) -> None:
        limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
        timeout = httpx.Timeout(300.0)
        self.isegraph = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{ISEGRAPH_PORT}", limits=limits, timeout=timeout
        )
        self.neo4j_graphql = httpx.AsyncClient(
            base_url=f"http://127.0.0.1:{NEO4J_GRAPHQL_PORT}", limits=limits, timeout=timeout
        )
        self.driver = driver
        self.database = database
        self.round_trips: dict[str, list[int]] = {}

    async def close(self) -> None:
        await self.isegraph.aclose()
        await self.neo4j_graphql.aclose()

    def calls(self, op: Operation) -> dict[str, Call]:
        settings = load_settings()
        if op.partner_user is None:
            bearer = mint_token(settings, Role.ADMIN, ttl_seconds=86400)
        else:
            bearer = mint_token(settings, Role.PARTNER, op.partner_user, ttl_seconds=86400)
        headers = {"Authorization": f"Bearer {bearer}"}

        async def isegraph(case: Case) -> Any:
            body = await _graphql(
                self.isegraph, "/graphql", op.isegraph_query, case.isegraph, ISEGRAPH, headers
            )
            self.round_trips.setdefault(op.name, []).append(int(body["extensions"]["cypherRoundTrips"]))
            return body["data"]

        async def neo4j_graphql(case: Case) -> Any:
            assert op.neo4j_graphql_query is not None
            body = await _graphql(
                self.neo4j_graphql, "/", op.neo4j_graphql_query, case.neo4j_graphql, NEO4J_GRAPHQL
            )
            return body["data"]

        async def raw(case: Case) -> Any:
            return await op.raw(self.driver, self.database, case.cypher)

        calls: dict[str, Call] = {ISEGRAPH: isegraph, NEO4J_GRAPHQL: neo4j_graphql, RAW: raw}
        if op.neo4j_graphql_query is None:
            del calls[NEO4J_GRAPHQL]
        return calls


async def _graphql(
    client: httpx.AsyncClient,
    path: str,
    query: str,
    variables: dict[str, Any],
    who: str,
    headers: dict[str, str] | None = None,
) -> Any:
    response = await client.post(path, json={"query": query, "variables": variables}, headers=headers)
    body = response.json()
    if response.status_code != 200 or body.get("errors"):
        raise RuntimeError(f"{who} answered HTTP {response.status_code}: {json.dumps(body)[:2000]}")
    return body


async def check_agreement(op: Operation, calls: dict[str, Call]) -> str:
    """Every target's answer to the first few cases, in one plain structure, must be the same."""
    normalise: dict[str, Callable[[Any], Any]] = {
        ISEGRAPH: op.isegraph_answer,
        NEO4J_GRAPHQL: op.neo4j_graphql_answer,
        RAW: op.raw_answer,
    }
    checked = op.cases[:3]
    sizes: list[str] = []
    for case in checked:
        answers = {name: normalise[name](await call(case)) for name, call in calls.items()}
        reference = answers[ISEGRAPH]
        if isinstance(reference, list):
            sizes.append(str(len(reference)))
        for name, answer in answers.items():
            if answer != reference:
                raise Disagreement(_diff(op.name, case, ISEGRAPH, reference, name, answer))
    others = " and ".join(name for name in calls if name != ISEGRAPH)
    rows = f", of {'/'.join(sizes)} rows" if sizes else ""
    return f"{ISEGRAPH}, {others} agree on {len(checked)} case(s){rows}"


def _diff(op: str, case: Case, a: str, left: Any, b: str, right: Any) -> str:
    lines = [f"{op}: {a} and {b} disagree for {case}"]
    if isinstance(left, list) and isinstance(right, list):
        lines.append(f"  {a}: {len(left)} items; {b}: {len(right)} items")
        for i, (x, y) in enumerate(zip(left, right, strict=False)):
            if x != y:
                lines.append(f"  first difference at [{i}]:\n    {a}: {x!r}\n    {b}: {y!r}")
                break
    else:
        lines.append(f"  {a}: {left!r}"[:3000])
        lines.append(f"  {b}: {right!r}"[:3000])
    return "\n".join(lines)


async def run_batch(
    call: Call, cases: list[Case], start: int, count: int, concurrency: int, sample: Sample
) -> None:
    """`count` requests from `concurrency` workers; case i of the run is cases[i % len(cases)]."""
    next_index = iter(range(start, start + count))

    async def worker() -> None:
        for index in next_index:
            began = time.perf_counter()
            await call(cases[index % len(cases)])
            sample.latencies_ms.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, count))))
    sample.seconds += time.perf_counter() - began


async def measure(
    op: Operation, calls: dict[str, Call], concurrency: int, requests: int, warmup: int
) -> Measurement:
    for call in calls.values():  # warm-up: connections, plans, page cache
        await run_batch(call, op.cases, 0, warmup, concurrency, Sample())
    samples = {name: Sample() for name in calls}
    rounds = ROUNDS if requests >= ROUNDS * concurrency else 1
    per_round = [requests // rounds + (1 if r < requests % rounds else 0) for r in range(rounds)]
    done = 0
    for r, count in enumerate(per_round):
        order = list(calls) if r % 2 == 0 else list(reversed(calls))
        for name in order:
            await run_batch(calls[name], op.cases, done, count, concurrency, samples[name])
        done += count
    return Measurement(op, concurrency, samples)


async def ensure_database(settings: Settings, args: argparse.Namespace) -> tuple[bool, str]:
    """Neo4j with APOC running; returns (whether this run started it, its version)."""
    if settings.external_neo4j:
        return False, "external"
    _lib, version = ensure_jars(settings, lambda _: None)  # process.start says which jars
    had_apoc = servers.apoc_jar(settings) is not None
    servers.ensure_apoc(settings, version, say)
    was_running = process.running_pid(settings) is not None
    if was_running and not had_apoc:
        say("Restarting Neo4j so that it loads APOC ...")
        process.stop(settings, say)
        was_running = False
    process.start(settings, say)
    return not was_running, version


async def server_facts(driver: AsyncDriver, database: str) -> dict[str, str]:
    facts: dict[str, str] = {}
    records, _, _ = await driver.execute_query(
        "CALL dbms.components() YIELD versions, edition RETURN versions[0] AS v, edition AS e"
    )
    facts["neo4j"] = f"{records[0]['v']} {records[0]['e']}"
    try:
        records, _, _ = await driver.execute_query("RETURN apoc.version() AS v", database_=database)
        facts["apoc"] = str(records[0]["v"])
    except Exception as exc:  # no APOC: the Library cannot run; say so plainly
        raise RuntimeError("The database has no APOC core plugin, which @neo4j/graphql requires.") from exc
    records, _, _ = await driver.execute_query(
        "MATCH (n) WHERE n:Sector OR n:Region OR n:Topic OR n:Partner OR n:Council OR n:Contact "
        "OR n:Requirement OR n:InformationProduct RETURN count(n) AS records, "
        "count(CASE WHEN n:Partner THEN 1 END) AS partners",
        database_=database,
    )
    facts["records"] = f"{records[0]['records']:,}"
    facts["partners"] = f"{records[0]['partners']:,}"
    return facts


async def main(args: argparse.Namespace) -> int:
    tune_garbage_collector()
    logging.getLogger("neo4j").setLevel(logging.CRITICAL)  # retries while a server starts
    settings = load_settings()
    chosen = set(args.operations.split(",")) if args.operations else None
    levels = [int(level) for level in args.concurrency.split(",")]
    started_neo4j, _ = await ensure_database(settings, args)
    try:
        library_version = servers.ensure_node_packages(say)
        return await run(settings, args, chosen, levels, library_version)
    finally:
        if started_neo4j and not args.keep_neo4j:
            process.stop(settings, say)


async def run(
    settings: Settings, args: argparse.Namespace, chosen: set[str] | None, levels: list[int], library: str
) -> int:
    uri, user, password = connection_details(settings)
    async with open_driver(settings) as driver:
        db = Database(driver, settings.neo4j_database, 600)
        await db.migrate()
        say(f"Synthetic network: {await ensure_network(db, args.partners, args.seed)}")
        await ensure_product(db)
        facts = await server_facts(driver, db.name)
        say("Choosing the cases (partners, councils, search words) ...")
        ops = [
            op for op in await operations.build(driver, db.name, args.seed) if not chosen or op.name in chosen
        ]
        if chosen and len(ops) != len(chosen):
            known = ", ".join(op.name for op in await operations.build(driver, db.name, args.seed))
            raise SystemExit(f"Unknown operation in --operations; known: {known}")
        logs = HERE / ".work" / "logs"
        with contextlib.ExitStack() as stack:
            stack.enter_context(
                servers.running(
                    ISEGRAPH,
                    servers.isegraph_command(ISEGRAPH_PORT),
                    servers.isegraph_env(settings),
                    f"http://127.0.0.1:{ISEGRAPH_PORT}/graphql",
                    logs / "isegraph.log",
                    say,
                )
            )
            stack.enter_context(
                servers.running(
                    NEO4J_GRAPHQL,
                    servers.neo4j_graphql_command(NEO4J_GRAPHQL_PORT),
                    servers.neo4j_graphql_env(uri, user, password, db.name),
                    f"http://127.0.0.1:{NEO4J_GRAPHQL_PORT}/",
                    logs / "neo4j-graphql.log",
                    say,
                )
            )
            targets = Targets(driver, db.name)
            try:
                agreement, results = await bench_all(targets, ops, levels, args)
                floor = await fixed_costs(targets)
            finally:
                await targets.close()
    trips = {name: statistics.median(values) for name, values in targets.round_trips.items()}
    versions = {
        "python": platform.python_version(),
        "node": servers.node_version(),
        "neo4j": facts["neo4j"],
        "apoc": facts["apoc"],
        "@neo4j/graphql": library,
        "strawberry-graphql": importlib.metadata.version("strawberry-graphql"),
        "neo4j (Python driver)": importlib.metadata.version("neo4j"),
        "neo4j-rust-ext": importlib.metadata.version("neo4j-rust-ext"),
    }
    text = report(args, levels, results, agreement, trips, versions, facts, floor)
    print("\n" + text)
    out = Path(args.out)
    out.write_text(text + _kept_reading(out))
    say(f"Written to {out}")
    return 0


async def bench_all(
    targets: Targets, ops: list[Operation], levels: list[int], args: argparse.Namespace
) -> tuple[dict[str, str], list[Measurement]]:
    agreement: dict[str, str] = {}
    results: list[Measurement] = []
    for op in ops:
        calls = targets.calls(op)
        say(f"\n== {op.name}: {op.description}")
        agreement[op.name] = await check_agreement(op, calls)
        say(f"   answers {agreement[op.name]}")
        targets.round_trips.pop(op.name, None)  # count the timed requests only
        plan = (
            [(1, SLOW_REQUESTS, 1)] if op.slow else [(level, args.requests, args.warmup) for level in levels]
        )
        for level, requests, warmup in plan:
            began = time.monotonic()
            m = await measure(op, calls, level, requests, warmup)
            results.append(m)
            summary = "; ".join(
                f"{name} p50 {s.p50:.1f} ms, {s.throughput:.1f}/s" for name, s in m.samples.items()
            )
            say(f"   concurrency {level:>2}: {summary} ({time.monotonic() - began:.0f} s)")
    return agreement, results


FLOOR_REQUESTS = 500


async def fixed_costs(targets: Targets) -> dict[str, float]:
    """p50 of requests that do no database work: HTTP alone, and `{ __typename }` on each server."""
    bearer = mint_token(load_settings(), Role.ADMIN, ttl_seconds=3600)
    headers = {"Authorization": f"Bearer {bearer}"}
    typename = {"query": "{ __typename }"}
    probes: dict[str, Callable[[], Awaitable[Any]]] = {
        "ISE Graph, `GET /healthz` (HTTP alone)": lambda: targets.isegraph.get("/healthz"),
        "ISE Graph, `{ __typename }` with a bearer token": lambda: targets.isegraph.post(
            "/graphql", json=typename, headers=headers
        ),
        "@neo4j/graphql, `{ __typename }`": lambda: targets.neo4j_graphql.post("/", json=typename),
    }
    found: dict[str, float] = {}
    for what, probe in probes.items():
        for _ in range(50):
            await probe()
        times: list[float] = []
        for _ in range(FLOOR_REQUESTS):
            began = time.perf_counter()
            response = await probe()
            times.append((time.perf_counter() - began) * 1000)
            response.raise_for_status()
        found[what] = statistics.median(times)
    return found


def _number(value: float) -> str:
    return f"{value:.0f}" if value >= 1000 else f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if b else "-"


def report(
    args: argparse.Namespace,
    levels: list[int],
    results: list[Measurement],
    agreement: dict[str, str],
    trips: dict[str, float],
    versions: dict[str, str],
    facts: dict[str, str],
    floor: dict[str, float],
) -> str:
    lines = [
        "# ISE Graph side by side: @neo4j/graphql and raw Cypher",
        "",
        f"Run {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} with "
        f"`./dev bench --partners {args.partners} --seed {args.seed} --requests {args.requests} "
        f"--warmup {args.warmup} --concurrency {args.concurrency}`.",
        "",
        f"- Machine: {_machine()}",
        "- Versions: " + ", ".join(f"{name} {version}" for name, version in versions.items()),
        f"- Dataset: synthetic network, seed {args.seed}: {facts['partners']} partners, "
        f"{facts['records']} records (sectors, regions, topics, partners, councils, contacts, "
        "requirements, products).",
        f"- Load: one Python asyncio client (httpx) for both GraphQL servers over HTTP, the Python async "
        f"driver for raw Cypher; per operation, concurrency level and target {args.requests} timed requests "
        f"after {args.warmup} warm-up ones, in {ROUNDS} rounds that alternate the targets. "
        f"The recipient list: {SLOW_REQUESTS} requests at concurrency 1, after the agreement check, "
        "against raw Cypher only.",
        "- ISE Graph: `isegraph serve` (uvicorn, one process), requests with an ADMIN bearer token "
        "(a PARTNER one for products-page-partner); "
        "@neo4j/graphql: Apollo Server 5 standalone, one Node.js process, no auth; both on the same Neo4j.",
        "- Latencies in ms; throughput in requests per second; a ratio above 1 means ISE Graph takes longer "
        "(p50) or serves more (throughput).",
        "",
        "| operation | conc. | ISE Graph p50 | p99 | req/s | @neo4j/graphql p50 | p99 | req/s "
        "| raw Cypher p50 | p99 | req/s | p50 ISE / Library | req/s ISE / Library | p50 ISE / raw "
        "| ISE round trips |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in results:
        ise, lib, raw = (m.samples.get(name) for name in TARGETS)
        assert ise is not None and raw is not None
        cells = [m.operation.name, str(m.concurrency)]
        for s in (ise, lib, raw):
            cells += [_number(s.p50), _number(s.p99), _number(s.throughput)] if s else ["n/a"] * 3
        cells += [
            _ratio(ise.p50, lib.p50) if lib else "n/a",
            _ratio(ise.throughput, lib.throughput) if lib else "n/a",
            _ratio(ise.p50, raw.p50),
            f"{trips.get(m.operation.name, 0):.0f}",
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += [
        "",
        "Cypher round trips per request: ISE Graph as its responses report them "
        "(`extensions.cypherRoundTrips`); @neo4j/graphql compiles each operation into 1 Cypher query; "
        "raw Cypher is 1 query (the recipient list: 2, the product and its resolution).",
        "",
        "## Operations and agreement",
        "",
        "Before timing an operation the bench compares the three answers (ids, names and fields, in the "
        "order the operation fixes; nested lists whose order @neo4j/graphql leaves open are compared "
        "sorted) and stops with a diff if they differ.",
        "",
    ]
    ops = {m.operation.name: m.operation for m in results}
    for name, op in ops.items():
        lines.append(f"- **{name}**: {op.description}. {agreement[name]}.")
    lines += [
        "",
        "## The fixed cost of a request",
        "",
        f"Requests that reach no database, through the same client at concurrency 1 ({FLOOR_REQUESTS} "
        "each, p50 in ms): the part of every latency above that is HTTP and GraphQL handling, which raw "
        "Cypher does not pay.",
        "",
        *(f"- {what}: {value:.2f} ms" for what, value in floor.items()),
    ]
    lines += ["", "## Targets", "", *_targets(results), ""]
    return "\n".join(lines)


def _targets(results: list[Measurement]) -> list[str]:
    shared = [m for m in results if NEO4J_GRAPHQL in m.samples]
    slower = [
        f"{m.operation.name} at {m.concurrency}"
        for m in shared
        if m.samples[ISEGRAPH].throughput < m.samples[NEO4J_GRAPHQL].throughput
    ]
    far = [
        f"{m.operation.name} at {m.concurrency} ({m.samples[ISEGRAPH].p50 / m.samples[RAW].p50:.1f}x)"
        for m in results
        if m.samples[ISEGRAPH].p50 > 1.5 * m.samples[RAW].p50
    ]
    verdict = "met." if not slower else f"not met on {len(slower)} of {len(shared)}: {', '.join(slower)}."
    lines = [
        "- ISE Graph's throughput at least @neo4j/graphql's on every shared operation: "
        + (verdict if shared else "no shared operation in this run."),
        "- ISE Graph's p50 within 1.5x raw Cypher: "
        + ("met." if not far else f"not met on {len(far)} of {len(results)}: {', '.join(far)}."),
    ]
    for m in results:
        if m.operation.slow:
            p50 = m.samples[ISEGRAPH].p50
            lines.append(
                f"- National recipient list under 250 ms at p50: {'met' if p50 < 250 else 'not met'} "
                f"(ISE Graph {p50:.0f} ms; raw Cypher {m.samples[RAW].p50:.0f} ms)."
            )
    return lines


def _machine() -> str:
    cpu = "unknown CPU"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = "unknown RAM"
    with contextlib.suppress(OSError, ValueError):
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB RAM"
                break
    return f"{platform.system()} {platform.machine()}, {os.cpu_count()} cores ({cpu}), {memory}"


READING = "## Reading"


def _kept_reading(out: Path) -> str:
    """A hand-written '## Reading' section at the end of the file survives the next run."""
    if not out.exists():
        return ""
    text = out.read_text()
    at = text.find("\n" + READING)
    return text[at:] if at >= 0 else ""


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="./dev bench", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--partners", type=int, default=100_000, help="synthetic network size, loaded once (default 100000)"
    )
    parser.add_argument(
        "--seed", type=int, default=1, help="generator seed, also picks the cases (default 1)"
    )
    parser.add_argument(
        "--requests",
        type=int,
        default=200,
        help="timed requests per operation, target and level (default 200)",
    )
    parser.add_argument(
        "--warmup", type=int, default=20, help="warm-up requests before each level (default 20)"
    )
    parser.add_argument(
        "--concurrency", default="1,8,32", help="comma-separated concurrency levels (default 1,8,32)"
    )
    names = "partner, partners-page, council-members-contacts, products-filtered, search, recipients-national"
    parser.add_argument(
        "--operations", default="", help=f"a comma-separated subset of: {names} (default all)"
    )
    parser.add_argument(
        "--out", default=str(HERE / "RESULTS.md"), help="where to write the table (bench/RESULTS.md)"
    )
    parser.add_argument(
        "--keep-neo4j", action="store_true", help="leave the benchmark's Neo4j running if this run started it"
    )
    return parser.parse_args(argv)


if __name__ == "__main__":
    try:
        sys.exit(asyncio.run(main(parse_args())))
    except Disagreement as exc:
        print(f"\nThe answers disagree, nothing was timed for this operation:\n{exc}", file=sys.stderr)
        sys.exit(1)
    except KeyboardInterrupt:
        print("\nInterrupted; the servers were stopped.", file=sys.stderr)
        sys.exit(130)
