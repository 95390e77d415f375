"""The delivery worker: claims due messages with a lease in Neo4j, sends them, records the outcome.

Several workers may run at once: a claim write-locks each message and leases it to one worker
for `lease_seconds`, so no two send it at the same time; a worker that dies frees its claims when
their lease runs out. A message is marked SENT right after it went out, so a worker killed
between the two resends at most the messages it had in flight, with the same Message-ID.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

import httpx2

from graph_api.delivery import outbox
from graph_api.delivery.digest import digest_due, queue_digests
from graph_api.delivery.email import EmailSender, SendFailed
from graph_api.delivery.links import ack_key, ack_url, read_url, report_url
from graph_api.delivery.render import Outgoing
from graph_api.delivery.webhook import WebhookSender
from graph_api.domain.messages import MessageStatus, RetryPolicy
from graph_api.domain.vocabulary import Channel
from graph_api.settings import DeliverySettings, Settings
from graph_api.store.database import Database, Record, Transaction

log = logging.getLogger("isegraph.worker")
MAX_ERROR_CHARS = 500
BATCH_PER_LANE = 25


def configured_channels(settings: DeliverySettings) -> list[str]:
    """The channels this worker can send on; messages on the others wait for a worker that can."""
    channels = []
    if settings.smtp_host:
        channels.append(Channel.EMAIL.value)
    if settings.hsin_webhook_url:
        channels.append(Channel.HSIN.value)
    return channels


@dataclass
class Tally:
    sent: int = 0
    failed: int = 0
    dead: int = 0
    skipped: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.failed + self.dead + self.skipped


class Worker:
    def __init__(self, db: Database, settings: Settings, owner: str | None = None) -> None:
        self.db = db
        self.settings = settings.delivery
        self.owner = owner or f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"
        self.key = ack_key(settings)
        self.policy = RetryPolicy(
            self.settings.max_attempts, self.settings.retry_base_seconds, self.settings.retry_cap_seconds
        )
        self.channels = configured_channels(self.settings)
        self.lanes = self.settings.concurrency
        self._http = httpx2.AsyncClient(timeout=self.settings.send_timeout_seconds)
        self._email = [EmailSender(self.settings) for _ in range(self.lanes)]
        self._webhook = WebhookSender(self.settings, self._http) if self.settings.hsin_webhook_url else None
        self._digests_queued_for: date | None = None

    async def close(self) -> None:
        for sender in self._email:
            await sender.close()
        await self._http.aclose()

    async def run(self, stop: asyncio.Event) -> None:
        """Work until `stop` is set, finishing the batch in hand."""
        if not self.channels:
            log.warning(
                "no channel is configured (ISEGRAPH_SMTP_HOST, ISEGRAPH_HSIN_WEBHOOK_URL): "
                "EMAIL and HSIN messages stay QUEUED until a worker that can send them runs"
            )
        else:
            log.info("worker %s sending %s", self.owner, " and ".join(self.channels))
        while not stop.is_set():
            try:
                await self.queue_due_digests(datetime.now(UTC))
                tally = await self.run_once()
            except Exception:  # the database may be restarting: say so and try again
                log.exception(
                    "worker %s: a batch failed; retrying after %ss", self.owner, self.settings.poll_seconds
                )
                tally = Tally()
            if tally.handled == 0:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), self.settings.poll_seconds)

    async def queue_due_digests(self, now: datetime) -> None:
        """Once a day, after the digest hour, queue the previous day's digests (queueing them
        again, from this worker or another, queues nothing new)."""
        day = digest_due(now, self.settings.digest_hour)
        if day is not None and day != self._digests_queued_for:
            await queue_digests(self.db, day, f"worker {self.owner}")
            self._digests_queued_for = day

    async def drain(self) -> Tally:
        """Send what is due now, batch after batch, until a batch sends nothing (a failed message
        waits for its next attempt time; a later drain retries it)."""
        total = Tally()
        while True:
            tally = await self.run_once()
            for name in ("sent", "failed", "dead", "skipped"):
                setattr(total, name, getattr(total, name) + getattr(tally, name))
            if tally.sent == 0:
                return total

    async def run_once(self) -> Tally:
        if not self.channels:
            return Tally()
        lease = self.settings.lease_seconds
        claimed_at = time.monotonic()

        async def claim(tx: Transaction) -> list[Record]:
            return await outbox.claim(tx, self.owner, self.channels, self.lanes * BATCH_PER_LANE, lease)

        rows = await self.db.in_write_transaction(claim)
        if not rows:
            return Tally()
        # Stop sending a claimed message well before its lease runs out: another worker may take it then.
        deadline = claimed_at + lease - min(5.0, lease * 0.2)
        pending: asyncio.Queue[Record] = asyncio.Queue()
        for row in rows:
            pending.put_nowait(row)
        tally = Tally()
        await asyncio.gather(*(self._lane(i, pending, deadline, tally) for i in range(self.lanes)))
        log.info(
            "worker %s: %d sent, %d failed, %d dead, %d left for later",
            self.owner,
            tally.sent,
            tally.failed,
            tally.dead,
            tally.skipped,
        )
        return tally

    def _outgoing(self, row: Record) -> Outgoing:
        public = self.settings.public_url
        if row["report"] is not None:
            where = report_url(public, row["report"]["id"])
        elif row["product"] is not None:
            where = read_url(public, row["product"]["id"])
        else:
            where = f"{public}/console/"
        return Outgoing(
            id=row["id"],
            channel=row["channel"],
            address=row["address"],
            attempts=int(row["attempts"]),
            contact=row["contact"],
            contact_name=row["contactName"],
            partner=row["partner"],
            partner_name=row["partnerName"],
            product=row["product"],
            read_url=where,
            ack_url=ack_url(public, self.key, row["id"]),
            kind=row["kind"],
            report=row["report"],
            digest_date=row["digestDate"],
            digest=row["digest"] or [],
        )

    async def _lane(self, lane: int, pending: asyncio.Queue[Record], deadline: float, tally: Tally) -> None:
        while not pending.empty():
            row = pending.get_nowait()
            if time.monotonic() > deadline:
                tally.skipped += 1  # its lease frees it for the next claim
                continue
            try:
                message = self._outgoing(row)
                await self._send(lane, message)
            except SendFailed as exc:
                await self._failed(row, str(exc), exc.permanent, tally)
                continue
            except Exception as exc:
                # Whatever goes wrong building or sending one message (data stored before a rule
                # of entry refused it, a renderer's bug) is that message's failure: it is retried
                # with backoff until DEAD, and the rest of the batch flows on.
                log.exception("message %s could not be built or sent", row["id"])
                await self._failed(row, f"{type(exc).__name__}: {exc}", False, tally)
                continue
            await self._sent(message)
            tally.sent += 1

    async def _send(self, lane: int, message: Outgoing) -> None:
        if message.channel == Channel.EMAIL.value:
            await self._email[lane].send(message)
        elif message.channel == Channel.HSIN.value and self._webhook is not None:
            await self._webhook.send(message)
        else:
            raise SendFailed(f"this worker cannot send on {message.channel}")

    async def _sent(self, message: Outgoing) -> None:
        async def record(tx: Transaction) -> bool:
            return await outbox.mark_sent(tx, message.id, self.owner)

        if not await self.db.in_write_transaction(record):
            log.warning(
                "message %s went out after its lease ran out; another worker may send it too", message.id
            )

    async def _failed(self, row: Record, error: str, permanent: bool, tally: Tally) -> None:
        message_id, attempts = row["id"], int(row["attempts"]) + 1
        status = MessageStatus.DEAD if permanent else self.policy.status_after_failure(attempts)
        delay = self.policy.delay_after(attempts)
        error = error[:MAX_ERROR_CHARS]

        async def record(tx: Transaction) -> bool:
            return await outbox.mark_failed(tx, message_id, self.owner, error, status, delay)

        await self.db.in_write_transaction(record)
        if status == MessageStatus.DEAD:
            tally.dead += 1
            log.warning("message %s is DEAD after %d attempt(s): %s", message_id, attempts, error)
        else:
            tally.failed += 1
            log.info("message %s failed (attempt %d), next in %.1fs: %s", message_id, attempts, delay, error)
