"""Helpers shared by the tests."""

from __future__ import annotations

import itertools
import uuid
from typing import Any

from starlette.testclient import TestClient

from graph_api.rules.exporter import graph_counts
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


async def imported_sample(db: Database, name: str) -> str:
    """The sample network under fresh ids, imported; its id prefix."""
    from graph_api.rules.importer import import_network
    from tests.sample import sample

    prefix = unique_prefix(name)
    report = await import_network(db, sample(prefix))
    assert report.ok, report.problems
    return prefix
