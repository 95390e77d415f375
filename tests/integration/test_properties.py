"""The service against the pure-Python reference of DESIGN.md §3 to §5 on generated networks.

Each example loads a random network through the import, then asks the service the same
question the reference answers. Ids carry a per-example prefix, so examples share the database;
answers are compared on the example's own partners (fusion centers of other examples are also
candidates for a product without regions, as §3 says they should be).
"""

from __future__ import annotations

import itertools
import uuid
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from functools import partial
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.rules import connections, editing, impact, recipients, sharing
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import unique_prefix
from tests.strategies import add_prefix, connection_cases, membership_cases, networks, share_cases

EXAMPLES = 200
_examples = itertools.count()
PROPERTY_SETTINGS = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None
)


async def _load(db: Database, doc: dict[str, Any]) -> tuple[dict[str, Any], str]:
    prefix = unique_prefix(f"prop{next(_examples)}x")
    prefixed = add_prefix(doc, prefix)
    report = await import_network(db, prefixed)
    assert report.ok, report.problems
    return prefixed, prefix


def _service_answer(answer: recipients.RecipientList, prefix: str) -> dict[str, Any]:
    return {
        "recipients": [
            {
                "partner": r.partner["id"],
                "reasons": [{"source": x.source, "ref": x.ref} for x in r.reasons],
                "contacts": [c["id"] for c in r.contacts],
                "channels": r.channels,
            }
            for r in answer.recipients
            if r.partner["id"].startswith(prefix)
        ],
        "excluded": [
            {"partner": e.partner["id"], "reason": e.reason}
            for e in answer.excluded
            if e.partner["id"].startswith(prefix)
        ],
    }


@PROPERTY_SETTINGS
@given(doc=networks(prefix="g-"))
async def test_recipient_lists_match_the_reference(db: Database, doc: dict[str, Any]) -> None:
    db = replace(db, recipient_index_reload_seconds=0.0)  # each example's import loads it again
    doc, prefix = await _load(db, doc)
    for product in doc["products"]:
        answer = await recipients.recipients_of(db, product["id"])
        assert _service_answer(answer, prefix) == reference.resolve_recipients(doc, product)
    # The lists came from the in-process index, loaded at the graph version of now.
    index = db.derived["audience"].index
    assert index is not None and index.token == await db.graph_version()


@PROPERTY_SETTINGS
@given(case=share_cases(prefix="s-"))
async def test_share_decisions_match_the_reference(db: Database, case: Any) -> None:
    raw, product_id, from_id, to_id = case
    doc, prefix = await _load(db, raw)
    product = next(p for p in doc["products"] if p["id"] == prefix + product_id)
    decision = await sharing.can_share(db, product["id"], prefix + from_id, prefix + to_id)
    expected = reference.can_share(doc, product, prefix + from_id, prefix + to_id)
    assert (decision.allowed, decision.reason) == expected


@settings(PROPERTY_SETTINGS, max_examples=100)
@given(case=connection_cases(prefix="c-"), max_hops=st.integers(min_value=0, max_value=6))
async def test_connections_are_shortest_paths_within_max_hops(db: Database, case: Any, max_hops: int) -> None:
    raw, from_id, to_id = case
    doc, prefix = await _load(db, raw)
    a, b = prefix + from_id, prefix + to_id
    shortest = reference.shortest_path_length(doc, a, b)
    path = await connections.connection(db, a, b, max_hops)
    if shortest is None or shortest > max_hops:
        assert path is None
        return
    assert path is not None and path.length == shortest
    ids = [step.id for step in path.path]
    assert ids[0] == a and ids[-1] == b and len(ids) == shortest + 1
    assert reference.is_valid_path(doc, ids)


@settings(PROPERTY_SETTINGS, max_examples=60)
@given(case=connection_cases(prefix="n-"), depth=st.integers(min_value=0, max_value=3))
async def test_neighborhoods_match_the_reference(db: Database, case: Any, depth: int) -> None:
    raw, from_id, _ = case
    doc, prefix = await _load(db, raw)
    found = await connections.neighborhood(db, prefix + from_id, depth)
    assert {n.id for n in found} == reference.neighborhood(doc, prefix + from_id, depth)


