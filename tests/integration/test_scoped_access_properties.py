"""What a scoped user may do, against the plain-Python statement of the access table
(tests/reference.py, §12) on generated networks: stewards' edits and working groups, and who may
propose. Zero differences."""

from __future__ import annotations

import itertools
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api.identity import Principal, Role, Scope
from graph_api.rules import proposals, stewardship
from graph_api.rules.access import Forbidden
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import unique_prefix
from tests.strategies import add_prefix, networks

_examples = itertools.count()


async def _allowed(db: Database, principal: Principal, governed: stewardship.Governed) -> bool:
    try:
        await stewardship.authority(db, principal, governed)
    except Forbidden:
        return False
    return True


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(doc=networks(prefix="a-"), choices=st.data())
async def test_stewards_and_proposers_match_the_access_table(
    db: Database, doc: dict[str, Any], choices: Any
) -> None:
    prefix = unique_prefix(f"acc{next(_examples)}x")
    doc = add_prefix(doc, prefix)
    report = await import_network(db, doc)
    assert report.ok, report.problems
    councils = [c["id"] for c in doc["councils"]]
    partners = [p["id"] for p in doc["partners"]]
    differences = []
    for partner in partners:
        # Claims for some councils: those it chairs and others, as a token may carry any.
        claimed = choices.draw(st.sets(st.sampled_from(councils)), label=f"claims of {partner}")
        scopes = frozenset(Scope.parse(f"STEWARD:{c}") for c in claimed)
        principal = Principal(f"user@{partner}", Role.PARTNER, partner, scopes)
        held = [str(s) for s in scopes]
        for council in councils:
            found = await _allowed(db, principal, stewardship.Governed(councils=(council,)))
            if found != reference.stewards(doc, partner, held, council):
                differences.append(("edit", partner, sorted(held), council, found))
            for kind in ("ISWG", "SCC"):
                governed = stewardship.Governed(
                    creates_council=True, new_council_parent=council, new_council_kind=kind
                )
                found = await _allowed(db, principal, governed)
                if found != reference.creates_working_group(doc, partner, held, council, kind):
                    differences.append(("working group", partner, sorted(held), council, kind, found))
            try:
                await proposals.propose(
                    db,
                    principal,
                    create={"id": f"{council}-proposed", "council": council},
                    update=None,
                    reason=None,
                )
                proposed = True
            except Forbidden:
                proposed = False
            if proposed != reference.may_propose(doc, partner, council):
                differences.append(("propose", partner, council, proposed))
    assert differences == []
