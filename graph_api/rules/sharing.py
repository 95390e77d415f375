"""Onward sharing: may partner X pass product P to partner Y?"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_api import domain
from graph_api.domain import eligibility
from graph_api.errors import NotFound
from graph_api.store.database import Database

# Whether an organisation has an active PCII-authorized contact is a PCII fact about it, shown to
# staff and to that organisation's own users only. Anyone else asking whether a PCII product may go
# to a government partner is answered the same whether or not it has one: not confirmed.
PCII_AUTHORIZATION_UNCONFIRMED = "PCII_AUTHORIZATION_UNCONFIRMED"


@dataclass(frozen=True)
class ShareDecision:
    allowed: bool
    reason: str | None


async def can_share(
    db: Database, product_id: str, from_id: str, to_id: str, *, sees_pcii_facts_of_to: bool = True
) -> ShareDecision:
    """The decision; `sees_pcii_facts_of_to`: whether the caller may learn the PCII facts of `to`."""
    facts = (await db.read("sharing/facts", productId=product_id, **{"from": from_id, "to": to_id}))[0]
    if not facts["productFound"]:
        raise NotFound(f"No information product has the id '{product_id}'.")
    for found, role, partner_id in (("fromFound", "from", from_id), ("toFound", "to", to_id)):
        if not facts[found]:
            raise NotFound(f"No partner has the id '{partner_id}' (argument '{role}').")
    return decide(facts, same_partner=from_id == to_id, sees_pcii_facts_of_to=sees_pcii_facts_of_to)


def decide(facts: dict[str, Any], *, same_partner: bool, sees_pcii_facts_of_to: bool = True) -> ShareDecision:
    """TLP 2.0 first, then PCII; a denial names the first rule that fails. A caller who may not
    learn `to`'s PCII facts hears PCII_AUTHORIZATION_UNCONFIRMED where they would decide."""
    tlp_denial = {
        "CLEAR": None,
        "GREEN": None if same_partner or facts["community"] else "TLP_GREEN_OUTSIDE_COMMUNITY",
        "AMBER": None if same_partner or facts["client"] else "TLP_AMBER_NOT_CLIENT",
        "AMBER_STRICT": None if same_partner else "TLP_AMBER_STRICT_OTHER_ORG",
        "RED": None if facts["addressed"] else "TLP_RED_NOT_ADDRESSED",
    }[facts["tlp"]]
    if tlp_denial:
        return ShareDecision(False, tlp_denial)
    government = facts["toKind"] in domain.GOVERNMENT_KINDS
    if facts["pcii"] and government and not sees_pcii_facts_of_to:
        # Whether another organisation has a PCII-authorized contact is shown to staff only.
        return ShareDecision(False, PCII_AUTHORIZATION_UNCONFIRMED)
    # PCII: the partner shared with must be one a recipient list could reach with the product.
    pcii_denial = eligibility.pcii_exclusion(
        pcii=bool(facts["pcii"]), government=government, authorized_contact=bool(facts["toAuthorized"])
    )
    if pcii_denial is not None:
        return ShareDecision(False, pcii_denial.value)
    return ShareDecision(True, None)
