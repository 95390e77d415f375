"""Report routing against a plain-Python statement of the rule (tests/reference.py), on the seed
network and on generated networks.

A report goes to every fusion center serving a region related to one of its regions (the
submitter's own when it names none) and to every national intake point. Answers are compared on
the network's own partners: the shared database also holds other tests' fusion centers and
intake points.
"""

from __future__ import annotations

import itertools
import random
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.rules import reports
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from seed.network import build_seed_document
from tests import reference
from tests.helpers import unique_prefix
from tests.strategies import add_prefix, networks

_examples = itertools.count()


def _service(answer: list[dict[str, Any]], ours: set[str]) -> dict[str, list[tuple[str, str | None]]]:
    return {
        route["partner"]: [(r["source"], r["ref"]) for r in route["reasons"]]
        for route in answer
        if route["partner"] in ours
    }


async def test_routing_on_the_seed_network_matches_the_rule(db: Database, seeded: None) -> None:
    doc = build_seed_document()
    ours = {p["id"] for p in doc["partners"]}
    regions = [r["id"] for r in doc["regions"]]
    pick = random.Random(20)
    submitters = pick.sample(sorted(ours), 40)
    cases = [(s, []) for s in submitters] + [
        (s, pick.sample(regions, pick.randint(1, 3))) for s in submitters
    ]
    cases += [("gulfside-chemical", ["us"]), ("gulfside-chemical", ["fema-6"]), ("lakeshore-arena", [])]
    routed_somewhere = 0
    for submitter, named in cases:
        expected = reference.report_routes(doc, submitter, named)
        assert _service(await reports.routes(db, submitter, named), ours) == expected, (submitter, named)
        routed_somewhere += any(r[0] == "FUSION_CENTER" for rs in expected.values() for r in rs)
    # The seed marks the NICC as its intake point: every report reaches it.
    assert reference.report_routes(doc, "gulfside-chemical", [])["nicc"] == [("INTAKE_POINT", None)]
    assert routed_somewhere > len(cases) // 2, "too few cases reach a fusion center to test the rule"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(doc=networks(prefix="r-"), choices=st.data())
async def test_routing_on_generated_networks_matches_the_rule(
    db: Database, doc: dict[str, Any], choices: st.DataObject
) -> None:
    prefix = unique_prefix(f"route{next(_examples)}x")
    doc = add_prefix(doc, prefix)
    partner_ids = [p["id"] for p in doc["partners"]]
    region_ids = [r["id"] for r in doc["regions"]]
    for intake in choices.draw(st.lists(st.sampled_from(partner_ids), max_size=2, unique=True)):
        next(p for p in doc["partners"] if p["id"] == intake)["intake"] = True
    report = await import_network(db, doc)
    assert report.ok, report.problems
    submitter = choices.draw(st.sampled_from(partner_ids))
    named = choices.draw(st.lists(st.sampled_from(region_ids), max_size=3, unique=True))
    answer = await reports.routes(db, submitter, named)
    assert _service(answer, set(partner_ids)) == reference.report_routes(doc, submitter, named)
