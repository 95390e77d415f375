"""Helpers shared by the tests."""

from __future__ import annotations

import itertools
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

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


def token(role: str, partner: str | None = None) -> str:
    """A valid token for the role, signed with the test server's configuration."""
    from graph_api.identity import Role, mint_token
    from graph_api.settings import load_settings

    return mint_token(load_settings(), Role(role), partner)


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


async def counts(db: Database) -> tuple[int, int]:
    return await graph_counts(db)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


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
        time.sleep(0.1)
    try:
        assert server.started, "the service did not start within 30 s"
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)
