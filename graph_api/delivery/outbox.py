"""The outbox in Neo4j: every change of a message's status, each inside one transaction.

Two functions are the hooks for whatever must follow such a change in the same transaction
(an event log): `status_changed` sees every status change, `acknowledged` every first
acknowledgement. Everything here runs in a transaction the caller opened.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from graph_api import events
from graph_api.domain.messages import MANUAL_CHANNELS, SENDABLE, MessageStatus, PlannedMessage
from graph_api.domain.text import control_character_problem
from graph_api.errors import InvalidInput, NotFound
from graph_api.events import changes as event_changes
from graph_api.store.database import Record, Transaction

log = logging.getLogger("isegraph.delivery")


@dataclass(frozen=True)
class StatusChange:
    message: str
    before: str | None  # None: the message was just created
    after: str


@dataclass(frozen=True)
class Acknowledgement:
    product: str
    partner: str
    first: bool  # False: the partner had acknowledged already, and nothing changed
    acknowledged_at: str
    acknowledged_by: str
    via: str


async def status_changed(tx: Transaction, changes: list[StatusChange]) -> None:
    """Every status change of a message passes here, inside the transaction that makes it, and
    appends its event there. A message created QUEUED is no change: its dissemination's event
    counts it."""
    changed = [c for c in changes if c.before is not None]
    for change in changes:
        log.debug("message %s: %s -> %s", change.message, change.before or "new", change.after)
    if not changed:
        return
    rows = await tx.run("delivery/message_subjects", ids=[c.message for c in changed])
    subjects = {row["message"]: row for row in rows}
    events.append(
        tx,
        [
            event_changes.message_status(
                change.message,
                change.before,
                change.after,
                subjects.get(change.message, {}).get("product"),
                subjects.get(change.message, {}).get("partner"),
                subjects.get(change.message, {}).get("error") if change.after in ("FAILED", "DEAD") else None,
            )
            for change in changed
        ],
    )


async def acknowledged(tx: Transaction, acknowledgement: Acknowledgement) -> None:
    """Every first acknowledgement of a product by a partner passes here, inside its transaction,
    and appends its event there."""
    log.info(
        "product %s acknowledged for %s by %s (%s)",
        acknowledgement.product,
        acknowledgement.partner,
        acknowledgement.acknowledged_by,
        acknowledgement.via,
    )
    events.append(
        tx,
        [
            event_changes.acknowledged(
                acknowledgement.product,
                acknowledgement.partner,
                acknowledgement.acknowledged_by,
                acknowledgement.via,
                acknowledgement.acknowledged_at,
            )
        ],
    )


async def _transition(tx: Transaction, statement: str, **params: Any) -> list[StatusChange]:
    """Run a statement that updates messages; every row it returns is a message it updated, and
    those whose status changed (or that failed again) go to the hook."""
    rows = await tx.run(f"delivery/{statement}", **params)
    updated = [StatusChange(r["id"], r["before"], r["status"]) for r in rows]
    # A failed attempt after a failed attempt keeps the status, yet the watch floor hears of each.
    changes = [c for c in updated if c.before != c.after or c.after == MessageStatus.FAILED]
    if changes:
        await status_changed(tx, changes)
    return updated


async def enqueue(tx: Transaction, product_id: str, planned: list[PlannedMessage]) -> int:
    """Queue the planned messages that do not exist yet; the number queued."""
    if not planned:
        return 0
    created = await _transition(tx, "enqueue", productId=product_id, messages=[m.row() for m in planned])
    return len(created)


async def enqueue_report_notices(tx: Transaction, report_id: str, planned: list[PlannedMessage]) -> int:
    """Queue the notices of a new report (EMAIL, one per contact) that do not exist yet."""
    if not planned:
        return 0
    rows = [m.row() for m in planned]
    return len(await _transition(tx, "enqueue_report_notices", id=report_id, messages=rows))


async def enqueue_digests(tx: Transaction, day: str, digests: list[dict[str, Any]]) -> int:
    """Queue the day's digest messages (one per contact, listing its products) not queued yet."""
    if not digests:
        return 0
    return len(await _transition(tx, "enqueue_digests", day=day, digests=digests))


async def claim(
    tx: Transaction, owner: str, channels: list[str], limit: int, lease_seconds: float
) -> list[Record]:
    return await tx.run(
        "delivery/claim",
        owner=owner,
        channels=channels,
        limit=limit,
        leaseMillis=int(lease_seconds * 1000),
        sendable=list(SENDABLE),
    )


async def mark_sent(tx: Transaction, message_id: str, owner: str) -> bool:
    """False when the worker's lease ran out and someone else holds the message now."""
    return bool(await _transition(tx, "mark_sent", id=message_id, owner=owner, sendable=list(SENDABLE)))


async def mark_failed(
    tx: Transaction, message_id: str, owner: str, error: str, status: MessageStatus, delay_seconds: float
) -> bool:
    """False when the worker's lease ran out and someone else holds the message now."""
    updated = await _transition(
        tx,
        "mark_failed",
        id=message_id,
        owner=owner,
        error=error,
        status=status.value,
        delayMillis=int(delay_seconds * 1000),
        sendable=list(SENDABLE),
    )
    return bool(updated)


async def _locked(tx: Transaction, message_id: str) -> Record:
    """The message's status and channel, with the message write-locked until the transaction ends."""
    rows = await tx.run("delivery/lock_message", id=message_id)
    if not rows:
        raise NotFound(f"No message has the id '{message_id}'.")
    return rows[0]


async def requeue(tx: Transaction, message_id: str, actor: str) -> None:
    """A FAILED or DEAD message goes back to the queue now with a fresh set of attempts; a QUEUED
    one stays queued and is due now."""
    status = (await _locked(tx, message_id))["status"]
    if status in (MessageStatus.SENT, MessageStatus.MANUAL):
        what = "was sent already" if status == MessageStatus.SENT else "is delivered by a person"
        raise InvalidInput(
            f"The message '{message_id}' {what} ({status}); only a QUEUED, FAILED or DEAD message is retried."
        )
    await _transition(tx, "requeue", id=message_id, actor=actor)


async def complete_manual(tx: Transaction, message_id: str, actor: str, note: str | None) -> None:
    """A MANUAL message becomes SENT; marking one that is done already changes nothing."""
    if note is not None and (why := control_character_problem(note, multiline=True)):
        raise InvalidInput(f"The note {why}.")
    message = await _locked(tx, message_id)
    if message["channel"] not in MANUAL_CHANNELS:
        raise InvalidInput(
            f"The message '{message_id}' goes by {message['channel']}: only a phone call or a "
            "watch-center notice is marked done by a person."
        )
    if message["status"] == MessageStatus.MANUAL:
        await _transition(tx, "complete_manual", id=message_id, actor=actor, note=note)


async def acknowledge(
    tx: Transaction, product_id: str, partner_id: str, by: str, via: str
) -> Acknowledgement:
    rows = await tx.run("delivery/acknowledge", productId=product_id, partnerId=partner_id, by=by, via=via)
    if not rows:
        raise NotFound(f"The product '{product_id}' was not disseminated to the partner '{partner_id}'.")
    row = rows[0]
    answer = Acknowledgement(
        product_id,
        partner_id,
        bool(row["first"]),
        row["acknowledgedAt"],
        row["acknowledgedBy"],
        row["acknowledgedVia"],
    )
    if answer.first:
        await acknowledged(tx, answer)
    return answer
