"""Lists of any entity: filtered, sorted and windowed in one Cypher query."""

from __future__ import annotations

from typing import Any

from graph_api.domain.entities import ENTITIES
from graph_api.store.database import Database, Record
from graph_api.store.filters import compile_sort, compile_where
from graph_api.store.paging import Page, Window
from graph_api.store.statements import composed


async def list_ids(
    db: Database,
    entity: str,
    where: dict[str, Any] | None,
    sort: list[dict[str, str]] | None,
    window: Window,
    only_ids: frozenset[str] | None = None,
) -> Page[str]:
    """`only_ids` (None: no restriction) narrows the list to records a user may see."""
    predicate, params = compile_where(entity, where)
    if only_ids is not None:
        predicate += " AND n.id IN $onlyIds"
        params["onlyIds"] = sorted(only_ids)
    text = composed(
        "read/list", LABEL=ENTITIES[entity].label, WHERE=predicate, ORDER=compile_sort(entity, sort)
    )
    row = (
        await db.read_text(
            text, first=window.first, after=window.after, last=window.last, before=window.before, **params
        )
    )[0]
    return Page(int(row["total"]), int(row["start"]), row["page"])


async def related_ids(
    db: Database,
    parent: str,
    relation: str,
    keys: list[str],
    where: dict[str, Any] | None,
    sort: list[dict[str, str]] | None,
    window: Window,
    only_ids: frozenset[str] | None = None,
) -> dict[str, Page[str]]:
    """The window of `relation` for every parent id in `keys`, in one query."""
    link = ENTITIES[parent].relations[relation]
    predicate, params = compile_where(link.target, where)
    if only_ids is not None:
        predicate += " AND n.id IN $onlyIds"
        params["onlyIds"] = sorted(only_ids)
    pattern = link.pattern.replace("(n)", "(p)").replace("(m:", "(n:")
    text = composed(
        "read/related_list",
        PARENT=ENTITIES[parent].label,
        PATTERN=pattern,
        WHERE=predicate,
        ORDER=compile_sort(link.target, sort),
    )
    rows = await db.read_text(
        text,
        keys=keys,
        first=window.first,
        after=window.after,
        last=window.last,
        before=window.before,
        **params,
    )
    return {row["key"]: Page(int(row["total"]), int(row["start"]), row["page"]) for row in rows}


# Relationships listed on their own, which have no ids of their own: their list statements.
RELATIONSHIP_LISTS = {"memberships": "read/membership_list", "subscriptions": "read/subscription_list"}
# Rows that belong to a record without being records (memberships, subscriptions) or that are
# read whole for it (a sector's councils, a council's requirements): (type, field) → statement.
OWNED_ROWS = {
    ("Sector", "councils"): "read/councils_by_sector",
    ("Partner", "memberships"): "read/memberships_by_partner",
    ("Partner", "subscriptions"): "read/subscriptions_by_partner",
    ("Partner", "contacts"): "read/contacts_by_partner",
    ("Council", "requirements"): "read/requirements_by_council",
}


async def relationship_rows(db: Database, kind: str, window: Window, **filters: Any) -> Page[Record]:
    """A window of memberships or subscriptions, filtered by the given ids."""
    row = (
        await db.read(
            RELATIONSHIP_LISTS[kind],
            first=window.first,
            after=window.after,
            last=window.last,
            before=window.before,
            **filters,
        )
    )[0]
    return Page(int(row["total"]), int(row["start"]), row["page"])


async def owned_rows(db: Database, owner: str, field: str, keys: list[str]) -> dict[str, list[Record]]:
    """The rows of `owner.field` for every owner id in `keys`, in one query."""
    grouped: dict[str, list[Record]] = {key: [] for key in keys}
    for row in await db.read(OWNED_ROWS[(owner, field)], ids=keys):
        grouped[row["key"]].append(row)
    return grouped
