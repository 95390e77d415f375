"""Who should receive what. The graph work runs in Neo4j; this module orders it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_api import domain
from graph_api.domain.interchange import Record
from graph_api.errors import InvalidInput, NotFound
from graph_api.rules.validation import check_records
from graph_api.store.database import Reader
from graph_api.store.records import read_records

DRAFT_ID = "draft"
# The order of a contact's values in the rows of cypher/recipients/resolve.cypher.
CONTACT_FIELDS = ("id", "name", "email", "channels", "pciiAuthorized", "active", "version")


@dataclass(frozen=True)
class Reason:
    source: str
    ref: str | None


@dataclass(frozen=True)
class Recipient:
    partner: Record
    reasons: list[Reason]
    contacts: list[Record]
    channels: list[str]


@dataclass(frozen=True)
class Exclusion:
    partner: Record
    reason: str


@dataclass(frozen=True)
class RecipientList:
    product: Record
    recipients: list[Recipient]
    excluded: list[Exclusion]


async def load_product(db: Reader, product_id: str) -> Record:
    found = await read_records(db, "products", [product_id])
    if not found:
        raise NotFound(f"No information product has the id '{product_id}'.")
    return found[0]


async def recipients_of(db: Reader, product_id: str) -> RecipientList:
    return await resolve(db, await load_product(db, product_id))


async def preview(db: Reader, draft: dict[str, Any]) -> RecipientList:
    """The recipient list a draft product would have, without saving it."""
    draft = {"id": DRAFT_ID, **draft}
    problems, records = await check_records(db, {"products": [draft]})
    if problems:
        raise InvalidInput(
            "; ".join(f"{p.path.replace('$.products[0]', 'product')}: {p.message}" for p in problems),
            problems=problems,
        )
    # Version 0: a draft that was never saved.
    return await resolve(db, {**records["products"][0], "version": 0})


async def resolve(db: Reader, product: Record) -> RecipientList:
    rows = (await db.read("recipients/resolve", **parameters(product)))[0]["rows"]
    recipients: list[Recipient] = []
    excluded: list[Exclusion] = []
    for partner_id, name, raw_reasons, exclusion, raw_contacts in sorted(rows, key=lambda r: (r[1], r[0])):
        partner = {"id": partner_id, "name": name}
        if exclusion is not None:
            excluded.append(Exclusion(partner, exclusion))
            continue
        contacts = [dict(zip(CONTACT_FIELDS, c, strict=True)) for c in raw_contacts]
        recipients.append(
            Recipient(
                partner=partner,
                reasons=_ordered_reasons(raw_reasons),
                contacts=contacts,
                channels=_channels(raw_reasons, contacts),
            )
        )
    return RecipientList(product, recipients, excluded)


def parameters(product: Record) -> dict[str, Any]:
    return {
        "productId": product["id"],
        "sectors": product["sectors"],
        "topics": product["topics"],
        "regions": product["regions"],
        "addressedTo": product["addressedTo"],
        "kind": product["kind"],
        "level": product["level"],
        "severityRank": domain.severity_rank(product["severity"]),
        "tlp": product["tlp"],
        "pcii": product["pcii"],
        "governmentKinds": sorted(domain.GOVERNMENT_KINDS),
    }


def _ordered_reasons(raw: list[list[Any]]) -> list[Reason]:
    unique = {(source, ref) for source, ref, _ in raw}
    # A null ref (a fusion center for a product without regions) sorts before any id.
    ordered = sorted(unique, key=lambda r: (domain.REASON_SOURCES.index(r[0]), r[1] is not None, r[1] or ""))
    return [Reason(source, ref) for source, ref in ordered]


def _channels(reasons: list[list[Any]], contacts: list[Record]) -> list[str]:
    from_requirements = [channel for source, _, channel in reasons if source == "REQUIREMENT"]
    if from_requirements:
        return domain.in_enum_order(from_requirements, domain.CHANNELS)
    return domain.in_enum_order(
        [channel for contact in contacts for channel in contact["channels"] or []],
        domain.CHANNELS,
    )
