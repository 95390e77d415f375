"""Name search over partners, councils and products, backed by Neo4j's full-text index."""

from __future__ import annotations

import re

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


async def search_names(
    db: Database, text: str, window: Window, visible_products: frozenset[str] | None = None
) -> Page[Record]:
    """`visible_products` (None: all) keeps products a user may not see out of the answer."""
    visible = None if visible_products is None else sorted(visible_products)
    offset, limit = window.forward()
    row = (
        await db.read("search/names", query=lucene_query(text), offset=offset, limit=limit, visible=visible)
    )[0]
    return Page(int(row["total"]), offset, row["items"])


async def shared_memberships(db: Database, a: str, b: str) -> Record:
    rows = await db.read("connections/shared", a=a, b=b)
    if not rows:
        raise InvalidInput(f"Both '{a}' and '{b}' must be partner ids.")
    return rows[0]
