"""Who may do what: every access rule of the service, in one place.

ADMIN does everything; ANALYST reads everything, resolves recipients and disseminates; PARTNER
(bound to one organisation) reads the directory, its own organisation's contacts, and the
products `visible_products` allows. A PARTNER user may also hold scopes (`SCOPED`): a
fusion-center analyst of F resolves F's onward lists, a steward of council C governs C. The API
layer asks these functions before data leaves.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph_api import domain
from graph_api.errors import InvalidInput, ServiceError
from graph_api.identity import Principal, Role, Scope, ScopeKind
from graph_api.store.database import Database
from graph_api.store.statements import composed, statement
from graph_api.store.visibility import product_rule, product_viewer, viewer_per_row, without_comments


class Forbidden(ServiceError):
    code = "FORBIDDEN"


class Action(StrEnum):
    READ_DIRECTORY = "read the directory"
    RESOLVE_RECIPIENTS = "resolve recipient lists"
    READ_DELIVERIES = "read deliveries"
    DISSEMINATE = "disseminate products"
    EXPORT = "export the network"
    IMPORT = "import the network"
    EDIT = "edit the network"
    READ_AUDIT = "read the audit trail"
    WATCH_FEED = "follow the watch feed"
    ACKNOWLEDGE = "acknowledge products"
    SUBMIT_REPORT = "submit reports (a PARTNER user reports for its own organisation)"
    DECIDE_PCII = "validate or decline PCII protection"
    # Staff see every product, so a taken id tells them nothing; anyone else would learn from the
    # refusal that a product it may not see exists.
    CHOOSE_PRODUCT_ID = "choose the id of the product a report is published as"
    CONFIGURE_FEEDS = "configure open-source feeds"
    CURATE_OPEN_SOURCE = "read open-source items and curate the daily open-source report"
    RESOLVE_ONWARD = "resolve the onward recipient lists of a fusion center"
    STEWARD_COUNCIL = "change a council's requirements, working groups and memberships"
    CONFIGURE_PEERS = "read and configure the peer nodes and their sharing agreements"


EVERYONE = frozenset(Role)
STAFF = frozenset({Role.ADMIN, Role.ANALYST})
RULES: dict[Action, frozenset[Role]] = {
    Action.READ_DIRECTORY: EVERYONE,
    Action.RESOLVE_RECIPIENTS: STAFF,
    Action.READ_DELIVERIES: STAFF,
    Action.DISSEMINATE: STAFF,
    Action.EXPORT: STAFF,
    Action.IMPORT: frozenset({Role.ADMIN}),
    Action.EDIT: frozenset({Role.ADMIN}),
    Action.READ_AUDIT: frozenset({Role.ADMIN}),
    Action.WATCH_FEED: STAFF,
    Action.ACKNOWLEDGE: EVERYONE,
    Action.SUBMIT_REPORT: frozenset({Role.PARTNER}),
    Action.DECIDE_PCII: frozenset({Role.ADMIN}),
    Action.CHOOSE_PRODUCT_ID: STAFF,
    Action.CONFIGURE_FEEDS: frozenset({Role.ADMIN}),
    Action.CURATE_OPEN_SOURCE: STAFF,
    Action.RESOLVE_ONWARD: STAFF,
    Action.STEWARD_COUNCIL: frozenset({Role.ADMIN}),
    Action.CONFIGURE_PEERS: frozenset({Role.ADMIN}),
}
# Actions over one target (a fusion center, a council) that a scope grants beyond the roles of
# RULES: the scope of this kind whose target is the one acted on.
SCOPED: dict[Action, ScopeKind] = {
    Action.RESOLVE_ONWARD: ScopeKind.FUSION_CENTER_ANALYST,
    Action.STEWARD_COUNCIL: ScopeKind.STEWARD,
}
# How a refusal names the scope a user would need.
SCOPE_NAMES = {
    ScopeKind.FUSION_CENTER_ANALYST: "a fusion-center analyst of",
    ScopeKind.STEWARD: "a steward of",
}


def may(principal: Principal, action: Action) -> bool:
    return principal.role in RULES[action]


def require(principal: Principal, action: Action) -> None:
    if not may(principal, action):
        raise Forbidden(f"A {principal.role.value} user may not {action.value}.")


def authority_over(principal: Principal, action: Action, target: str) -> str | None:
    """What lets this user do `action` over `target`: its role (ADMIN, ANALYST) or the scope it
    holds (`STEWARD:energy-scc`), as the audit names it; None: nothing does."""
    if principal.role in RULES[action]:
        return principal.role.value
    kind = SCOPED.get(action)
    if kind is not None and principal.holds(kind, target):
        return str(Scope(kind, target))
    return None


def require_somewhere(principal: Principal, action: Action) -> None:
    """The check before the target is known: the role allows `action`, or the user holds a scope
    that allows it over some target (which the operation then checks with its target)."""
    kind = SCOPED.get(action)
    if kind is not None and any(scope.kind == kind for scope in principal.scopes):
        return
    require(principal, action)


def require_over(principal: Principal, action: Action, target: str) -> str:
    """`authority_over`, or FORBIDDEN saying which role or scope would allow it."""
    authority = authority_over(principal, action, target)
    if authority is not None:
        return authority
    roles = " or ".join(sorted(role.value for role in RULES[action]))
    kind = SCOPED.get(action)
    scoped = f" or {SCOPE_NAMES[kind]} '{target}' (scope {Scope(kind, target)})" if kind else ""
    raise Forbidden(f"Only {roles}{scoped} may {action.value} for '{target}'; this token does not allow it.")


def contacts_restricted_to(principal: Principal) -> str | None:
    """The one organisation whose contacts this user may see; None: every organisation's."""
    return principal.partner if principal.role == Role.PARTNER else None


