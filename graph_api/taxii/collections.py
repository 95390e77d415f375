"""The TAXII collections a user may read, and the STIX objects each holds.

Every user reads "All products" and one collection per sector, holding the products about that
sector (listed when it holds something the user may read); a PARTNER user also reads its inbox,
the products delivered to its organisation. Each holds only the products the user may see through
GraphQL (the same access rule, asked of `graph_api.rules.access`). Another organisation's inbox
does not exist for a PARTNER user.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from graph_api.identity import Principal, Role
from graph_api.rules import access
from graph_api.store.database import Database
from graph_api.store.statements import composed
from graph_api.taxii.paging import Page, Query, encode_next
from graph_api.taxii.stix import (
    NAMESPACE,
    PCII_MARKING_ID,
    SERVICE_IDENTITY_ID,
    TLP_MARKING_IDS,
    Entry,
    collection_objects,
    partner_identity_id,
    sector_identity_id,
    timestamp,
)

STIX_MEDIA_TYPE = "application/stix+json;version=2.1"


@dataclass(frozen=True)
class Collection:
    id: str
    alias: str
    title: str
    description: str
    sector: str | None = None
    delivered_to: str | None = None

    def resource(self) -> dict[str, object]:
        return {
            "id": self.id,
            "title": self.title,
            "description": self.description,
            "alias": self.alias,
            "can_read": True,
            "can_write": False,
            "media_types": [STIX_MEDIA_TYPE],
        }


def collection_id(key: str) -> str:
    return str(uuid.uuid5(NAMESPACE, f"collection:{key}"))


ALL_PRODUCTS = Collection(
    id=collection_id("all"),
    alias="all-products",
    title="All products",
    description="Every information product you may read, as STIX 2.1 reports.",
)


def sector_collection(sector_id: str, name: str) -> Collection:
    return Collection(
        id=collection_id(f"sector:{sector_id}"),
        alias=f"sector-{sector_id}",
        title=f"Sector: {name}",
        description=f"Information products about the {name} sector.",
        sector=sector_id,
    )


def inbox_collection(partner_id: str, name: str) -> Collection:
    return Collection(
        id=collection_id(f"inbox:{partner_id}"),
        alias=f"inbox-{partner_id}",
        title=f"Inbox: {name}",
        description=f"Information products delivered to {name}.",
        delivered_to=partner_id,
    )


async def _visible(db: Database, principal: Principal) -> list[str] | None:
    visible = await access.visible_products(db, principal)
    return None if visible is None else sorted(visible)


async def readable_collections(
    db: Database, principal: Principal, listed_only: bool = True
) -> list[Collection]:
    """All products, the user's inbox, and one collection per sector. The list leaves out the
    sectors holding nothing the user may read; each of those is still there when asked for."""
    found = [ALL_PRODUCTS]
    if principal.role == Role.PARTNER and principal.partner is not None:
        rows = await db.read("taxii/partner", partnerId=principal.partner)
        if rows:
            found.append(inbox_collection(rows[0]["id"], rows[0]["name"]))
    visible = await _visible(db, principal) if listed_only else None
    sectors = await db.read("taxii/sectors", listedOnly=listed_only, visible=visible)
    return found + [sector_collection(r["id"], r["name"]) for r in sectors]


async def find_collection(db: Database, principal: Principal, wanted: str) -> Collection | None:
    """The collection with this id or alias, when this user may read it."""
    for collection in await readable_collections(db, principal, listed_only=False):
        if wanted in (collection.id, collection.alias):
            return collection
    return None


# Products read per round trip while filling a page. A page's objects come from its products'
# reports and what they reference, in the order the reports were added: a page reads the products
# from where the last one ended, by the index on modifiedAt, never the whole collection.
BATCH = 100
EARLIEST = datetime(1, 1, 1, tzinfo=UTC)
LATEST = datetime(9999, 12, 31, tzinfo=UTC)
MILLISECOND = timedelta(milliseconds=1)
EVERYTHING = 2**62


def _visibility(principal: Principal, product_var: str) -> tuple[str, str, dict[str, Any]]:
    """The prelude, the condition and the parameters of the access rule for `product_var`."""
    rule = access.product_visibility(principal, product_var)
    if rule is None:
        return "", "true", {}
    return rule.prelude, rule.text, rule.params


def _moment(stix_time: str) -> datetime:
    """The first instant of a STIX timestamp's millisecond."""
    return datetime.fromisoformat(stix_time.replace("Z", "+00:00"))


