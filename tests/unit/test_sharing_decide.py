"""May X pass P to Y: the pure decision over the facts the graph gave, every combination."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from graph_api import domain
from graph_api.rules.sharing import ShareDecision, decide

KINDS = ["FEDERAL", "PRIVATE"]  # one government kind, one not


def _expected(f: dict[str, Any], same: bool) -> ShareDecision:
    """The onward-sharing table, written out independently: TLP first, then PCII."""
    tlp_ok = {
        "CLEAR": True,
        "GREEN": same or f["community"],
        "AMBER": same or f["client"],
        "AMBER_STRICT": same,
        "RED": f["addressed"],
    }[f["tlp"]]
    if not tlp_ok:
        reason = {
            "GREEN": "TLP_GREEN_OUTSIDE_COMMUNITY",
            "AMBER": "TLP_AMBER_NOT_CLIENT",
            "AMBER_STRICT": "TLP_AMBER_STRICT_OTHER_ORG",
            "RED": "TLP_RED_NOT_ADDRESSED",
        }[f["tlp"]]
        return ShareDecision(False, reason)
    if f["pcii"] and f["toKind"] not in ("FEDERAL", "STATE", "LOCAL", "TRIBAL", "TERRITORIAL"):
        return ShareDecision(False, "PCII_NOT_GOVERNMENT")
    if f["pcii"] and not f["toAuthorized"]:
        return ShareDecision(False, "PCII_NO_AUTHORIZED_CONTACT")
    return ShareDecision(True, None)


CASES = [
    (
        dict(
            zip(
                ("tlp", "pcii", "community", "client", "addressed", "toKind", "toAuthorized"),
                values,
                strict=True,
            )
        ),
        same,
    )
    for *values, same in itertools.product(
        domain.TLP_LEVELS,
        [False, True],
        [False, True],
        [False, True],
        [False, True],
        KINDS,
        [False, True],
        [False, True],
    )
]


@pytest.mark.parametrize(("facts", "same"), CASES)
def test_decide_follows_tlp_then_pcii(facts: dict[str, Any], same: bool) -> None:
    assert decide(facts, same_partner=same) == _expected(facts, same)


def test_the_cases_cover_every_denial_and_an_allowance() -> None:
    reasons = {decide(f, same_partner=s).reason for f, s in CASES}
    assert reasons == {
        None,
        "TLP_GREEN_OUTSIDE_COMMUNITY",
        "TLP_AMBER_NOT_CLIENT",
        "TLP_AMBER_STRICT_OTHER_ORG",
        "TLP_RED_NOT_ADDRESSED",
        "PCII_NOT_GOVERNMENT",
        "PCII_NO_AUTHORIZED_CONTACT",
    }


def test_red_is_for_the_addressed_even_within_one_organisation() -> None:
    facts = {"tlp": "RED", "pcii": False, "community": True, "client": True, "addressed": False}
    assert decide({**facts, "toKind": "FEDERAL", "toAuthorized": True}, same_partner=True) == ShareDecision(
        False, "TLP_RED_NOT_ADDRESSED"
    )
