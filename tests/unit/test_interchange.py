"""Checking an interchange document: every problem with its JSON path, before anything is written."""

from __future__ import annotations

import copy
from typing import Any

from graph_api.domain.interchange import (
    GraphFacts,
    Problem,
    check_against_graph,
    check_document,
    clean,
    unresolved,
)
from tests.sample import sample

NO_GRAPH = GraphFacts(existing={}, region_parents={}, council_parents={})


def _problems(document: Any, facts: GraphFacts = NO_GRAPH) -> list[Problem]:
    checked = check_document(document)
    return sorted(checked.problems + check_against_graph(checked, facts), key=lambda p: p.path)


def _codes(document: Any) -> set[tuple[str, str]]:
    return {(p.path, p.code) for p in _problems(document)}


def test_the_sample_document_is_valid_on_its_own() -> None:
    assert _problems(sample("u-")) == []


def test_a_document_must_be_an_object_of_known_collections() -> None:
    assert _problems([1, 2])
    assert any("nonsense" in p.path or "nonsense" in p.message for p in _problems({"nonsense": []}))


def test_field_problems_name_the_path_of_the_value() -> None:
    document = {
        "sectors": [{"id": "energy", "name": "Energy"}],
        "partners": [{"id": "p1", "name": "", "kind": "SPACE", "sectors": ["energy"], "regions": []}],
    }
    problems = {p.path: p for p in _problems(document)}
    assert problems["$.partners[0].name"].code == "EMPTY"
    assert problems["$.partners[0].kind"].code == "BAD_ENUM"
    assert "FEDERAL" in problems["$.partners[0].kind"].message


def test_a_reference_must_resolve_in_the_document_or_the_graph() -> None:
    document = {
        "partners": [{"id": "p1", "name": "P", "kind": "PRIVATE", "sectors": ["nowhere"], "regions": []}]
    }
    checked = check_document(document)
    assert unresolved(checked) == {"sectors": {"nowhere"}}
    [problem] = check_against_graph(checked, NO_GRAPH)
    assert (problem.path, problem.code) == ("$.partners[0].sectors[0]", "UNKNOWN_REFERENCE")
    in_graph = GraphFacts(existing={"sectors": {"nowhere"}}, region_parents={}, council_parents={})
    assert check_against_graph(checked, in_graph) == []


def test_duplicate_ids_are_reported() -> None:
    document = sample("u-")
    document["topics"].append(copy.deepcopy(document["topics"][0]))
    assert any(code == "DUPLICATE_ID" for _, code in _codes(document))


def test_region_parents_may_not_form_a_cycle_even_through_the_graph() -> None:
    document = {"regions": [{"id": "a", "name": "A", "kind": "STATE", "parent": "b"}]}
    facts = GraphFacts(existing={"regions": {"b"}}, region_parents={"b": "a"}, council_parents={})
    assert any("cycle" in p.message.lower() for p in _problems(document, facts))


def test_a_subscription_names_exactly_one_of_topic_or_sector() -> None:
    document = sample("u-")
    subscription = document["subscriptions"][0]
    both = {**subscription, "topic": document["topics"][0]["id"], "sector": document["sectors"][0]["id"]}
    neither = {**subscription, "topic": None, "sector": None}
    for wrong in (both, neither):
        assert any(
            p.path.startswith("$.subscriptions[0]") for p in _problems({**document, "subscriptions": [wrong]})
        )


def test_checked_records_come_back_in_canonical_form() -> None:
    checked = check_document(sample("u-"))
    assert checked.problems == []
    partner = clean(checked.records["partners"][0])
    assert "_path" not in partner
    assert partner["id"] == sample("u-")["partners"][0]["id"]
