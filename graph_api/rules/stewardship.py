"""Stewardship: a council governs its own requirements.

A steward of council C is a user of C's CHAIR organisation whose token holds the scope
`STEWARD:C`. A steward may create, change and delete the requirements of C and of C's working
groups (its ISWG children), create working groups under C, and add, change and remove their
memberships; nothing of any other council. Whether the user's organisation chairs C is read in
the edit's own transaction, so a chair replaced meanwhile steers nothing.
"""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.domain import CouncilKind
from graph_api.identity import Principal, Role, ScopeKind
from graph_api.rules.access import RULES, Action, Forbidden
from graph_api.store.database import Reader, Record


@dataclass(frozen=True)
class Governed:
    """What an edit touches that a steward must govern: councils (a requirement's council, a
    membership's), the council an existing requirement is set by, and, for a new council, its
    parent and kind (a steward creates working groups only)."""

    councils: tuple[str, ...] = ()
    requirement: str | None = None
    new_council_parent: str | None = None
    new_council_kind: str | None = None
    creates_council: bool = False


async def authority(db: Reader, principal: Principal, governed: Governed) -> str:
    """What allows this user to make the edit: its role, or the steward scope it used (as the
    audit names it); FORBIDDEN, saying why, otherwise."""
    if principal.role in RULES[Action.STEWARD_COUNCIL]:
        return principal.role.value
    if principal.role != Role.PARTNER or not any(s.kind == ScopeKind.STEWARD for s in principal.scopes):
        raise Forbidden(f"A {principal.role.value} user may not {Action.EDIT.value}.")
    if governed.creates_council:
        parent = governed.new_council_parent
        if governed.new_council_kind != CouncilKind.ISWG or parent is None:
            raise Forbidden(
                "A steward creates working groups only: a council of kind ISWG whose parent is the "
                "council it stewards."
            )
        rows = await _facts(db, principal, [parent], None)
        if rows and rows[0]["found"] and _governs_directly(principal, rows[0]):
            return f"{ScopeKind.STEWARD.value}:{parent}"
        raise _refusal(parent)
    rows = await _facts(db, principal, list(governed.councils), governed.requirement)
    used: set[str] = set()
    for row in rows:
        if not row["found"]:
            continue  # the edit itself reports a council that does not exist
        if _governs_directly(principal, row):
            used.add(row["id"])
        elif (
            row["kind"] == CouncilKind.ISWG and row["parent"] is not None and _governs_parent(principal, row)
        ):
            used.add(row["parent"])
        else:
            raise _refusal(row["id"])
    if not used:
        raise Forbidden("A steward may edit only the requirements and memberships of a council it stewards.")
    return ",".join(f"{ScopeKind.STEWARD.value}:{c}" for c in sorted(used))


async def _facts(
    db: Reader, principal: Principal, councils: list[str], requirement: str | None
) -> list[Record]:
    return await db.read(
        "access/stewardship", councils=councils, requirement=requirement, partner=principal.partner
    )


def _governs_directly(principal: Principal, row: Record) -> bool:
    return bool(row["chairsIt"]) and principal.holds(ScopeKind.STEWARD, row["id"])


def _governs_parent(principal: Principal, row: Record) -> bool:
    return bool(row["chairsParent"]) and principal.holds(ScopeKind.STEWARD, row["parent"])


def _refusal(council: str) -> Forbidden:
    return Forbidden(
        f"Only ADMIN or a steward of council '{council}' (a user of its CHAIR organisation with the "
        f"scope STEWARD:{council}, or of its parent's when it is a working group) may change it; "
        "this token does not allow it."
    )
