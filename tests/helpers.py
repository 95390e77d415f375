"""Helpers shared by the tests."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from starlette.testclient import TestClient

from graph_api.database import Database
from graph_api.exporter import graph_counts

_ids = itertools.count()
# Distinct per run as well, so a database kept between runs never sees an id twice.
_RUN = uuid.uuid4().hex[:6]


def unique_prefix(name: str) -> str:
    """Ids that no other test uses, so tests can share one database without clearing it."""
    return f"{name}{_RUN}{next(_ids)}-"


def gql(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation; return the whole JSON answer (data and errors)."""
    response = client.post("/graphql", json={"query": query, "variables": variables})
    assert response.status_code in (200, 400), response.text
    body: dict[str, Any] = response.json()
    return body


def data(client: TestClient, query: str, **variables: Any) -> dict[str, Any]:
    """POST a GraphQL operation that must succeed; return its data."""
    body = gql(client, query, **variables)
    assert "errors" not in body, body["errors"]
    result: dict[str, Any] = body["data"]
    return result


async def counts(db: Database) -> tuple[int, int]:
    return await graph_counts(db)
