"""`isegraph serve`: worker processes, and the access log only when asked for."""

from __future__ import annotations

import http.client
import json
import re
import time
from pathlib import Path

import httpx2 as httpx

from tests.helpers import serve, token

QUERY = {"query": "{ __typename }"}


def _children(pid: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{pid}/task").iterdir():
        children |= {int(c) for c in (task / "children").read_text().split()}
    return children


def _ask(url: str, times: int) -> None:
    headers = {"Authorization": f"Bearer {token('ANALYST')}"}
    with httpx.Client(headers=headers) as client:
        for _ in range(times):
            response = client.post(url, json=QUERY)
            assert response.status_code == 200 and response.json()["data"] == {"__typename": "Query"}


def test_workers_serve_from_processes_of_their_own(tmp_path: Path, neo4j_server: None) -> None:
    with serve(tmp_path / "serve.log", "--workers", "2") as served:
        _ask(served.url, 20)
        # The service answers once one worker is up; on a busy machine the second starts later.
        deadline = time.monotonic() + 60
        while True:
            output = served.output()
            workers = {int(pid) for pid in re.findall(r"Started server process \[(\d+)\]", output)}
            if len(workers) >= 2 or time.monotonic() > deadline:
                break
            time.sleep(0.5)  # bounded poll: until the second worker has started, or the deadline
        assert len(workers) == 2, output
        assert workers <= _children(served.process.pid), output
        assert "2 worker processes" in output
        # No line per request unless asked for.
        assert '"POST /graphql' not in output, output
        _reuse_an_idle_connection(served.url, idle_seconds=6)


def _reuse_an_idle_connection(url: str, idle_seconds: float) -> None:
    """A pooled connection left idle, as a gateway leaves one between requests, still answers."""
    host, port = url.removeprefix("http://").split("/", 1)[0].split(":")
    headers = {"Authorization": f"Bearer {token('ANALYST')}", "Content-Type": "application/json"}
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        for pause in (idle_seconds, 0):
            connection.request("POST", "/graphql", body=json.dumps(QUERY), headers=headers)
            # A connection the server closed meanwhile raises RemoteDisconnected here.
            response = connection.getresponse()
            assert response.status == 200 and json.loads(response.read())["data"]
            # Longer than uvicorn's default keep-alive of 5 s, after which a server left at the
            # default would close the connection.
            time.sleep(pause)  # the idle period under test, not a wait for an event
    finally:
        connection.close()


def test_serve_uses_uvloop_and_httptools_and_logs_requests_when_asked(
    tmp_path: Path, neo4j_server: None
) -> None:
    with serve(tmp_path / "serve.log", "--access-log") as served:
        loops = [
            line
            for line in Path(f"/proc/{served.process.pid}/maps").read_text().splitlines()
            if "uvloop" in line or "httptools" in line
        ]
        _ask(served.url, 3)
    assert any("uvloop" in line for line in loops) and any("httptools" in line for line in loops)
    assert len(re.findall(r'"POST /graphql HTTP/1.1" 200', served.output())) == 3, served.output()
