"""The service as an operator runs it (`isegraph serve` in its own process): JSON logs, metrics,
graceful shutdown on SIGTERM, and what a SIGKILL leaves behind."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.neo4j_server import process
from graph_api.settings import Settings
from graph_api.store.database import Database
from tests.helpers import token, unique_prefix, wait_until

GRACE_SECONDS = 8


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Service:
    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_lines(self) -> list[str]:
        """The log's complete lines (one being written as it is read is left for the next read)."""
        complete = self.log.read_text(errors="replace").split("\n")[:-1]
        return [line for line in complete if line.strip()]


def start_service(tmp_path: Path, **env: str) -> Service:
    port = _free_port()
    log = tmp_path / f"service-{port}.log"
    environment = {
        **os.environ,
        "ISEGRAPH_SHUTDOWN_GRACE_SECONDS": str(GRACE_SECONDS),
        **env,
    }
    # The log is standard error; standard output carries the command's own messages.
    with log.open("wb") as err, log.with_suffix(".out").open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph_api", "serve", "--port", str(port)],
            env=environment,
            stdout=out,
            stderr=err,
            stdin=subprocess.DEVNULL,
        )
    service = Service(process, port, log)
    deadline = time.monotonic() + 240  # a loaded 2-core machine starts slowly
    while time.monotonic() < deadline:
        assert process.poll() is None, log.read_text()
        try:
            if httpx.get(f"{service.url}/readyz", timeout=2).status_code == 200:
                return service
        except httpx.HTTPError:
            pass
        time.sleep(0.2)  # bounded poll: until /readyz answers, within the deadline above
    process.kill()
    raise AssertionError(f"the service did not become ready:\n{log.read_text()}")


@pytest.fixture
def json_service(tmp_path: Path) -> Iterator[Service]:
    service = start_service(tmp_path, ISEGRAPH_LOG_FORMAT="json")
    yield service
    if service.process.poll() is None:
        service.process.kill()
        service.process.wait()


def _post(service: Service, payload: dict[str, Any], **headers: str) -> httpx.Response:
    auth = {"Authorization": f"Bearer {token('ADMIN')}", **headers}
    return httpx.post(f"{service.url}/graphql", json=payload, headers=auth, timeout=30)


def test_json_logs_are_one_object_a_line_with_the_request_id(json_service: Service) -> None:
    refused = _post(json_service, {"query": '{ recipients(productId: "no-such") { product { id } } }'})
    request_id = refused.headers["X-Request-Id"]
    assert refused.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    assert _post(json_service, {"query": "{ __typename }"}).status_code == 200
    wait_until(
        lambda: any(request_id in line for line in json_service.log_lines()), 30, "the request's log line"
    )
    entries = [json.loads(line) for line in json_service.log_lines()]  # every line is one JSON object
    assert entries and all({"time", "level", "logger", "requestId", "message"} <= set(e) for e in entries)
    mine = [e for e in entries if e["requestId"] == request_id]
    assert any("NOT_FOUND" in e["message"] and e["level"] == "INFO" for e in mine), mine
    assert not [e for e in entries if e["level"] in ("ERROR", "CRITICAL") or "traceback" in e]


def test_metrics_count_operations_by_name_and_outcome(json_service: Service) -> None:
    _post(json_service, {"query": "query SectorList { sectors { id } }", "operationName": "SectorList"})
    _post(json_service, {"query": 'query Missing { recipients(productId: "none") { product { id } } }'})
    metrics = httpx.get(f"{json_service.url}/metrics", timeout=10)
    assert metrics.status_code == 200 and metrics.headers["content-type"].startswith("text/plain")
    text = metrics.text
    assert 'isegraph_graphql_requests_total{operation="SectorList",outcome="OK"} 1.0' in text
    assert 'isegraph_graphql_requests_total{operation="Missing",outcome="NOT_FOUND"} 1.0' in text
    assert 'isegraph_graphql_request_seconds_count{operation="SectorList",outcome="OK"} 1.0' in text
    round_trips = [line for line in text.splitlines() if line.startswith("isegraph_cypher_round_trips_total")]
    assert round_trips and float(round_trips[0].split()[-1]) >= 2


