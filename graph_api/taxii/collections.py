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

from graph_api.identity import Principal, Role
from graph_api.rules import access
from graph_api.store.database import Database
from graph_api.taxii.stix import NAMESPACE, Entry, collection_objects

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


async def objects_of(db: Database, principal: Principal, collection: Collection) -> list[Entry]:
    """Every STIX object of the collection, oldest addition first."""
    rows = await db.read(
        "taxii/products",
        visible=await _visible(db, principal),
        sector=collection.sector,
        deliveredTo=collection.delivered_to,
    )
    return collection_objects(rows)