def may_see_contacts_of(principal: Principal, partner_id: str) -> bool:
    only = contacts_restricted_to(principal)
    return only is None or only == partner_id


def require_inbox_of(principal: Principal, partner_id: str) -> None:
    if not may_see_contacts_of(principal, partner_id):
        raise Forbidden("A PARTNER user may read only its own organisation's inbox.")


@dataclass(frozen=True)
class Predicate:
    """A Cypher condition and the parameters it names (the principal's claims, never input).

    `prelude`, when set, is a clause (OPTIONAL MATCH … WITH …) that binds names the condition
    uses: facts about the user that hold for the whole statement, so a statement runs it once at
    its start rather than once per record tested."""

    text: str
    params: dict[str, Any]
    prelude: str = ""


def product_visibility(principal: Principal, product_var: str) -> Predicate | None:
    """The condition a product bound to `product_var` must meet for this user; None: every
    product is visible."""
    if principal.role != Role.PARTNER:
        return None
    return Predicate(
        product_rule(product_var),
        {"accessPartner": principal.partner, "accessGovernmentKinds": sorted(domain.GOVERNMENT_KINDS)},
        prelude=product_viewer(),
    )


def report_visibility(principal: Principal, report_var: str) -> Predicate:
    """The condition a report bound to `report_var` must meet for this user: staff see every
    report; a PARTNER user those its organisation submitted or that were routed to it."""
    if principal.role != Role.PARTNER:
        return Predicate("true", {})
    text = without_comments(statement("access/report_visible").replace("/*REPORT*/", report_var))
    return Predicate(
        text,
        {"accessPartner": principal.partner, "accessGovernmentKinds": sorted(domain.GOVERNMENT_KINDS)},
    )


def may_triage(principal: Principal, routed_to: list[str]) -> bool:
    """Staff triage every report; a PARTNER user those routed to its organisation."""
    return principal.role != Role.PARTNER or principal.partner in routed_to


def contact_visibility(principal: Principal, partner_var: str) -> Predicate | None:
    """The condition on the partner (bound to `partner_var`) whose contacts this user may see;
    None: every organisation's."""
    only = contacts_restricted_to(principal)
    if only is None:
        return None
    return Predicate(f"{partner_var}.id = $accessPartner", {"accessPartner": only})


async def visible_products(db: Database, principal: Principal) -> frozenset[str] | None:
    """The ids of the products this user may see; None means every product."""
    visible = product_visibility(principal, "product")
    if visible is None:
        return None
    text = composed("access/visible_products", VIEWER=visible.prelude, VISIBLE=visible.text)
    rows = await db.read_text(text, **visible.params)
    return frozenset(rows[0]["ids"]) if rows else frozenset()


async def visible_among(
    db: Database, partner_ids: list[str], product_ids: list[str]
) -> dict[str, frozenset[str]]:
    """Which of `product_ids` each partner's users may see, in one round trip (by the same rule as
    `visible_products`): what a stream of events about products asks for each batch."""
    if not partner_ids or not product_ids:
        return {partner: frozenset() for partner in partner_ids}
    rows = await db.read_text(
        composed("access/visible_among", VIEWER=viewer_per_row(), VISIBLE=product_rule("product")),
        partnerIds=sorted(set(partner_ids)),
        productIds=sorted(set(product_ids)),
        accessGovernmentKinds=sorted(domain.GOVERNMENT_KINDS),
    )
    found = {row["partner"]: frozenset(row["ids"]) for row in rows}
    return {partner: found.get(partner, frozenset()) for partner in partner_ids}


def acknowledging_partner(principal: Principal, partner_id: str | None) -> str:
    """Whose acknowledgement this is: a PARTNER user acknowledges for its own organisation only;
    staff record one received another way (a phone call) for the partner they name."""
    if principal.role == Role.PARTNER:
        if partner_id is not None and partner_id != principal.partner:
            raise Forbidden("A PARTNER user acknowledges products for its own organisation only.")
        assert principal.partner is not None
        return principal.partner
    if partner_id is None:
        raise InvalidInput("Name the partner whose acknowledgement you record (partnerId).")
    return partner_id