def test_metrics_need_a_token_off_loopback(settings: Settings) -> None:
    # The test client's peer is not a loopback address, as a remote scraper's would not be.
    with TestClient(create_app(settings)) as remote:
        refused = remote.get("/metrics")
        assert refused.status_code == 403
        assert refused.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    with TestClient(create_app(replace(settings, metrics_token="scrape-secret-123"))) as remote:
        assert remote.get("/metrics").status_code == 403
        wrong = remote.get("/metrics", headers={"Authorization": "Bearer not-it"})
        assert wrong.status_code == 403
        allowed = remote.get("/metrics", headers={"Authorization": "Bearer scrape-secret-123"})
        assert allowed.status_code == 200 and "isegraph_cypher_round_trips_total" in allowed.text


def _refused(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=2).close()
    except OSError:
        return True
    return False


def test_sigterm_lets_a_slow_request_finish_then_exits_0(tmp_path: Path) -> None:
    service = start_service(tmp_path)
    body = json.dumps({"query": "{ __typename }", "variables": {"padding": "x" * 2000}}).encode()
    headers = (
        f"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
        f"Authorization: Bearer {token('ADMIN')}\r\nContent-Length: {len(body)}\r\n"
        "Expect: 100-continue\r\n\r\n"
    ).encode()
    # A slow client: the headers and half the body now, the rest after the SIGTERM.
    slow = socket.create_connection(("127.0.0.1", service.port), timeout=30)
    slow.sendall(headers + body[: len(body) // 2])
    # The server answers "100 Continue" once the service reads the body: the request is under way.
    interim = b""
    while b"\r\n\r\n" not in interim:
        chunk = slow.recv(1)
        assert chunk, "the service closed the connection"
        interim += chunk
    assert interim.startswith(b"HTTP/1.1 100"), interim
    signalled = time.monotonic()
    service.process.send_signal(signal.SIGTERM)
    wait_until(lambda: "Shutting down" in service.log.read_text(), 30, "the shutdown to begin")
    # No new work is accepted once shutdown began (the listening socket closes as it is logged).
    wait_until(lambda: _refused(service.port), 5, "new connections to be refused")
    slow.sendall(body[len(body) // 2 :])
    answer = b""
    while b'"Query"' not in answer:
        chunk = slow.recv(65536)
        if not chunk:
            break
        answer += chunk
    slow.close()
    assert answer.startswith(b"HTTP/1.1 200"), answer[:200]
    assert b'{"data":{"__typename":"Query"}' in answer
    code = service.process.wait(timeout=GRACE_SECONDS + 10)
    assert code == 0, service.log.read_text()
    assert time.monotonic() - signalled < GRACE_SECONDS + 5
    log = service.log.read_text()
    assert "Traceback" not in log and "Finished server process" in log


SECTORS = ["energy", "water", "communications"]
CREATE = """mutation($input: CreatePartnerInput!) { createPartner(input: $input) {
  partner { id } userErrors { code } } }"""


class Writers:
    """Threads creating partners through the service until stopped; remembers each acknowledged one."""

    def __init__(self, service: Service, prefix: str, threads: int = 6) -> None:
        self.service, self.prefix = service, prefix
        self.acknowledged: list[str] = []
        self.failed = 0
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self._write, args=(i,)) for i in range(threads)]
        for thread in self.threads:
            thread.start()

    def _write(self, worker: int) -> None:
        with httpx.Client(base_url=self.service.url, timeout=60) as http:
            for n in range(100_000):
                if self.stop.is_set():
                    return
                partner = f"{self.prefix}{worker}-{n}"
                fields = {"id": partner, "name": f"Written {partner}", "kind": "PRIVATE", "sectors": SECTORS}
                try:
                    response = http.post(
                        "/graphql",
                        json={"query": CREATE, "variables": {"input": fields}},
                        headers={"Authorization": f"Bearer {token('ADMIN')}"},
                    )
                except httpx.HTTPError:
                    if self.service.process.poll() is not None:
                        return
                    self.failed += 1
                    continue
                body = response.json()
                if response.status_code == 200 and (body.get("data") or {}).get("createPartner", {}).get(
                    "partner"
                ):
                    self.acknowledged.append(partner)
                else:
                    self.failed += 1

    def wait_for(self, count: int, seconds: float = 120) -> None:
        deadline = time.monotonic() + seconds
        while len(self.acknowledged) < count and time.monotonic() < deadline:
            time.sleep(0.1)  # bounded poll: until `count` writes are acknowledged, or the deadline

    def join(self) -> None:
        self.stop.set()
        for thread in self.threads:
            thread.join()


async def _stored(db: Database, prefix: str) -> dict[str, Any]:
    rows = await db.driver.execute_query(
        """MATCH (p:Partner) WHERE p.id STARTS WITH $prefix
           RETURN p.id AS id, count(*) AS copies, COUNT { (p)-[:IN_SECTOR]->() } AS sectors,
                  p.version AS version""",
        prefix=prefix,
        database_=db.name,
    )
    return {r["id"]: r for r in rows.records}


async def test_sigkill_during_writes_leaves_no_partial_record(
    tmp_path: Path, db: Database, seeded: None
) -> None:
    """Each partner created is there whole (node, every relation, its version) or not at all."""
    service = start_service(tmp_path)
    prefix = unique_prefix("killed")
    writers = Writers(service, prefix)
    writers.wait_for(5)
    service.process.send_signal(signal.SIGKILL)
    service.process.wait()
    writers.join()
    assert len(writers.acknowledged) >= 5
    stored = await _stored(db, prefix)
    assert set(writers.acknowledged) <= set(stored), "an acknowledged write was lost"
    partial = [r for r in stored.values() if r["sectors"] != len(SECTORS) or r["version"] is None]
    assert partial == [], partial


async def test_sigkill_of_neo4j_under_writes_loses_no_acknowledged_write(
    tmp_path: Path, db: Database, settings: Settings, seeded: None
) -> None:
    if settings.external_neo4j:
        pytest.skip("the tests do not kill an external server")
    service = start_service(tmp_path)
    prefix = unique_prefix("neo4jkilled")
    writers = Writers(service, prefix)
    try:
        writers.wait_for(5)
        pid = process.running_pid(settings)
        assert pid is not None
        os.kill(pid, signal.SIGKILL)
        wait_until(lambda: process.running_pid(settings) is None, 60, "Neo4j to be gone")
        down = httpx.get(f"{service.url}/readyz", timeout=10)
        assert down.status_code == 503
        process.start(settings, lambda message: None)
        deadline = time.monotonic() + 120
        while httpx.get(f"{service.url}/readyz", timeout=10).status_code != 200:
            assert time.monotonic() < deadline, "the service did not become ready again"
            time.sleep(0.5)  # bounded poll: until /readyz answers again, within the deadline
        after_restart = len(writers.acknowledged)
        writers.wait_for(after_restart + 3)  # the same service process writes again
        assert len(writers.acknowledged) >= after_restart + 3
    finally:
        writers.join()
        service.process.terminate()
        service.process.wait(timeout=60)
    stored = await _stored(db, prefix)
    assert set(writers.acknowledged) <= set(stored), "an acknowledged write was lost"
    assert [r["id"] for r in stored.values() if r["copies"] != 1] == []
    partial = [r for r in stored.values() if r["sectors"] != len(SECTORS) or r["version"] is None]
    assert partial == [], partial
