"""The exclusion rule against the design's reference, with no database: every combination of a
candidate's facts, and the PCII part that onward sharing uses."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from graph_api import domain
from graph_api.domain import eligibility
from graph_api.rules.sharing import decide
from tests import reference

FACTS = list(
    itertools.product(
        (True, False),  # active
        domain.TLP_LEVELS,
        (True, False),  # addressed
        (True, False),  # pcii
        domain.PARTNER_KINDS,
        (True, False),  # an active, PCII-authorized contact
    )
)


def _reference(active: bool, tlp: str, addressed: bool, pcii: bool, kind: str, authorized: bool) -> Any:
    partner = {"id": "x", "name": "X", "kind": kind, "active": active}
    contact = {"id": "c", "partner": "x", "name": "C", "active": True, "pciiAuthorized": True}
    doc = {"partners": [partner], "contacts": [contact] if authorized else []}
    product = {"id": "p", "tlp": tlp, "pcii": pcii, "addressedTo": ["x"] if addressed else []}
    return reference.exclusion_reason(doc, product, partner)


def _ruled(active: bool, tlp: str, addressed: bool, pcii: bool, kind: str, authorized: bool) -> Any:
    government = kind in domain.GOVERNMENT_KINDS
    return eligibility.exclusion(
        active=active,
        tlp=tlp,
        addressed=addressed,
        pcii=pcii,
        government=government,
        authorized_contact=authorized,
    )


def test_the_rule_excludes_as_the_reference_does_for_every_combination_of_facts() -> None:
    differences = []
    for active, tlp, addressed, pcii, kind, authorized in FACTS:
        ruled = _ruled(active, tlp, addressed, pcii, kind, authorized)
        expected = _reference(active, tlp, addressed, pcii, kind, authorized)
        if ruled != expected:
            differences.append((active, tlp, addressed, pcii, kind, authorized, ruled, expected))
    assert len(FACTS) == 2 * 5 * 2 * 2 * 8 * 2
    assert differences == []


def test_the_rule_names_a_reason_of_the_vocabulary() -> None:
    reasons = {_ruled(*facts) for facts in FACTS}
    # Every reason of a recipient list's own rules; onward lists add those of onward sharing.
    assert reasons == {None, *domain.ExclusionReason} - domain.ONWARD_EXCLUSIONS
    assert all(r is None or isinstance(r, domain.ExclusionReason) for r in reasons)


@pytest.mark.parametrize(
    ("pcii", "kind", "authorized"), itertools.product((True, False), domain.PARTNER_KINDS, (True, False))
)
def test_onward_sharing_denies_for_pcii_as_a_recipient_list_excludes(
    pcii: bool, kind: str, authorized: bool
) -> None:
    """A product may be shared on (TLP permitting) only with a partner its recipient list could
    reach as far as PCII goes, denied for the same reason."""
    facts = {
        "tlp": "CLEAR",
        "community": False,
        "client": False,
        "addressed": False,
        "pcii": pcii,
        "toKind": kind,
        "toAuthorized": authorized,
    }
    shared = decide(facts, same_partner=False)
    listed = eligibility.exclusion(
        active=True,
        tlp="CLEAR",
        addressed=False,
        pcii=pcii,
        government=kind in domain.GOVERNMENT_KINDS,
        authorized_contact=authorized,
    )
    assert shared.reason == listed
    assert shared.allowed == (listed is None)


def test_a_products_rule_answers_as_the_rule_for_every_candidate_whichever_facts_it_reads() -> None:
    """A list asks the rule once per product and looks up only the facts the answer depends on,
    giving the others as False: the same answer as the rule's for every candidate."""
    for tlp, pcii in itertools.product(domain.TLP_LEVELS, (False, True)):
        rule = eligibility.for_product(tlp=tlp, pcii=pcii)
        for facts in itertools.product((True, False), repeat=4):
            looked_up = tuple(fact and read for fact, read in zip(facts, rule.reads, strict=True))
            active, addressed, government, authorized = facts
            assert rule.decided[looked_up] == eligibility.exclusion(
                active=active,
                tlp=tlp,
                addressed=addressed,
                pcii=pcii,
                government=government,
                authorized_contact=authorized,
            )
    # A product that is neither TLP:RED nor PCII reads nothing but whether the partner is active.
    assert eligibility.for_product(tlp="AMBER", pcii=False).reads == (True, False, False, False)
    assert eligibility.for_product(tlp="RED", pcii=True).reads == (True, True, True, True)
