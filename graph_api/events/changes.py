"""The events each kind of change appends: one function per change, called inside its transaction."""

from __future__ import annotations

from typing import Any

from graph_api.events.kinds import EventKind
from graph_api.events.log import NewEvent

# What a product subscription can filter on without a round trip, kept with its publication.
PRODUCT_FACTS = ("kind", "level", "severity", "tlp", "pcii", "sectors", "topics", "regions", "publishedAt")


def product_published(product: dict[str, Any], actor: str | None) -> NewEvent:
    facts = {name: product.get(name) for name in PRODUCT_FACTS}
    return NewEvent(EventKind.PRODUCT_PUBLISHED, actor=actor, product=str(product["id"]), detail=facts)


def disseminated(
    product_id: str, actor: str, newly_delivered: int, already_delivered: int, messages_queued: int = 0
) -> NewEvent:
    return NewEvent(
        EventKind.DISSEMINATED,
        actor=actor,
        product=product_id,
        detail={
            "newlyDelivered": newly_delivered,
            "alreadyDelivered": already_delivered,
            "messagesQueued": messages_queued,
        },
    )


def delivered(product_id: str, partner_id: str, channels: list[str], actor: str) -> NewEvent:
    return NewEvent(
        EventKind.DELIVERED,
        actor=actor,
        product=product_id,
        partner=partner_id,
        detail={"channels": channels},
    )


def edited(
    collection: str, key: str, before: dict[str, Any] | None, after: dict[str, Any] | None, actor: str
) -> list[NewEvent]:
    """An edit of one record; creating a product also publishes it."""
    status = "CREATED" if before is None else "DELETED" if after is None else "UPDATED"
    product = key if collection == "products" else None
    events = [
        NewEvent(
            EventKind.EDITED, actor=actor, product=product, status=status, collection=collection, key=key
        )
    ]
    if collection == "products" and before is None and after is not None:
        events.append(product_published(after, actor))
    return events


def imported(counts: dict[str, dict[str, int]], actor: str | None) -> NewEvent:
    """An import that wrote records: how many of each collection it created and updated."""
    return NewEvent(EventKind.NETWORK_IMPORTED, actor=actor, detail={"counts": counts})


def message_status(
    message_id: str,
    before: str | None,
    after: str,
    product_id: str | None = None,
    partner_id: str | None = None,
    error: str | None = None,
) -> NewEvent:
    detail: dict[str, Any] = {"before": before}
    if error:
        detail["error"] = error
    return NewEvent(
        EventKind.of_message_status(after),
        product=product_id,
        partner=partner_id,
        message=message_id,
        status=after,
        detail=detail,
    )


def acknowledged(product_id: str, partner_id: str, by: str, via: str, at: str) -> NewEvent:
    return NewEvent(
        EventKind.ACKNOWLEDGED,
        actor=by,
        product=product_id,
        partner=partner_id,
        detail={"via": via, "acknowledgedAt": at},
    )


def report_submitted(
    report_id: str, kind: str, state: str, routed_to: list[str], audience: list[str], actor: str
) -> NewEvent:
    """A new report: never its content, only what the watch floor needs to pick it up. Of the
    PARTNER subscribers, only users of the routed partners that may see it (`audience`) hear it."""
    return NewEvent(
        EventKind.REPORT_SUBMITTED,
        actor=actor,
        status=state,
        collection="reports",
        key=report_id,
        detail={"kind": kind, "routedTo": routed_to, "audience": audience},
    )


def report_state_changed(report_id: str, before: str, after: str, actor: str) -> NewEvent:
    return NewEvent(
        EventKind.REPORT_STATE_CHANGED,
        actor=actor,
        status=after,
        collection="reports",
        key=report_id,
        detail={"before": before},
    )


def digest_queued(day: str, messages: int, products: int, actor: str | None) -> NewEvent:
    return NewEvent(
        EventKind.DIGEST_QUEUED, actor=actor, detail={"date": day, "messages": messages, "products": products}
    )
