"""Import and export of the interchange document on the real database."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from neo4j.exceptions import ConstraintError

from graph_api.rules.exporter import export_network
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from graph_api.store.records import read_records
from tests.helpers import counts, unique_prefix
from tests.sample import sample


async def _refused(db: Database, document: Any) -> list[tuple[str, str]]:
    """Import a bad document; assert the graph did not change; return (path, code) pairs."""
    before = await counts(db)
    report = await import_network(db, document)
    assert not report.ok
    assert await counts(db) == before
    return [(p.path, p.code) for p in report.problems]


async def test_a_valid_document_imports_and_reports_what_it_created(db: Database) -> None:
    doc = sample(unique_prefix("imp"))
    report = await import_network(db, doc)
    assert report.ok, report.problems
    created = {c.collection: c.created for c in report.counts}
    assert created == {
        "sectors": 1,
        "regions": 2,
        "topics": 1,
        "partners": 5,
        "councils": 3,
        "contacts": 1,
        "requirements": 2,
        "subscriptions": 1,
        "products": 1,
    }


async def test_importing_the_same_document_twice_changes_nothing(db: Database) -> None:
    doc = sample(unique_prefix("twice"))
    await import_network(db, doc)
    before = await counts(db)
    again = await import_network(db, doc)
    assert again.ok and again.transactions == 0
    assert all(c.created == 0 and c.updated == 0 for c in again.counts)
    assert await counts(db) == before


async def test_export_then_import_reproduces_the_graph(db: Database) -> None:
    await import_network(db, sample(unique_prefix("round")))
    exported = await export_network(db)
    before = await counts(db)
    report = await import_network(db, exported)
    assert report.ok, report.problems[:5]
    assert all(c.created == 0 and c.updated == 0 for c in report.counts)
    assert await counts(db) == before
    assert await export_network(db) == exported


async def test_dry_run_counts_without_writing(db: Database) -> None:
    doc = sample(unique_prefix("dry"))
    before = await counts(db)
    report = await import_network(db, doc, dry_run=True)
    assert report.ok and report.dry_run
    assert sum(c.created for c in report.counts) == 17
    assert await counts(db) == before


async def test_a_record_list_replaces_what_the_graph_held(db: Database) -> None:
    prefix = unique_prefix("replace")
    doc = sample(prefix)
    await import_network(db, doc)
    council = copy.deepcopy(doc["councils"][0])
    council["members"] = [{"partner": f"{prefix}p2", "role": "CHAIR"}]
    report = await import_network(db, {"councils": [council]})
    assert [(c.collection, c.updated) for c in report.counts if c.updated] == [("councils", 1)]
    [stored] = await read_records(db, "councils", [council["id"]])
    assert stored["members"] == [{"partner": f"{prefix}p2", "role": "CHAIR"}]
    # Records the document does not mention are left alone.
    assert len(await read_records(db, "partners", [f"{prefix}p1", f"{prefix}p3"])) == 2


async def test_references_may_point_at_records_already_in_the_graph(db: Database) -> None:
    prefix = unique_prefix("graphref")
    await import_network(db, sample(prefix))
    contact = {
        "id": f"{prefix}c9",
        "partner": f"{prefix}p2",
        "name": "B. Officer",
        "email": "b@example.org",
        "channels": ["PHONE"],
    }
    report = await import_network(db, {"contacts": [contact]})
    assert report.ok, report.problems


def _bad_documents(prefix: str) -> list[tuple[str, dict[str, Any], list[tuple[str, str]]]]:
    base = sample(prefix)
    unknown = copy.deepcopy(base)
    unknown["partners"][0]["sectors"].append("no-such-sector")
    unknown["requirements"][0]["audience"] = {"council": "no-such-council"}
    bad_enum = copy.deepcopy(base)
    bad_enum["products"][0]["tlp"] = "PURPLE"
    bad_enum["contacts"][0]["channels"] = ["PIGEON"]
    duplicate = copy.deepcopy(base)
    duplicate["partners"].append(copy.deepcopy(duplicate["partners"][1]))
    # Partners and councils share one id space.
    duplicate["councils"].append({"id": f"{prefix}p1", "name": "Clash", "kind": "SCC"})
    missing = copy.deepcopy(base)
    del missing["partners"][1]["name"]
    del missing["products"][0]["publishedAt"]
    region_cycle = copy.deepcopy(base)
    region_cycle["regions"][0]["parent"] = f"{prefix}ca"
    council_cycle = copy.deepcopy(base)
    council_cycle["councils"][0]["parent"] = f"{prefix}energy-iswg"
    shapes = copy.deepcopy(base)
    shapes["partners"][0]["active"] = "yes"
    shapes["contacts"][0]["email"] = "not-an-email"
    shapes["subscriptions"][0]["sector"] = f"{prefix}energy"
    shapes["partners"][2]["colour"] = "blue"
    return [
        (
            "unknown reference",
            unknown,
            [
                ("$.partners[0].sectors[1]", "UNKNOWN_REFERENCE"),
                ("$.requirements[0].audience.council", "UNKNOWN_REFERENCE"),
            ],
        ),
        (
            "bad enum",
            bad_enum,
            [("$.contacts[0].channels[0]", "BAD_ENUM"), ("$.products[0].tlp", "BAD_ENUM")],
        ),
        ("duplicate id", duplicate, [("$.councils[3]", "DUPLICATE_ID"), ("$.partners[5]", "DUPLICATE_ID")]),
        (
            "missing field",
            missing,
            [("$.partners[1].name", "MISSING_FIELD"), ("$.products[0].publishedAt", "MISSING_FIELD")],
        ),
        ("region cycle", region_cycle, [("$.regions[0].parent", "CYCLE"), ("$.regions[1].parent", "CYCLE")]),
        (
            "council cycle",
            council_cycle,
            [("$.councils[0].parent", "CYCLE"), ("$.councils[2].parent", "CYCLE")],
        ),
        (
            "wrong shapes",
            shapes,
            [
                ("$.contacts[0].email", "BAD_EMAIL"),
                ("$.partners[0].active", "BAD_TYPE"),
                ("$.partners[2].colour", "UNKNOWN_FIELD"),
                ("$.subscriptions[0]", "BAD_SUBSCRIPTION"),
            ],
        ),
    ]


@pytest.mark.parametrize("case", range(7), ids=lambda i: _bad_documents("x")[i][0])
async def test_each_kind_of_bad_document_is_refused_with_every_path(db: Database, case: int) -> None:
    _, document, expected = _bad_documents(unique_prefix("bad"))[case]
    assert sorted(await _refused(db, document)) == sorted(expected)


async def test_a_cycle_through_the_graph_is_refused(db: Database) -> None:
    prefix = unique_prefix("gcycle")
    await import_network(db, sample(prefix))
    # In the graph: ca → fema-9. Making fema-9's parent ca closes a loop through the graph.
    fema = {"id": f"{prefix}fema-9", "name": "FEMA Region IX", "kind": "FEMA_REGION", "parent": f"{prefix}ca"}
    assert await _refused(db, {"regions": [fema]}) == [("$.regions[0].parent", "CYCLE")]


@pytest.mark.parametrize("document", [None, [], "text", {"partners": "p1"}, {"people": []}])
async def test_documents_of_the_wrong_shape_are_refused(db: Database, document: Any) -> None:
    assert await _refused(db, document)


async def test_the_database_itself_refuses_duplicate_ids(db: Database) -> None:
    prefix = unique_prefix("constraint")
    await import_network(db, sample(prefix))
    for statement in (
        "CREATE (:Partner {id: $id, name: 'Copy'})",
        "CREATE (:Council:Vertex {id: $id, name: 'A council with a partner id'})",
    ):
        with pytest.raises(ConstraintError):
            await db.driver.execute_query(statement, id=f"{prefix}p1")
    for label_statement in (
        "CREATE (:Sector {id: $id})",
        "CREATE (:Region {id: $id})",
        "CREATE (:InformationProduct {id: $id})",
    ):
        ids = {
            "CREATE (:Sector {id: $id})": "energy",
            "CREATE (:Region {id: $id})": "ca",
            "CREATE (:InformationProduct {id: $id})": "prod-1",
        }
        with pytest.raises(ConstraintError):
            await db.driver.execute_query(label_statement, id=prefix + ids[label_statement])