async def _products(
    db: Database,
    principal: Principal,
    collection: Collection,
    start: datetime = EARLIEST,
    until: datetime = LATEST,
    limit: int = EVERYTHING,
) -> list[dict[str, Any]]:
    prelude, visible, params = _visibility(principal, "p")
    text = composed("taxii/products", VIEWER=prelude, VISIBLE=visible)
    return await db.read_text(
        text,
        **params,
        sector=collection.sector,
        deliveredTo=collection.delivered_to,
        until=until,
        limit=limit,
        **{"from": start},
    )


def _referenced(product: dict[str, Any]) -> dict[str, tuple[str, str | None]]:
    """The objects a product's report references, by STIX id: (kind, value) as
    `taxii/referenced_before` names them."""
    keys: dict[str, tuple[str, str | None]] = {TLP_MARKING_IDS[product["tlp"]]: ("tlp", product["tlp"])}
    if product["pcii"]:
        keys[PCII_MARKING_ID] = ("pcii", None)
    for sector in product["sectors"]:
        keys[sector_identity_id(sector["id"])] = ("sector", sector["id"])
    if issuer := product.get("issuer"):
        keys[partner_identity_id(issuer["id"])] = ("partner", issuer["id"])
    if not product["sectors"] and not product.get("issuer"):
        keys[SERVICE_IDENTITY_ID] = ("service", None)
    return keys


async def _added_before(
    db: Database, principal: Principal, collection: Collection, rows: list[dict[str, Any]], before: datetime
) -> set[str]:
    """The ids of the objects these products reference that an earlier report of the collection
    (modified before `before`) referenced already."""
    if before == EARLIEST or not rows:
        return set()
    keys: dict[str, tuple[str, str | None]] = {}
    for row in rows:
        keys.update(_referenced(row))
    by_key = {kind_value: object_id for object_id, kind_value in keys.items()}
    prelude, visible, params = _visibility(principal, "q")
    found = await db.read_text(
        composed("taxii/referenced_before", VIEWER=prelude, VISIBLE=visible),
        **params,
        keys=[{"kind": kind, "value": value} for kind, value in by_key],
        sector=collection.sector,
        deliveredTo=collection.delivered_to,
        earliest=EARLIEST,
        before=before,
    )
    return {by_key[row["kind"], row["value"]] for row in found if row["seen"]}


async def objects_of(db: Database, principal: Principal, collection: Collection) -> list[Entry]:
    """Every STIX object of the collection, oldest addition first."""
    return collection_objects(await _products(db, principal, collection))


async def page_of_objects(db: Database, principal: Principal, collection: Collection, query: Query) -> Page:
    """The page of the collection's objects `query` asks for (its filters, after its cursor, up to
    its limit), reading the products from where the page starts, a batch at a time."""
    starts = [t for t in (query.after[0] if query.after else None, query.added_after) if t is not None]
    start = _moment(max(starts)) if starts else EARLIEST
    matching: list[Entry] = []
    while True:
        rows = await _products(db, principal, collection, start, LATEST, BATCH + 1)
        exhausted = len(rows) <= BATCH
        if not exhausted:
            # The batch ends inside a millisecond (the precision of a STIX date added): every
            # product of that millisecond is read, so its objects are ordered among themselves.
            last = _moment(timestamp(rows[-1]["modifiedAt"]))
            rows = [r for r in rows if _moment(timestamp(r["modifiedAt"])) < last]
            rows += await _products(db, principal, collection, last, last + MILLISECOND)
        seen = await _added_before(db, principal, collection, rows, start)
        for entry in collection_objects(rows):
            if entry.id in seen or not query.matches(entry):
                continue
            if query.after is None or (entry.date_added, entry.id) > query.after:
                matching.append(entry)
        if len(matching) > query.limit or exhausted:
            break
        start = last + MILLISECOND
    matching.sort(key=lambda e: (e.date_added, e.id))
    shown = matching[: query.limit]
    more = len(matching) > len(shown)
    return Page(shown, more, encode_next(shown[-1], query.fingerprint) if more else None)
