"""Golden Cypher for list filters and sorts: the text and parameters a where-dict compiles to."""

from __future__ import annotations

from typing import Any

import pytest

from graph_api.errors import InvalidInput
from graph_api.store.filters import compile_sort, compile_where

GOLDEN: list[tuple[str, dict[str, Any], str, dict[str, Any]]] = [
    ("Partner", {}, "true", {}),
    (
        "Partner",
        {"name_CONTAINS": "grid", "kind_IN": ["PRIVATE", "STATE"], "sectors_SOME": {"id": "energy"}},
        "(toLower(n.name) CONTAINS toLower($w0) AND n.kind IN $w1 AND "
        "EXISTS { MATCH (n)-[:IN_SECTOR]->(m2:Sector) WHERE (m2.id = $w3) })",
        {"w0": "grid", "w1": ["PRIVATE", "STATE"], "w3": "energy"},
    ),
    (
        "InformationProduct",
        {"OR": [{"severity_GTE": "HIGH"}, {"NOT": {"tlp": "RED"}}], "publishedAt_LT": "2026-11-25T12:00:00Z"},
        "(((n.severityRank >= $w0) OR (NOT (n.tlp = $w1))) AND n.publishedAt < datetime($w2))",
        # Severities compare by rank; date-times travel normalised, with their zone.
        {"w0": 3, "w1": "RED", "w2": "2026-11-25T12:00:00+00:00"},
    ),
    (
        "Council",
        {
            "members_ALL": {"active": True},
            "children_SINGLE": {"kind": "ISWG"},
            "members_NONE": {"kind": "FEDERAL"},
        },
        "(NOT EXISTS { MATCH (m0:Partner)-[:MEMBER_OF]->(n) WHERE NOT (m0.active = $w1) } AND "
        "COUNT { MATCH (m2:Council)-[:PART_OF]->(n) WHERE (m2.kind = $w3) } = 1 AND "
        "NOT EXISTS { MATCH (m4:Partner)-[:MEMBER_OF]->(n) WHERE (m4.kind = $w5) })",
        {"w1": True, "w3": "ISWG", "w5": "FEDERAL"},
    ),
    (
        "Requirement",
        {"minSeverity_IN": ["LOW", "CRITICAL"], "id_STARTS_WITH": "req-", "channel_NOT": "PHONE"},
        "(n.minSeverityRank IN $w0 AND n.id STARTS WITH $w1 AND n.channel <> $w2)",
        {"w0": [1, 4], "w1": "req-", "w2": "PHONE"},
    ),
    # A null value means "not given", as GraphQL sends unset input fields.
    ("Topic", {"name": None, "id_NOT_IN": ["cyber"]}, "(NOT n.id IN $w0)", {"w0": ["cyber"]}),
]


@pytest.mark.parametrize(("entity", "where", "cypher", "params"), GOLDEN)
def test_where_compiles_to_the_golden_cypher(
    entity: str, where: dict[str, Any], cypher: str, params: dict[str, Any]
) -> None:
    assert compile_where(entity, where) == (cypher, params)


def test_values_never_reach_the_cypher_text() -> None:
    hostile = "x') MATCH (n) DETACH DELETE n //"
    text, params = compile_where("Partner", {"name": hostile, "OR": [{"id_IN": [hostile]}]})
    assert hostile not in text
    assert sorted(params.values(), key=str) == sorted([hostile, [hostile]], key=str)


def test_longer_field_names_win_over_a_shorter_field_plus_operator() -> None:
    # `name_NOT_IN` is the field `name` with `_NOT_IN`, never `name_NOT` with a stray `_IN`.
    assert compile_where("Partner", {"name_NOT_IN": ["a"]}) == ("(NOT n.name IN $w0)", {"w0": ["a"]})


@pytest.mark.parametrize(
    ("entity", "sort", "order"),
    [
        ("Partner", [{"kind": "DESC"}], "n.kind DESC, n.id ASC"),
        ("Partner", None, "n.name ASC, n.id ASC"),
        ("InformationProduct", None, "n.publishedAt DESC, n.id ASC"),
        (
            "InformationProduct",
            [{"severity": "ASC"}, {"title": "DESC"}],
            "n.severityRank ASC, n.title DESC, n.id ASC",
        ),
    ],
)
def test_sort_compiles_to_order_by_with_id_breaking_ties(
    entity: str, sort: list[dict[str, str]] | None, order: str
) -> None:
    assert compile_sort(entity, sort) == order


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: compile_where("InformationProduct", {"nme": "x"}), "where.nme: 'nme' is not a filter of"),
        (
            lambda: compile_where("Partner", {"sectors_SOME": {"colour": "red"}}),
            "'colour' is not a filter of Sector",
        ),
        (
            lambda: compile_where("InformationProduct", {"publishedAt_GT": "yesterday"}),
            "'yesterday' is not an ISO-8601 date-time with a zone",
        ),
        (lambda: compile_where("InformationProduct", {"publishedAt": "2026-11-25T12:00:00"}), "with a zone"),
        (
            lambda: compile_sort("Partner", [{"name": "ASC", "kind": "DESC"}]),
            "sort[0] must name exactly one field",
        ),
        (lambda: compile_sort("Partner", [{"email": "ASC"}]), "cannot sort Partner by 'email' ASC"),
        (lambda: compile_sort("Partner", [{"name": "SIDEWAYS"}]), "cannot sort Partner by 'name' SIDEWAYS"),
    ],
)
def test_what_is_not_in_the_allow_lists_is_a_clear_error(call: Any, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        call()
    assert message in str(refused.value)