# Each example's products are published in a minute of their own, so that an impact question
# about that minute considers them alone (past runs may have left products in the database).
FAR_FUTURE = datetime(2300, 1, 1, tzinfo=UTC)
MINUTES_AHEAD = 400_000_000


def _published_alone(doc: dict[str, Any]) -> tuple[dict[str, Any], impact.PublicationPeriod]:
    start = FAR_FUTURE + timedelta(minutes=uuid.uuid4().int % MINUTES_AHEAD)
    products = [
        {**product, "publishedAt": (start + timedelta(seconds=n)).strftime("%Y-%m-%dT%H:%M:%SZ")}
        for n, product in enumerate(doc["products"])
    ]
    return {**doc, "products": products}, impact.PublicationPeriod(start, start + timedelta(minutes=1))


def _entry(r: recipients.Recipient) -> dict[str, Any]:
    return {
        "partner": r.partner["id"],
        "reasons": [(x.source, x.ref) for x in r.reasons],
        "contacts": [c["id"] for c in r.contacts],
        "channels": r.channels,
    }


def _whole_list_differences(
    before: dict[str, recipients.RecipientList], after: dict[str, recipients.RecipientList]
) -> dict[str, tuple[list[dict[str, Any]], list[str]]]:
    """For each product whose list changed: the recipients gained (as the list after has them) and
    the partners lost, in the lists' order."""
    differences = {}
    for product_id, old in before.items():
        new = after[product_id]
        had = {r.partner["id"] for r in old.recipients}
        has = {r.partner["id"] for r in new.recipients}
        gained = [_entry(r) for r in new.recipients if r.partner["id"] not in had]
        lost = [r.partner["id"] for r in old.recipients if r.partner["id"] not in has]
        if gained or lost:
            differences[product_id] = (gained, lost)
    return differences


# Each example loads the whole index again (the import changed more than partners).
@settings(PROPERTY_SETTINGS, max_examples=50)
@given(case=membership_cases(prefix="m-"))
async def test_impact_of_a_membership_edit_is_the_difference_of_the_whole_lists(
    db: Database, case: Any
) -> None:
    """impactOf of adding a membership (or removing it, when the partner already is a member)
    equals what the edit, once made, does to every whole list in the window: from the index and
    from Cypher alike."""
    raw, partner, council = case
    raw, period = _published_alone(raw)
    db = replace(db, recipient_index_reload_seconds=0.0)
    doc, prefix = await _load(db, raw)
    partner, council = prefix + partner, prefix + council
    [membership] = await db.read("edit/membership", partner=partner, council=council)
    edit: editing.Edit
    if membership["version"] is None:
        edit = partial(editing.add_membership, partner=partner, council=council, role="MEMBER")
    else:
        edit = partial(
            editing.remove_membership, partner=partner, council=council, version=membership["version"]
        )
    product_ids = [p["id"] for p in doc["products"]]
    by_cypher = replace(db, recipient_index=False)
    before = {p: await recipients.recipients_of(db, p) for p in product_ids}
    before_by_cypher = {p: await recipients.recipients_of(by_cypher, p) for p in product_ids}

    predicted = await impact.impact_of(db, edit, period)

    await db.in_write_transaction(editing.recorded(edit, "property-test"))
    after = {p: await recipients.recipients_of(db, p) for p in product_ids}
    after_by_cypher = {p: await recipients.recipients_of(by_cypher, p) for p in product_ids}
    assert predicted.considered == len(product_ids)
    answer = {
        p.product["id"]: ([_entry(r) for r in p.gained], [r.partner["id"] for r in p.lost])
        for p in predicted.products
    }
    assert answer == _whole_list_differences(before, after)
    assert answer == _whole_list_differences(before_by_cypher, after_by_cypher)
