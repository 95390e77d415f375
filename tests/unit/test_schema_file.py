"""The repository's schema.graphql is the schema the code serves."""

from __future__ import annotations

from pathlib import Path

from graph_api.api import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_graphql_matches_the_code() -> None:
    assert SCHEMA_FILE.read_text() == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `./dev isegraph schema schema.graphql`"
    )


def test_the_core_operations_of_the_contract_are_there() -> None:
    sdl = SCHEMA_FILE.read_text()
    for line in (
        "recipients(productId: ID!): RecipientList!",
        "canShare(productId: ID!, from: ID!, to: ID!): ShareDecision!",
        "connection(from: ID!, to: ID!, maxHops: Int = 6): ConnectionPath",
        "importNetwork(document: JSON!, dryRun: Boolean = false): ImportReport!",
    ):
        assert line in sdl, line
