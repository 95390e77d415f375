"""What a message says. Only TLP:CLEAR and TLP:GREEN products without PCII travel with their
content; any other product travels as a notice naming its id, kind and severity, with a link to
read it after signing in, and never its title or summary."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph_api.domain.messages import PCII_NOTICE, content_allowed, tlp_label
from graph_api.store.database import Record

NOTICE_SUBJECT = "New information product"


@dataclass(frozen=True)
class Outgoing:
    """A claimed message with what rendering and sending it need."""

    id: str
    channel: str
    address: str | None
    attempts: int
    contact: str | None
    contact_name: str | None
    partner: str
    partner_name: str
    product: Record
    read_url: str
    ack_url: str

    @property
    def label(self) -> str:
        return tlp_label(self.product["tlp"])

    @property
    def with_content(self) -> bool:
        return content_allowed(self.product["tlp"], bool(self.product["pcii"]))


def subject(message: Outgoing) -> str:
    title = message.product["title"] if message.with_content else NOTICE_SUBJECT
    return f"[{message.label}] {title}"


def email_body(message: Outgoing) -> str:
    product = message.product
    lines = [message.label, ""]
    if message.with_content:
        lines += [product["title"], "", f"Kind: {product['kind']}", f"Severity: {product['severity']}", ""]
        if product.get("summary"):
            lines += [product["summary"], ""]
        if product.get("link"):
            lines += [f"Link: {product['link']}", ""]
        lines += [f"Read it in ISE Graph: {message.read_url}"]
    else:
        lines += [
            f"A new information product was shared with {message.partner_name}.",
            "",
            f"Product: {product['id']}",
            f"Kind: {product['kind']}",
            f"Severity: {product['severity']}",
            "",
            f"Sign in to read it: {message.read_url}",
        ]
        if product["pcii"]:
            lines += ["", PCII_NOTICE]
    lines += ["", f"Acknowledge receipt (one click, no sign-in): {message.ack_url}", ""]
    return "\n".join(lines)


def hsin_envelope(message: Outgoing) -> dict[str, Any]:
    """The JSON body posted to the HSIN webhook; content under the same rule as email."""
    product = message.product
    shown: dict[str, Any] = {
        "id": product["id"],
        "kind": product["kind"],
        "severity": product["severity"],
        "tlp": message.label,
        "pcii": bool(product["pcii"]),
    }
    if message.with_content:
        shown |= {"title": product["title"], "summary": product.get("summary"), "link": product.get("link")}
    envelope: dict[str, Any] = {
        "type": "isegraph.product.shared",
        "messageId": message.id,
        "subject": subject(message),
        "product": shown,
        "recipient": {"partner": message.partner, "contact": message.contact},
        "readUrl": message.read_url,
        "acknowledgeUrl": message.ack_url,
    }
    if product["pcii"]:
        envelope["pciiNotice"] = PCII_NOTICE
    return envelope
