"""Name search over partners, councils and products, backed by Neo4j's full-text index."""

from __future__ import annotations

import re

from graph_api.domain.entities import Label
from graph_api.errors import InvalidInput
from graph_api.store.database import Database, Record
from graph_api.store.paging import Page, Window

# Lucene's query syntax would read these; a search box means the words, not the operators.
_LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
MAX_TERMS = 20


def lucene_query(text: str) -> str:
    """Every word must match, the last one as a prefix (search as you type)."""
    # Lower case: Lucene reads upper-case AND, OR and NOT as operators.
    words = [_LUCENE_SPECIAL.sub(r"\\\1", w.lower()) for w in text.split()]
    if not words:
        raise InvalidInput("Search text must contain at least one word.")
    if len(words) > MAX_TERMS:
        raise InvalidInput(f"Search text may contain at most {MAX_TERMS} words.")
    return " AND ".join([*words[:-1], words[-1] + "*"])


# What a search may be narrowed to (the schema's `SearchKind`) and the label of each: those of the
# full-text index `name_search`.
SEARCH_KINDS = {
    "PARTNER": str(Label.PARTNER),
    "COUNCIL": str(Label.COUNCIL),
    "PRODUCT": str(Label.INFORMATION_PRODUCT),
}
SEARCHABLE_LABELS = tuple(SEARCH_KINDS.values())


async def search_names(
    db: Database,
    text: str,
    window: Window,
    visible_products: frozenset[str] | None = None,
    labels: list[str] | None = None,
) -> Page[Record]:
    """`visible_products` (None: all) keeps products a user may not see out of the answer;
    `labels` (None: all) keeps only hits of those labels."""
    visible = None if visible_products is None else sorted(visible_products)
    if labels is not None and not set(labels) <= set(SEARCHABLE_LABELS):
        raise InvalidInput(f"A search can be narrowed only to {', '.join(SEARCHABLE_LABELS)}.")
    offset, limit = window.forward()
    row = (
        await db.read(
            "search/names",
            query=lucene_query(text),
            offset=offset,
            limit=limit,
            visible=visible,
            labels=labels,
        )
    )[0]
    return Page(int(row["total"]), offset, row["items"])


def not_partners(a: str, b: str) -> InvalidInput:
    return InvalidInput(f"Both '{a}' and '{b}' must be partner ids.")


async def shared_memberships(db: Database, a: str, b: str) -> Record:
    rows = await db.read("connections/shared", a=a, b=b)
    if not rows:
        raise not_partners(a, b)
    return rows[0]
