"""Messages: which ones a dissemination creates, how they are named, and what they may carry.

Pure rules, no I/O: the outbox, the worker and the renderers all read them from here.
"""

from __future__ import annotations

import hashlib
import random
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph_api.domain.vocabulary import Channel, Tlp


class MessageStatus(StrEnum):
    QUEUED = "QUEUED"  # waiting for a worker (or for its next attempt time)
    SENT = "SENT"  # accepted by the mail server or the webhook, or marked done by a person
    FAILED = "FAILED"  # the last attempt failed; another one is scheduled
    DEAD = "DEAD"  # every attempt failed; only a person requeues it
    MANUAL = "MANUAL"  # a phone call or watch-center notice waiting for a person


# Channels a person works through by hand; the others a worker sends.
MANUAL_CHANNELS = frozenset({Channel.PHONE.value, Channel.WATCH_CENTER.value})
SENT_BY_WORKER = (Channel.EMAIL.value, Channel.HSIN.value)
# Statuses a worker picks up once their next attempt time has come.
SENDABLE = (MessageStatus.QUEUED.value, MessageStatus.FAILED.value)

TLP_LABELS = {
    Tlp.CLEAR.value: "TLP:CLEAR",
    Tlp.GREEN.value: "TLP:GREEN",
    Tlp.AMBER.value: "TLP:AMBER",
    Tlp.AMBER_STRICT.value: "TLP:AMBER+STRICT",
    Tlp.RED.value: "TLP:RED",
}
PCII_NOTICE = (
    "This product contains Protected Critical Infrastructure Information (PCII). In accordance "
    "with the Critical Infrastructure Information Act of 2002 (6 U.S.C. 671-674), PCII is protected "
    "from public disclosure, and must be safeguarded and disseminated in accordance with PCII "
    "Program requirements."
)


def tlp_label(tlp: str) -> str:
    return TLP_LABELS[tlp]


def content_allowed(tlp: str, pcii: bool) -> bool:
    """Only TLP:CLEAR and TLP:GREEN products without PCII travel with their title and summary;
    anything else travels as a notice that points to the service."""
    return tlp in (Tlp.CLEAR.value, Tlp.GREEN.value) and not pcii


def message_id(product_id: str, contact_id: str, channel: str) -> str:
    """The stable id of the message of a product to a contact on a channel (also its Message-ID)."""
    digest = hashlib.sha256(f"{product_id}\x1f{contact_id}\x1f{channel}".encode()).hexdigest()
    return f"msg-{digest[:32]}"


def initial_status(channel: str) -> MessageStatus:
    return MessageStatus.MANUAL if channel in MANUAL_CHANNELS else MessageStatus.QUEUED


@dataclass(frozen=True)
class PlannedMessage:
    id: str
    partner: str
    contact: str
    channel: str
    address: str | None  # the email address for EMAIL, else None

    def row(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "partner": self.partner,
            "contact": self.contact,
            "channel": self.channel,
            "address": self.address,
            "status": initial_status(self.channel).value,
        }


@dataclass(frozen=True)
class Addressee:
    """A recipient partner as the message plan needs it: its channels and its listed contacts
    (each a record with id, email and channels)."""

    partner: str
    channels: list[str]
    contacts: list[dict[str, Any]]


def planned_messages(product_id: str, addressees: Iterable[Addressee]) -> list[PlannedMessage]:
    """One message per (contact, channel) for the recipient's channels that the contact has; a
    recipient for which that gives nothing at all reaches each contact on the contact's own channels."""
    planned: list[PlannedMessage] = []
    for addressee in addressees:
        wanted = set(addressee.channels)
        pairs = [(c, ch) for c in addressee.contacts for ch in c["channels"] or [] if ch in wanted]
        if not pairs:
            pairs = [(c, ch) for c in addressee.contacts for ch in c["channels"] or []]
        for contact, channel in pairs:
            planned.append(
                PlannedMessage(
                    id=message_id(product_id, contact["id"], channel),
                    partner=addressee.partner,
                    contact=contact["id"],
                    channel=channel,
                    address=contact["email"] if channel == Channel.EMAIL.value else None,
                )
            )
    return planned


@dataclass(frozen=True)
class RetryPolicy:
    """Exponential backoff with jitter: attempt n waits base * 2^(n-1), capped, times a random
    factor in [0.5, 1], so that many failing messages do not all retry at the same instant."""

    max_attempts: int
    base_seconds: float
    cap_seconds: float

    def delay_after(self, attempts: int, rng: random.Random | None = None) -> float:
        ceiling = min(self.cap_seconds, self.base_seconds * 2 ** max(0, attempts - 1))
        return float(ceiling * (0.5 + 0.5 * (rng or random).random()))

    def status_after_failure(self, attempts: int) -> MessageStatus:
        return MessageStatus.DEAD if attempts >= self.max_attempts else MessageStatus.FAILED
