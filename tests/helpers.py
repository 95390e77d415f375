"""Helpers shared by the tests."""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import itertools
import json
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2 as httpx
import pytest
import uvicorn
from starlette.testclient import TestClient

from graph_api.rules.exporter import graph_counts
from graph_api.settings import Settings
from graph_api.store.database import Database

_ids = itertools.count()
# Distinct per run as well, so a database kept between runs never sees an id twice.
_RUN = uuid.uuid4().hex[:6]


def unique_prefix(name: str) -> str:
    """Ids that no other test uses, so tests can share one database without clearing it."""
    return f"{name}{_RUN}{next(_ids)}-"


def token(role: str, partner: str | None = None, scopes: tuple[str, ...] = ()) -> str:
    """A valid token for the role (and scopes, written `KIND:id`), signed with the test server's
    configuration."""
    from graph_api.identity import Role, Scope, mint_token
    from graph_api.settings import load_settings

    held = frozenset(Scope.parse(text) for text in scopes)
    return mint_token(load_settings(), Role(role), partner, scopes=held)


def gql(client: TestClient, query: str, *, as_token: str | None = None, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation (as ADMIN, or with `as_token`); return the whole JSON answer."""
    headers = {"Authorization": f"Bearer {as_token}"} if as_token else None
    response = client.post("/graphql", json={"query": query, "variables": variables}, headers=headers)
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


def data(client: TestClient, query: str, *, as_token: str | None = None, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation that must succeed; return its data."""
    body = gql(client, query, as_token=as_token, **variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


def council_alert_network(prefix: str, name: str) -> dict[str, Any]:
    """A council (`{prefix}scc`) whose requirement (`{prefix}req`) sends ALERTs of its sector to
    its members; its chair (`{prefix}chair`); a partner not yet a member (`{prefix}op`); and an
    alert the requirement matches (`{prefix}alert`): adding `op` to the council adds it to the
    alert's recipients."""
    return {
        "partners": [
            {
                "id": f"{prefix}op",
                "name": f"{name} Operator",
                "kind": "PRIVATE",
                "sectors": ["energy"],
                "regions": [],
            },
            {
                "id": f"{prefix}chair",
                "name": f"{name} Chair",
                "kind": "PRIVATE",
                "sectors": [],
                "regions": [],
            },
        ],
        "councils": [
            {
                "id": f"{prefix}scc",
                "name": f"{name} Council",
                "kind": "SCC",
                "sectors": ["energy"],
                "members": [{"partner": f"{prefix}chair", "role": "CHAIR"}],
            }
        ],
        "requirements": [
            {
                "id": f"{prefix}req",
                "council": f"{prefix}scc",
                "sector": "energy",
                "kinds": ["ALERT"],
                "levels": [],
                "topics": [],
                "minSeverity": None,
                "audience": {"council": f"{prefix}scc"},
                "channel": "HSIN",
            }
        ],
        "products": [
            {
                "id": f"{prefix}alert",
                "title": f"{name} alert",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "GREEN",
                "pcii": False,
                "sectors": ["energy"],
                "topics": [],
                "regions": [],
                "addressedTo": [],
                "publishedAt": "2026-11-25T12:00:00Z",
            }
        ],
    }


async def counts(db: Database) -> tuple[int, int]:
    return await graph_counts(db)


POLL_SECONDS = 0.05


def wait_until(condition: Callable[[], bool], timeout: float, what: str) -> None:
    """Polls `condition` until it holds; fails after `timeout` seconds, naming `what`."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        time.sleep(POLL_SECONDS)  # bounded poll: the deadline above ends it


async def until(condition: Callable[[], bool | Awaitable[bool]], timeout: float, what: str) -> None:
    """`wait_until` inside the event loop; `condition` may be a coroutine function."""
    deadline = time.monotonic() + timeout
    while True:
        held = condition()
        if inspect.isawaitable(held):
            held = await held
        if held:
            return
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(POLL_SECONDS)  # bounded poll: the deadline above ends it


def free_port() -> int:
    """A loopback port nobody listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def npm_packages(directory: Path, installed: str) -> Path:
    """The npm packages of `directory`'s package-lock.json, installed by the test itself once."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("Node.js and npm are needed here (apt-get install nodejs npm)")
    if not (directory / "node_modules" / installed).exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=directory,
            check=True,
            timeout=600,
        )
    return directory


def run_node(directory: Path, script: str, *args: str, env: dict[str, str] | None = None) -> Any:
    """Runs a Node script of `directory` and returns the JSON of its last line of output."""
    result = subprocess.run(
        ["node", script, *args],
        cwd=directory,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@dataclass
class Served:
    """`isegraph serve` running as a process of its own, as an operator starts it."""

    url: str
    process: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        return self.log.read_text(errors="replace")


@contextlib.contextmanager
def serve(log: Path, *args: str, env: dict[str, str] | None = None) -> Iterator[Served]:
    """Starts `isegraph serve ARGS` on a free port, waits until it answers, stops it after."""
    port = free_port()
    with log.open("wb") as sink:
        process = subprocess.Popen(
            [sys.executable, "-m", "graph_api", "serve", "--port", str(port), *args],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
        )
    served = Served(f"http://127.0.0.1:{port}/graphql", process, log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"isegraph serve exited:\n{served.output()}"
            assert time.monotonic() < deadline, f"isegraph serve did not answer:\n{served.output()}"
            try:
                if httpx.get(f"http://127.0.0.1:{port}/readyz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)  # bounded poll: until /readyz answers, within the deadline above
        yield served
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def serving(settings: Settings) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, as clients reach it; yields its base URL."""
    from graph_api.http.app import create_app

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)  # bounded poll: until uvicorn has bound its socket, within the deadline
    try:
        assert server.started, "the service did not start within 30 s"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


async def imported_sample(db: Database, name: str) -> str:
    """The sample network under fresh ids, imported; its id prefix."""
    from graph_api.rules.importer import import_network
    from tests.sample import sample

    prefix = unique_prefix(name)
    report = await import_network(db, sample(prefix))
    assert report.ok, report.problems
    return prefix
