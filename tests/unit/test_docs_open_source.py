"""The GraphQL operations of docs/daily-open-source-report.md are valid against the schema."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import parse, validate

from graph_api.api import schema

PAGE = Path(__file__).resolve().parents[2] / "docs" / "daily-open-source-report.md"
BLOCKS = re.findall(r"```graphql\n(.*?)```", PAGE.read_text(), re.DOTALL)
CURLED = re.findall(r"\"query\": \"(.*?)\"\}'", PAGE.read_text())


def test_every_operation_on_the_page_is_valid() -> None:
    operations = BLOCKS + [q.replace('\\"', '"') for q in CURLED]
    assert len(BLOCKS) >= 10 and len(CURLED) == 3
    for operation in operations:
        errors = validate(schema._schema, parse(operation))
        assert errors == [], (operation, errors)
