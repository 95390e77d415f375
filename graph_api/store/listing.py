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


async def relationship_rows(db: Database, statement: str, window: Window, **filters: Any) -> Page[Record]:
    """A window of `read/<statement>` rows: for relationships listed on their own (memberships,
    subscriptions), which have no ids of their own."""
    row = (
        await db.read(
            f"read/{statement}",
            first=window.first,
            after=window.after,
            last=window.last,
            before=window.before,
            **filters,
        )
    )[0]
    return Page(int(row["total"]), int(row["start"]), row["page"])
