"""What an edit would do to recipient lists, before anyone makes it (`impactOf`).

The edit runs, exactly as its mutation would, inside a transaction that is always rolled back;
the recipient lists of the products in the window are resolved by `recipients.resolve` before and
after it in that same transaction. One rule set, so the answer is what `recipients` will say.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from graph_api.domain.interchange import Record, canonical_timestamp
from graph_api.errors import InvalidInput
from graph_api.rules import recipients
from graph_api.rules.editing import Edit
from graph_api.store.database import Database, Transaction
from graph_api.store.records import read_records

DEFAULT_WINDOW = timedelta(days=30)
# Each product is resolved twice in one transaction; past this many, ask for a narrower window.
MAX_PRODUCTS = 200


@dataclass(frozen=True)
class ProductImpact:
    product: Record
    gained: list[recipients.Recipient]
    lost: list[recipients.Recipient]


@dataclass(frozen=True)
class Impact:
    considered: int
    products: list[ProductImpact]


@dataclass(frozen=True)
class PublicationPeriod:
    """The products an impact question looks at: those published in this period."""

    published_after: datetime
    published_before: datetime

    @staticmethod
    def of(after: datetime | None, before: datetime | None, now: datetime | None = None) -> PublicationPeriod:
        """Defaults: the last 30 days up to now."""
        end = before or (now or datetime.now(UTC))
        start = after or end - DEFAULT_WINDOW
        if start.tzinfo is None or end.tzinfo is None:
            raise InvalidInput("publishedAfter and publishedBefore need a time zone (add 'Z' for UTC).")
        if start >= end:
            raise InvalidInput("publishedAfter must be earlier than publishedBefore.")
        return PublicationPeriod(start, end)


def _difference(before: recipients.RecipientList, after: recipients.RecipientList) -> ProductImpact:
    had = {r.partner["id"] for r in before.recipients}
    has = {r.partner["id"] for r in after.recipients}
    return ProductImpact(
        product=after.product,
        gained=[r for r in after.recipients if r.partner["id"] not in had],
        lost=[r for r in before.recipients if r.partner["id"] not in has],
    )


async def _products(tx: Transaction, period: PublicationPeriod) -> list[Record]:
    rows = await tx.run(
        "edit/products_in_window",
        after=canonical_timestamp(period.published_after),
        before=canonical_timestamp(period.published_before),
        limit=MAX_PRODUCTS + 1,
    )
    if len(rows) > MAX_PRODUCTS:
        raise InvalidInput(
            f"More than {MAX_PRODUCTS} products were published in that window; narrow it "
            "(publishedAfter / publishedBefore)."
        )
    by_id = {r["id"]: r for r in await read_records(tx, "products", [row["id"] for row in rows])}
    return [by_id[row["id"]] for row in rows]


async def impact_of(db: Database, edit: Edit, period: PublicationPeriod) -> Impact:
    """Products in the window whose recipient lists the edit would change, with who is gained or
    lost. Nothing is written: a rejected edit raises its `EditRejected`."""

    async def trial(tx: Transaction) -> Impact:
        products = await _products(tx, period)
        before = [await recipients.resolve(tx, p) for p in products]
        await edit(tx)
        after = [await recipients.resolve(tx, p) for p in products]
        differences = [_difference(b, a) for b, a in zip(before, after, strict=True)]
        return Impact(len(products), [d for d in differences if d.gained or d.lost])

    return await db.in_rolled_back_transaction(trial)
