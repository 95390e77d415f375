"""Whether a candidate of a recipient list may receive the product: the exclusion rules, written
once. The in-process recipient index calls `exclusion` for every candidate, onward sharing calls
`pcii_exclusion` for the partner shared with, and the Cypher statement that resolves a list
without the index (cypher/recipients/resolve.cypher) is held to `exclusion` by a test that tries
every combination of facts.

The facts are what the graph says of the candidate, read where the graph is: the functions only
decide. A candidate is excluded for the first rule that fails, in this order."""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from graph_api.domain.vocabulary import ExclusionReason, Tlp


def exclusion(
    *,
    active: bool,
    tlp: str,
    addressed: bool,
    pcii: bool,
    government: bool,
    authorized_contact: bool,
) -> ExclusionReason | None:
    """Why a candidate is excluded from a product's list, or None when it is a recipient.

    Args:
        active: the partner is active.
        tlp: the product's TLP level.
        addressed: the partner is one of the product's addressees.
        pcii: the product holds PCII.
        government: the partner's kind is a government kind.
        authorized_contact: the partner has an active, PCII-authorized contact.
    """
    if not active:
        return ExclusionReason.INACTIVE
    if tlp == Tlp.RED and not addressed:
        return ExclusionReason.TLP_RED_NOT_ADDRESSED
    return pcii_exclusion(pcii=pcii, government=government, authorized_contact=authorized_contact)


def pcii_exclusion(*, pcii: bool, government: bool, authorized_contact: bool) -> ExclusionReason | None:
    """The PCII part: a PCII product reaches only a government partner with an active,
    PCII-authorized contact."""
    if not pcii:
        return None
    if not government:
        return ExclusionReason.PCII_NOT_GOVERNMENT
    if not authorized_contact:
        return ExclusionReason.PCII_NO_AUTHORIZED_CONTACT
    return None


# A candidate's own facts, in the order of `exclusion`'s: active, addressed, government, and an
# active PCII-authorized contact.
CandidateFacts = tuple[bool, bool, bool, bool]


@dataclass(frozen=True)
class ProductRule:
    """`exclusion` with a product's facts fixed: its answer for each combination of a candidate's
    facts, asked once per list rather than once per candidate (a national list has a hundred
    thousand), and which of those facts the answer depends on (`reads`, in `CandidateFacts`
    order), so that a list looks up only those; a fact not read is given as False."""

    decided: dict[CandidateFacts, ExclusionReason | None]
    reads: tuple[bool, bool, bool, bool]


def for_product(*, tlp: str, pcii: bool) -> ProductRule:
    combinations: list[CandidateFacts] = [
        (a, d, g, c) for a, d, g, c in itertools.product((False, True), repeat=4)
    ]
    decided = {
        facts: exclusion(
            active=facts[0],
            tlp=tlp,
            addressed=facts[1],
            pcii=pcii,
            government=facts[2],
            authorized_contact=facts[3],
        )
        for facts in combinations
    }
    reads = tuple(
        any(decided[facts] != decided[_flipped(facts, n)] for facts in combinations) for n in range(4)
    )
    return ProductRule(decided, (reads[0], reads[1], reads[2], reads[3]))


def _flipped(facts: CandidateFacts, n: int) -> CandidateFacts:
    flipped = list(facts)
    flipped[n] = not flipped[n]
    return (flipped[0], flipped[1], flipped[2], flipped[3])
