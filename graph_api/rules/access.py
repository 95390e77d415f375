"""Who may do what: every access rule of the service, in one place.

ADMIN does everything; ANALYST reads everything, resolves recipients and disseminates; PARTNER
(bound to one organisation) reads the directory, its own organisation's contacts, and the
products `visible_products` allows. The API layer asks these functions before data leaves.
"""

from __future__ import annotations

from enum import StrEnum

from graph_api import domain
from graph_api.errors import ServiceError
from graph_api.identity import Principal, Role
from graph_api.store.database import Database


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
}


def require(principal: Principal, action: Action) -> None:
    if principal.role not in RULES[action]:
        raise Forbidden(f"A {principal.role.value} user may not {action.value}.")


def contacts_restricted_to(principal: Principal) -> str | None:
    """The one organisation whose contacts this user may see; None: every organisation's."""
    return principal.partner if principal.role == Role.PARTNER else None


def may_see_contacts_of(principal: Principal, partner_id: str) -> bool:
    only = contacts_restricted_to(principal)
    return only is None or only == partner_id


def require_inbox_of(principal: Principal, partner_id: str) -> None:
    if not may_see_contacts_of(principal, partner_id):
        raise Forbidden("A PARTNER user may read only its own organisation's inbox.")


async def visible_products(db: Database, principal: Principal) -> frozenset[str] | None:
    """The ids of the products this user may see; None means every product."""
    if principal.role != Role.PARTNER:
        return None
    rows = await db.read(
        "access/visible_products",
        partnerId=principal.partner,
        governmentKinds=sorted(domain.GOVERNMENT_KINDS),
    )
    return frozenset(rows[0]["ids"]) if rows else frozenset()
