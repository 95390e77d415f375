"""Two service processes on one database: an edit through one shows in the very next recipient
list resolved through the other, whatever either has read before."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests.helpers import council_alert_network, data, token, unique_prefix

P = unique_prefix("twosvc")
QUERY = (
    "query($id: ID!) { recipients(productId: $id) { recipients { partner { id } reasons { source ref } } } }"
)
ADD_MEMBERSHIP = """mutation($input: AddMembershipInput!) {
  addMembership(input: $input) { membership { role } userErrors { code message } } }"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def second_service() -> Iterator[str]:
    """`isegraph serve` in a process of its own, on the tests' database."""
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "graph_api", "serve", "--host", "127.0.0.1", "--port", str(port)],
        env=os.environ.copy(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            assert server.poll() is None, "the second service exited"
            assert time.monotonic() < deadline, "the second service did not start"
            time.sleep(0.2)  # bounded poll: until /healthz answers, within the deadline above
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def _post(url: str, query: str, **variables: Any) -> dict[str, Any]:
    response = httpx.post(
        f"{url}/graphql",
        json={"query": query, "variables": variables},
        headers={"Authorization": f"Bearer {token('ANALYST')}"},
        timeout=60,
    )
    body: dict[str, Any] = response.json()
    assert "errors" not in body, body
    return body["data"]


async def _network(db: Database) -> None:
    document = council_alert_network(P, "Two Services")
    report = await import_network(db, document)
    assert report.ok, report.problems


def _mine(answer: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    return {
        r["partner"]["id"]: r["reasons"]
        for r in answer["recipients"]["recipients"]
        if r["partner"]["id"].startswith(P)
    }


async def test_an_edit_through_one_service_shows_in_the_next_list_through_the_other(
    db: Database, client: TestClient, second_service: str, seeded: None
) -> None:
    await _network(db)
    product = f"{P}alert"
    before = _mine(_post(second_service, QUERY, id=product))
    assert list(before) == [f"{P}chair"]
    added = data(client, ADD_MEMBERSHIP, input={"partner": f"{P}op", "council": f"{P}scc", "role": "MEMBER"})
    assert added["addMembership"]["userErrors"] == []
    after = _mine(_post(second_service, QUERY, id=product))
    assert after == {**before, f"{P}op": [{"source": "REQUIREMENT", "ref": f"{P}req"}]}
    # And back again, through the other process this time.
    first = _mine(data(client, QUERY, id=product))
    assert first == after
