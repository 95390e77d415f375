"""Benchmark: how soon a subscriber hears of a mutation, and what 1,000 subscriptions cost.

    ./dev bench-realtime [--rounds 200] [--subscriptions 1000] [--per-connection 10] [--poll 0.2]

Starts two service processes (A and B) on one Neo4j (the benchmark's own, bench/.work/, Bolt
port 7691 unless ISEGRAPH_NEO4J_BOLT_PORT says otherwise) and measures, with graphql-transport-ws
clients in this process:

* latency: the time from a mutation's HTTP response (a createTopic through A) to its event at a
  watchFeed subscriber on A (same process) and on B (other process), p50 and p99;
* fan-out: A serving `--subscriptions` subscriptions (over connections of `--per-connection`
  each): A's resident memory before and after subscribing, and, for mutations through B, the time
  from the response until the first and the last of them has the event.

Writes the figures to bench/RESULTS-realtime.md.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import random
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
os.environ.setdefault("ISEGRAPH_STATE_DIR", str(HERE / ".work" / "state"))
os.environ.setdefault("ISEGRAPH_NEO4J_BOLT_PORT", "7691")

import httpx2 as httpx  # noqa: E402
from websockets.asyncio.client import ClientConnection, connect  # noqa: E402

from graph_api.identity import Role, mint_token  # noqa: E402
from graph_api.neo4j_server import process  # noqa: E402
from graph_api.settings import load_settings  # noqa: E402
from graph_api.store.database import Database, open_driver  # noqa: E402

WATCH = "subscription { watchFeed(kinds: [EDITED]) { sequence key } }"
CREATE_TOPIC = "mutation($i: CreateTopicInput!) { createTopic(input: $i) { userErrors { message } } }"


def say(message: str) -> None:
    print(message, flush=True)


def rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


@dataclass
class Service:
    port: int
    env: dict[str, str]
    process: subprocess.Popen[bytes] | None = None

    @property
    def ws(self) -> str:
        return f"ws://127.0.0.1:{self.port}/graphql"

    @property
    def http(self) -> str:
        return f"http://127.0.0.1:{self.port}/graphql"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph_api", "serve", "--port", str(self.port)],
            env={**os.environ, **self.env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 300
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"http://127.0.0.1:{self.port}/readyz", timeout=2).status_code == 200:
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        raise SystemExit(f"the service on port {self.port} did not start")

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=30)


class Watcher:
    """One WebSocket with `count` watchFeed subscriptions; records when each key arrives."""

    def __init__(self, socket: ClientConnection, count: int) -> None:
        self.socket = socket
        self.count = count
        self.arrivals: dict[str, list[float]] = {}
        self.reader: asyncio.Task[None] | None = None

    @classmethod
    async def open(cls, url: str, token: str, count: int) -> Watcher:
        socket = await connect(url, subprotocols=["graphql-transport-ws"], open_timeout=60)  # type: ignore[list-item]
        await socket.send(
            json.dumps({"type": "connection_init", "payload": {"Authorization": f"Bearer {token}"}})
        )
        assert json.loads(await socket.recv())["type"] == "connection_ack"
        watcher = cls(socket, count)
        for i in range(count):
            await socket.send(json.dumps({"id": str(i), "type": "subscribe", "payload": {"query": WATCH}}))
        watcher.reader = asyncio.create_task(watcher._read())
        return watcher

    async def _read(self) -> None:
        async for raw in self.socket:
            now = time.perf_counter()
            message = json.loads(raw)
            if message["type"] == "ping":
                await self.socket.send('{"type": "pong"}')
            elif message["type"] == "next":
                key = message["payload"]["data"]["watchFeed"]["key"]
                self.arrivals.setdefault(key, []).append(now)

    def received(self, key: str) -> int:
        return len(self.arrivals.get(key, []))

    async def close(self) -> None:
        await self.socket.close()


async def create_topic(http: httpx.AsyncClient, service: Service, key: str, admin: str) -> float:
    answer = await http.post(
        service.http,
        json={"query": CREATE_TOPIC, "variables": {"i": {"id": key, "name": key}}},
        headers={"Authorization": f"Bearer {admin}"},
    )
    done = time.perf_counter()
    assert answer.json()["data"]["createTopic"]["userErrors"] == [], answer.text
    return done


async def wait_for(watchers: list[Watcher], key: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while any(w.received(key) < w.count for w in watchers):
        if time.monotonic() > deadline:
            missing = sum(w.count - w.received(key) for w in watchers)
            raise SystemExit(f"{missing} subscriptions did not receive {key} within {timeout} s")
        await asyncio.sleep(0.002)


async def latency(a: Service, b: Service, rounds: int, admin: str, analyst: str) -> dict[str, list[float]]:
    same, other = await Watcher.open(a.ws, analyst, 1), await Watcher.open(b.ws, analyst, 1)
    await asyncio.sleep(1)
    found: dict[str, list[float]] = {"same process": [], "other process": []}
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(timeout=60) as http:
        for i in range(rounds):
            key = f"rt-{run}-{i}"
            answered = await create_topic(http, a, key, admin)
            await wait_for([same, other], key)
            found["same process"].append(same.arrivals[key][0] - answered)
            found["other process"].append(other.arrivals[key][0] - answered)
            await asyncio.sleep(random.uniform(0, 0.05))  # not in step with the poll interval
    await same.close()
    await other.close()
    return found


async def fan_out(
    a: Service, b: Service, subscriptions: int, per_connection: int, rounds: int, admin: str, analyst: str
) -> dict[str, object]:
    assert a.process is not None
    await asyncio.sleep(2)
    idle = rss_mib(a.process.pid)
    started = time.monotonic()
    watchers: list[Watcher] = []
    for start in range(0, subscriptions, per_connection):
        count = min(per_connection, subscriptions - start)
        watchers.append(await Watcher.open(a.ws, analyst, count))
    opened = time.monotonic() - started
    await asyncio.sleep(3)  # every subscription registered
    loaded = rss_mib(a.process.pid)
    first_seen: list[float] = []
    last_seen: list[float] = []
    run = uuid.uuid4().hex[:6]
    async with httpx.AsyncClient(timeout=60) as http:
        for i in range(rounds):
            key = f"fan-{run}-{i}"
            answered = await create_topic(http, b, key, admin)
            await wait_for(watchers, key)
            times = [t for w in watchers for t in w.arrivals[key]]
            first_seen.append(min(times) - answered)
            last_seen.append(max(times) - answered)
            await asyncio.sleep(random.uniform(0.1, 0.3))
    for watcher in watchers:
        await watcher.close()
    return {
        "connections": len(watchers),
        "opened_seconds": opened,
        "idle_mib": idle,
        "loaded_mib": loaded,
        "first": first_seen,
        "last": last_seen,
    }


def ms(values: list[float], q: float) -> str:
    return f"{percentile(values, q) * 1000:.0f} ms"


def report(args: argparse.Namespace, lat: dict[str, list[float]], fan: dict[str, object], load: str) -> str:
    first, last = fan["first"], fan["last"]
    assert isinstance(first, list) and isinstance(last, list)
    idle, loaded = float(fan["idle_mib"]), float(fan["loaded_mib"])  # type: ignore[arg-type]
    lines = [
        "# Real-time benchmark: subscriptions on Neo4j Community",
        "",
        f"`./dev bench-realtime --rounds {args.rounds} --subscriptions {args.subscriptions} "
        f"--per-connection {args.per_connection} --poll {args.poll}`, run "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}.",
        "",
        f"Machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"Neo4j {args.neo4j_version} Community. Load average when the "
        f"run started: {load}. Two service processes (A, B) and this client share the machine.",
        "",
        f"Each process tails the event log every {args.poll} s (`ISEGRAPH_EVENT_POLL_SECONDS`) with one "
        "indexed query, whatever its number of subscribers.",
        "",
        "## From a mutation's response to the event at the subscriber",
        "",
        f"{args.rounds} `createTopic` mutations through process A, one after another; a `watchFeed` "
        "subscriber on A and one on B.",
        "",
        "| subscriber | p50 | p99 | max |",
        "|---|---|---|---|",
    ]
    for name, values in lat.items():
        lines.append(f"| {name} | {ms(values, 0.5)} | {ms(values, 0.99)} | {max(values) * 1000:.0f} ms |")
    lines += [
        "",
        f"## {args.subscriptions} concurrent subscriptions on one process",
        "",
        f"Process A serves {args.subscriptions} `watchFeed` subscriptions over {fan['connections']} "
        f"connections ({args.per_connection} each), opened in {float(fan['opened_seconds']):.1f} s "  # type: ignore[arg-type]
        f"by this client. {args.rounds // 4} mutations go through process B; A only tails and fans out.",
        "",
        "| | figure |",
        "|---|---|",
        f"| A's resident memory, idle | {idle:.0f} MiB |",
        f"| A's resident memory with the subscriptions | {loaded:.0f} MiB |",
        f"| per subscription | {(loaded - idle) * 1024 / args.subscriptions:.1f} KiB |",
        f"| response → first subscriber has it, p50 / p99 | {ms(first, 0.5)} / {ms(first, 0.99)} |",
        f"| response → all {args.subscriptions} have it, p50 / p99 | {ms(last, 0.5)} / {ms(last, 0.99)} |",
        f"| fan-out spread (last - first), p50 | "
        f"{statistics.median(b - a for a, b in zip(first, last, strict=True)) * 1000:.0f} ms |",
        "",
    ]
    return "\n".join(lines)


async def main_async(args: argparse.Namespace) -> str:
    settings = load_settings()
    if not settings.external_neo4j:
        process.start(settings, say)
    driver = open_driver(settings)
    args.neo4j_version = await Database(driver, settings.neo4j_database, 30).server_version()
    await driver.close()
    admin = mint_token(settings, Role.ADMIN, ttl_seconds=6 * 3600)
    analyst = mint_token(settings, Role.ANALYST, ttl_seconds=6 * 3600)
    env = {
        "ISEGRAPH_EVENT_POLL_SECONDS": str(args.poll),
        "ISEGRAPH_SUBSCRIPTIONS_PER_CONNECTION": str(max(20, args.per_connection)),
    }
    a, b = Service(args.port, env), Service(args.port + 1, env)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    say(f"Starting services on ports {a.port} and {b.port} ...")
    a.start()
    b.start()
    try:
        say(f"Latency: {args.rounds} mutations ...")
        lat = await latency(a, b, args.rounds, admin, analyst)
        say(f"Fan-out: {args.subscriptions} subscriptions ...")
        fan = await fan_out(
            a, b, args.subscriptions, args.per_connection, max(5, args.rounds // 4), admin, analyst
        )
    finally:
        a.stop()
        b.stop()
    return report(args, lat, fan, load)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rounds", type=int, default=200, help="mutations timed for latency (default 200)")
    parser.add_argument("--subscriptions", type=int, default=1000, help="subscriptions on one process")
    parser.add_argument("--per-connection", type=int, default=10, help="subscriptions per WebSocket")
    parser.add_argument("--poll", type=float, default=0.2, help="the tail interval in seconds (default 0.2)")
    parser.add_argument("--port", type=int, default=8186, help="process A's port; B takes the next")
    parser.add_argument("--out", type=Path, default=HERE / "RESULTS-realtime.md")
    args = parser.parse_args()
    text = asyncio.run(main_async(args))
    args.out.write_text(text)
    say(text)
    say(f"Wrote {args.out}")


if __name__ == "__main__":
    main()
