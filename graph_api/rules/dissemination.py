"""Recording who a product was delivered to, once per recipient, and reading it back."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.rules.recipients import RecipientList, recipients_of
from graph_api.store.database import Database, Record
from graph_api.store.paging import Page, Window


@dataclass(frozen=True)
class DisseminationReport:
    recipients: RecipientList
    newly_delivered: int
    already_delivered: int


async def disseminate(db: Database, product_id: str, actor: str) -> DisseminationReport:
    resolved = await recipients_of(db, product_id)
    rows = [{"partner": r.partner["id"], "channels": r.channels} for r in resolved.recipients]
    result = await db.write(
        "recipients/record_deliveries", productId=product_id, deliveries=rows, actor=actor
    )
    created = int(result[0]["created"]) if result else 0
    return DisseminationReport(resolved, created, len(rows) - created)


async def deliveries(db: Database, product_id: str, window: Window) -> Page[Record]:
    offset, limit = window.forward()
    row = (await db.read("recipients/deliveries", productId=product_id, offset=offset, limit=limit))[0]
    return Page(int(row["total"]), offset, row["items"])


async def inbox(
    db: Database, partner_id: str, window: Window, visible: frozenset[str] | None = None
) -> Page[Record]:
    """`visible` (None: all) is the set of products the reader may see."""
    only = None if visible is None else sorted(visible)
    offset, limit = window.forward()
    row = (await db.read("recipients/inbox", partnerId=partner_id, offset=offset, limit=limit, visible=only))[
        0
    ]
    return Page(int(row["total"]), offset, row["items"])
