"""What an edit would do to recipient lists, before anyone makes it (`impactOf`).

The edit runs, exactly as its mutation would, inside a transaction that is always rolled back;
the recipient lists of the products in the window are worked out before and after it in that same
transaction, by the rules `recipients` resolves with, so the answer is what `recipients` will say.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import partial

from graph_api import audience
from graph_api.domain.interchange import Record, canonical_timestamp
from graph_api.errors import InvalidInput
from graph_api.rules import editing, recipients
from graph_api.rules.editing import Change, Edit
from graph_api.store.database import Database, Transaction
from graph_api.store.records import read_records

DEFAULT_WINDOW = timedelta(days=30)
# Each product's list is worked out twice in one transaction; past this many, ask for a narrower
# window.
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
    return await _records(tx, [row["id"] for row in rows])


async def _records(tx: Transaction, product_ids: list[str]) -> list[Record]:
    by_id = {r["id"]: r for r in await read_records(tx, "products", product_ids)}
    return [by_id[product_id] for product_id in product_ids]


def _partners_touched(changes: list[Change]) -> list[str] | None:
    """The partners whose place on any list the changes can move; None when the changes reach
    further (a requirement, a council, a region, a product: anyone's)."""
    if any(change.collection in editing.OUTSIDE_THE_GRAPH for change in changes):
        return None
    touched = editing.partners_changed(changes)
    return None if touched is None else sorted(touched)


# How many times an edit of some partners is tried again when, between learning whom it touches
# and measuring them, a concurrent change made it touch others.
PARTNER_ATTEMPTS = 3


async def impact_of(db: Database, edit: Edit, period: PublicationPeriod) -> Impact:
    """Products in the window whose recipient lists the edit would change, with who is gained or
    lost. Nothing is written: a rejected edit raises its `EditRejected`.

    A candidate's place on a list depends only on its own records and links (and on the
    requirements and regions), so an edit of one or two partners (their fields, memberships,
    subscriptions, contacts; a merge) is measured on those partners alone: a first trial learns
    whom the edit touches, the second reads them before and after it and works out their places
    from an index of those partners alone. Any other edit resolves every list whole, twice."""
    for _ in range(PARTNER_ATTEMPTS):
        partners = await db.in_rolled_back_transaction(partial(_touched, edit=edit))
        if partners is None:
            break
        measured = await db.in_rolled_back_transaction(
            partial(_partner_trial, edit=edit, period=period, partners=partners)
        )
        if measured is not None:
            return measured
    return await db.in_rolled_back_transaction(partial(_whole_lists, edit=edit, period=period))


async def _touched(tx: Transaction, edit: Edit) -> list[str] | None:
    return _partners_touched(await edit(tx))


async def _partner_trial(
    tx: Transaction, edit: Edit, period: PublicationPeriod, partners: list[str]
) -> Impact | None:
    """The impact measured on `partners` alone; None when the edit now touches others."""
    products = await _products(tx, period)
    # The edit changes no requirement or region: they are read once.
    alone = await audience.read_partners_alone(tx)
    before = await audience.read_partner_rows(tx, partners)
    touched = _partners_touched(await edit(tx))
    if touched is None or not set(touched) <= set(partners):
        return None
    after = await audience.read_partner_rows(tx, partners)
    # An edit of partners changes a product's record only where it names them as addressees (a
    # merge moves those): only such products are read again.
    addressing = [p["id"] for p in products if not set(p["addressedTo"]).isdisjoint(partners)]
    fresh = {p["id"]: p for p in await _records(tx, addressing)} if addressing else {}
    products_after = [fresh.get(p["id"], p) for p in products]

    def compared() -> Impact:
        had, has = alone.index(before), alone.index(after)
        differences = [
            _difference(recipients.from_index(had, old), recipients.from_index(has, new))
            for old, new in zip(products, products_after, strict=True)
        ]
        return Impact(len(products), [d for d in differences if d.gained or d.lost])

    return await asyncio.to_thread(compared)


async def _whole_lists(tx: Transaction, edit: Edit, period: PublicationPeriod) -> Impact:
    products = await _products(tx, period)
    before = [await recipients.resolve(tx, p) for p in products]
    await edit(tx)
    after = [await recipients.resolve(tx, p) for p in await _records(tx, [p["id"] for p in products])]
    differences = [_difference(b, a) for b, a in zip(before, after, strict=True)]
    return Impact(len(products), [d for d in differences if d.gained or d.lost])
