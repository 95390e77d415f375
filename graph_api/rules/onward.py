"""Onward lists: whom in its area a fusion center should pass a product on to, and why.

A fusion center F plans for the partners of its scope: every partner other than F in a region
related to one F serves (reason AREA, ref the smallest such served region) and every client of F
(reason CLIENT, ref F). Partners of the area count when they are candidates of the product's own
list (with those reasons, under its region rule); clients always do. A candidate is excluded by
the recipient list's rules first, then by whether F may share the product with it
(`sharing.decide`). A product F may not see is answered exactly as a missing one.

The facts are read in one statement (cypher/onward/scope.cypher) beside the product's own list
for those partners; `onward_candidates` only decides.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from graph_api import domain
from graph_api.audience.index import order_key
from graph_api.domain import eligibility
from graph_api.domain.interchange import Record
from graph_api.errors import InvalidInput, NotFound
from graph_api.identity import Principal
from graph_api.rules import access, recipients, sharing
from graph_api.rules.recipients import CONTACT_FIELDS, CandidateRow, ResolvedRows
from graph_api.store.database import Database
from graph_api.store.statements import composed
from graph_api.store.visibility import product_rule, product_viewer


@dataclass(frozen=True)
class ScopeFacts:
    """What the onward rules know of one partner of a fusion center's scope."""

    id: str
    name: str
    kind: str
    active: bool | None
    area: str | None  # the smallest served region related to one of its regions; None: outside
    client: bool  # a client of the fusion center
    community: bool  # shares a sector or a council membership with the fusion center
    addressed: bool  # the product is addressed to it
    authorized_contact: bool  # it has an active PCII-authorized contact
    contacts: list[Record]  # every contact, in list order (read for clients only)


def _scope_facts(row: list[Any]) -> ScopeFacts:
    pid, name, kind, active, area, client, community, addressed, authorized, contacts = row
    return ScopeFacts(
        id=pid,
        name=name,
        kind=kind,
        active=active,
        area=area,
        client=bool(client),
        community=bool(community),
        addressed=bool(addressed),
        authorized_contact=bool(authorized),
        contacts=[dict(zip(CONTACT_FIELDS, c, strict=True)) for c in contacts],
    )


def fusion_center_for(principal: Principal, given: str | None) -> tuple[str, str]:
    """Whose onward list this user asks for (a fusion-center analyst: its own organisation's by
    default), and what allows it (its role, or its scope), as the audit records it."""
    fusion_center = given if given is not None else principal.partner
    if fusion_center is None:
        raise InvalidInput("Name the fusion center whose onward list you want (fusionCenter).")
    return fusion_center, access.require_over(principal, access.Action.RESOLVE_ONWARD, fusion_center)


def audit_arguments(product_id: str, fusion_center: str, authority: str) -> dict[str, str]:
    return {"productId": product_id, "fusionCenter": fusion_center, "scope": authority}


async def onward_list(db: Database, product_id: str, fusion_center: str) -> recipients.RecipientList:
    rows = await onward_rows(db, product_id, fusion_center)
    return recipients.RecipientList(
        rows.product,
        [r for r in recipients.entries(rows.recipients) if isinstance(r, recipients.Recipient)],
        [e for e in recipients.entries(rows.excluded) if isinstance(e, recipients.Exclusion)],
    )


async def onward_rows(db: Database, product_id: str, fusion_center: str) -> ResolvedRows:
    """The onward list of `product_id` for `fusion_center`, as rows of a recipient list."""
    product, rows = await onward_candidate_rows(db, product_id, fusion_center)
    return ResolvedRows.of(product, rows)


async def onward_candidate_rows(
    db: Database, product_id: str, fusion_center: str
) -> tuple[Record, list[CandidateRow]]:
    """The product and its onward list's candidate rows, in list order."""
    text = composed("onward/scope", VIEWER=product_viewer(), VISIBLE=product_rule("product"))
    found = await db.read_text(
        text,
        productId=product_id,
        accessPartner=fusion_center,
        accessGovernmentKinds=sorted(domain.GOVERNMENT_KINDS),
    )
    facts = found[0]
    if not facts["fusionCenterFound"] or not facts["fusionCenter"]:
        raise NotFound(f"No fusion center has the id '{fusion_center}'.")
    if not facts["visible"]:
        raise NotFound(f"No information product has the id '{product_id}'.")
    product = await recipients.load_product(db, product_id)
    scope = [_scope_facts(row) for row in facts["scope"]]
    listed = await recipients.rows_of_partners(db, product, [s.id for s in scope])
    rows = await asyncio.to_thread(onward_candidates, product, fusion_center, scope, listed)
    return product, rows


def onward_candidates(
    product: Record, fusion_center: str, scope: Iterable[ScopeFacts], listed: Iterable[CandidateRow]
) -> list[CandidateRow]:
    """The onward list's candidate rows in list order, from the scope's facts and the product's
    own candidate rows (`listed`) for the partners of the scope."""
    facts = {s.id: s for s in scope}
    own = {row[0]: row for row in listed if row[0] in facts}
    pcii = bool(product["pcii"])
    rows: list[CandidateRow] = []
    for partner in facts.values():
        row = own.get(partner.id)
        if row is None:
            if not partner.client:
                continue  # in the area, but not a candidate of the product's own list
            row = _client_row(product, partner, pcii)
        pid, name, kind, reasons, exclusion, contacts = row
        reasons = list(reasons)
        if partner.area is not None:
            reasons.append(("AREA", partner.area, None))
        if partner.client:
            reasons.append(("CLIENT", fusion_center, None))
        if exclusion is None:
            decision = sharing.decide(
                {
                    "tlp": product["tlp"],
                    "pcii": pcii,
                    "toKind": kind,
                    "addressed": partner.addressed,
                    "community": partner.community,
                    "client": partner.client,
                    "toAuthorized": partner.authorized_contact,
                },
                same_partner=pid == fusion_center,
            )
            if not decision.allowed:
                exclusion, contacts = decision.reason, []
        rows.append((pid, name, kind, reasons, exclusion, contacts))
    rows.sort(key=lambda r: order_key(r[1], r[0]))
    return rows


def _client_row(product: Record, partner: ScopeFacts, pcii: bool) -> CandidateRow:
    """A client that is no candidate of the product's own list: the list's exclusion rules and
    contact rule applied to it."""
    exclusion = eligibility.exclusion(
        # As Cypher reads a missing `active` or `kind`: neither fails a rule.
        active=partner.active is not False,
        tlp=product["tlp"],
        addressed=partner.addressed,
        pcii=pcii,
        government=partner.kind is None or partner.kind in domain.GOVERNMENT_KINDS,
        authorized_contact=partner.authorized_contact,
    )
    if exclusion is not None:
        return partner.id, partner.name, partner.kind, [], exclusion.value, []
    active = [c for c in partner.contacts if c["active"] is True]
    contacts = [c for c in active if c["pciiAuthorized"] is True] if pcii else active
    return partner.id, partner.name, partner.kind, [], None, contacts
