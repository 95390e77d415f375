"""Which partners an edit can move on a recipient list: impactOf resolves only those."""

from __future__ import annotations

from graph_api.rules.editing import Change
from graph_api.rules.impact import _partners_touched


def test_a_membership_edit_touches_its_partner_only() -> None:
    added = Change("memberships", "p1|scc", None, {"partner": "p1", "council": "scc", "role": "MEMBER"})
    assert _partners_touched([added]) == ["p1"]


def test_a_contact_moved_between_partners_touches_both() -> None:
    moved = Change("contacts", "c1", {"id": "c1", "partner": "p2"}, {"id": "c1", "partner": "p1"})
    assert _partners_touched([moved]) == ["p1", "p2"]


def test_a_merge_touches_the_kept_and_the_folded_partner() -> None:
    merge = [
        Change("partners", "dup", {"id": "dup"}, None),
        Change("partners", "keep", {"id": "keep"}, {"id": "keep"}),
    ]
    assert _partners_touched(merge) == ["dup", "keep"]


def test_an_edit_beyond_partners_touches_everyone() -> None:
    requirement = Change("requirements", "r1", None, {"id": "r1"})
    subscription = Change("subscriptions", "p1|topic|cyber", None, {"partner": "p1"})
    assert _partners_touched([subscription, requirement]) is None
    assert _partners_touched([Change("councils", "scc", {"id": "scc"}, {"id": "scc"})]) is None
