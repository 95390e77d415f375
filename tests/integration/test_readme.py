"""The README's GraphQL examples run as written against the seed network."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import gql

README = Path(__file__).resolve().parents[2] / "README.md"
EXAMPLES = re.findall(r"```graphql\n(.*?)```", README.read_text(), re.S)


def test_the_readme_has_examples() -> None:
    assert len(EXAMPLES) >= 10


@pytest.mark.parametrize("example", EXAMPLES, ids=[f"example-{i}" for i in range(len(EXAMPLES))])
def test_each_readme_example_runs(client: TestClient, seeded: None, example: str) -> None:
    body = gql(client, example)
    assert "errors" not in body, body["errors"]
    assert body["data"]
    refused = list(_user_errors(body["data"]))
    assert not refused, f"an edit in the example was refused: {refused}"


def _user_errors(value: object) -> Iterator[object]:
    """Every non-empty `userErrors` in an answer: an edit example must do what it says."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "userErrors" and item:
                yield item
            else:
                yield from _user_errors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _user_errors(item)


def test_every_root_operation_has_an_example() -> None:
    from graph_api.api import schema

    graphql = schema._schema
    roots = set(graphql.query_type.fields) | set(graphql.mutation_type.fields)  # type: ignore[union-attr]
    text = "\n".join(EXAMPLES)
    missing = {name for name in roots if not re.search(rf"\b{name}\b\s*[({{}}]", text)}
    assert not missing, f"README has no example for: {sorted(missing)}"
