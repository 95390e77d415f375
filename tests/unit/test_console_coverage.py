"""How much of the API the console reaches: the root fields of Query, Mutation and Subscription
that its operations (`console/src/operations.ts`) use, against those `schema.graphql` declares.
Every field left out is named here with the reason; a field the console starts using must leave
this list, and a new schema field must either be used or be given a reason."""

from __future__ import annotations

import re
from pathlib import Path

from graphql import FieldNode, OperationDefinitionNode, parse
from graphql.language import ObjectTypeDefinitionNode

ROOT = Path(__file__).resolve().parents[2]
ROOT_TYPES = ("Query", "Mutation", "Subscription")

# Federation's own fields: the gateway calls them, no person does.
NOT_FOR_PEOPLE = {"Query._entities", "Query._service"}

_EDITING_THE_DAILY_OPEN_SOURCE_REPORT = (
    "editing the Daily Open Source Infrastructure Report (feeds, keyword rules, hand-added items, "
    "the draft and its publication) is an editor's desk of its own, not built yet; the console "
    "reads the feeds, items, reports and archive"
)
_ONE_BY_ID = (
    "read one by id: the console lists these in Administration (paged, filtered by id or name) and "
    "edits them from the list, so it never needs the single-record field"
)
LEFT_OUT: dict[str, str] = {
    "Mutation.addOpenSourceItem": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.configureOpenSourceFeed": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.deleteOpenSourceFeed": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.fetchOpenSourceFeeds": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.publishOpenSourceReport": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.saveOpenSourceReportDraft": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Mutation.setOpenSourceKeywordRule": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Query.openSourceKeywordRules": _EDITING_THE_DAILY_OPEN_SOURCE_REPORT,
    "Query.contact": _ONE_BY_ID,
    "Query.region": _ONE_BY_ID,
    "Query.requirement": _ONE_BY_ID,
    "Query.sector": _ONE_BY_ID,
    "Query.topic": _ONE_BY_ID,
}

TARGET = 0.85


def schema_fields() -> set[str]:
    document = parse((ROOT / "schema.graphql").read_text())
    return {
        f"{definition.name.value}.{field.name.value}"
        for definition in document.definitions
        if isinstance(definition, ObjectTypeDefinitionNode) and definition.name.value in ROOT_TYPES
        for field in definition.fields or ()
    } - NOT_FOR_PEOPLE


def console_documents() -> list[str]:
    """The operations' fixed texts; an interpolated selection (`${PRODUCT_FIELDS}`) is never a root
    field, so a placeholder stands in for it."""
    source = (ROOT / "console" / "src" / "operations.ts").read_text()
    documents = re.findall(r"`((?:query|mutation|subscription)\s+\w+.*?)`", source, re.DOTALL)
    return [re.sub(r"\$\{\w+\}", "__typename", text) for text in documents]


def console_fields() -> set[str]:
    used: set[str] = set()
    for text in console_documents():
        for definition in parse(text).definitions:
            assert isinstance(definition, OperationDefinitionNode)
            root = definition.operation.value.capitalize()
            for selection in definition.selection_set.selections:
                assert isinstance(selection, FieldNode)
                used.add(f"{root}.{selection.name.value}")
    return used


def test_every_console_operation_is_found_and_parses() -> None:
    source = (ROOT / "console" / "src" / "operations.ts").read_text()
    assert len(console_documents()) == source.count("operation<"), "an operation the test cannot read"


def test_the_console_uses_the_schema_or_says_why_not() -> None:
    fields, used = schema_fields(), console_fields()
    assert used <= fields, f"the console asks for fields the schema lacks: {sorted(used - fields)}"
    left_out = fields - used
    assert set(LEFT_OUT) == left_out, (
        f"left out without a reason: {sorted(left_out - set(LEFT_OUT))}; "
        f"given a reason but used (or gone): {sorted(set(LEFT_OUT) - left_out)}"
    )
    assert all(reason.strip() for reason in LEFT_OUT.values())
    coverage = len(used) / len(fields)
    print(f"console coverage: {len(used)} of {len(fields)} fields ({coverage:.0%})")
    assert coverage >= TARGET, f"{len(used)} of {len(fields)} = {coverage:.1%}, below {TARGET:.0%}"
