"""What a message says. Only TLP:CLEAR and TLP:GREEN products without PCII travel with their
content; any other product travels as a notice naming its id, kind and severity, with a link to
read it after signing in, and never its title or summary."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

from graph_api.domain.messages import PCII_NOTICE, content_allowed, tlp_label
from graph_api.store.database import Record

NOTICE_SUBJECT = "New information product"
REPORT_NOTICE_SUBJECT = "New report routed to you"
PRODUCT, REPORT_NOTICE, DIGEST = "PRODUCT", "REPORT_NOTICE", "DIGEST"
DIGEST_SUMMARY_CHARS = 600


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
    product: Record | None
    read_url: str
    ack_url: str
    kind: str = PRODUCT  # PRODUCT, REPORT_NOTICE or DIGEST
    report: Record | None = None
    digest_date: str | None = None
    digest: list[Record] = field(default_factory=list)

    @property
    def about(self) -> Record:
        """The product or report the message is about (a digest lists its products instead)."""
        about = self.report if self.kind == REPORT_NOTICE else self.product
        assert about is not None, f"message {self.id} has nothing to be about"
        return about

    @property
    def label(self) -> str:
        if self.kind == DIGEST:
            tlps = {item["tlp"] for item in self.digest}
            return tlp_label("GREEN" if "GREEN" in tlps else "CLEAR")
        return tlp_label(self.about["tlp"])

    @property
    def with_content(self) -> bool:
        if self.kind == REPORT_NOTICE:
            report = self.about
            return content_allowed(report["tlp"], report["pciiStatus"] in ("PENDING", "VALIDATED"))
        return content_allowed(self.about["tlp"], bool(self.about["pcii"]))


def subject(message: Outgoing) -> str:
    if message.kind == DIGEST:
        count = len(message.digest)
        return (
            f"[{message.label}] Daily Report for {message.digest_date}: {count} product{'s' * (count != 1)}"
        )
    if message.kind == REPORT_NOTICE:
        title = f"Report: {message.about['title']}" if message.with_content else REPORT_NOTICE_SUBJECT
        return f"[{message.label}] {title}"
    title = message.about["title"] if message.with_content else NOTICE_SUBJECT
    return f"[{message.label}] {title}"


def email_body(message: Outgoing) -> str:
    if message.kind == DIGEST:
        return digest_text(message)
    if message.kind == REPORT_NOTICE:
        return report_notice_text(message)
    product = message.about
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
    lines += ["", f"Acknowledge receipt (opens a page with a button; no sign-in): {message.ack_url}", ""]
    return "\n".join(lines)


def report_notice_text(message: Outgoing) -> str:
    """A new report routed to the partner: its content only when it is TLP:GREEN without PCII
    protection; otherwise its id and kind, and where to read it after signing in."""
    report = message.about
    lines = [
        message.label,
        "",
        f"A partner submitted a report that was routed to {message.partner_name}.",
        "",
    ]
    if message.with_content:
        lines += [report["title"], "", f"Kind: {report['kind']}", "", report["summary"], ""]
    else:
        lines += [f"Report: {report['id']}", f"Kind: {report['kind']}", ""]
    lines += [f"Sign in to read and triage it: {message.read_url}", ""]
    if report["pciiStatus"] in ("PENDING", "VALIDATED"):
        lines += [PCII_NOTICE, ""]
    return "\n".join(lines)


def _shortened(text: str | None) -> str:
    text = (text or "").strip()
    return text if len(text) <= DIGEST_SUMMARY_CHARS else text[: DIGEST_SUMMARY_CHARS - 1].rstrip() + "…"


def digest_text(message: Outgoing) -> str:
    lines = [
        f"ISE Graph Daily Report for {message.digest_date} (UTC)",
        f"For {message.partner_name}: {len(message.digest)} product(s) of the sectors you follow.",
        "",
    ]
    for number, item in enumerate(message.digest, start=1):
        lines += [
            f"{number}. [{tlp_label(item['tlp'])}] {item['title']}",
            f"   {item['kind']}, {item['severity']}; sectors: {', '.join(item['sectors'])}",
        ]
        if item.get("summary"):
            lines += [f"   {_shortened(item['summary'])}"]
        if item.get("link"):
            lines += [f"   Link: {item['link']}"]
        lines += [""]
    lines += [f"Read them in ISE Graph: {message.read_url}", ""]
    return "\n".join(lines)


def digest_html(message: Outgoing) -> str:
    """The same digest as HTML: each item with its TLP label, inline styles only (no remote
    content, so nothing is fetched when it is opened)."""
    e = html.escape
    items = []
    for item in message.digest:
        link = f'<br><a href="{e(item["link"])}">{e(item["link"])}</a>' if item.get("link") else ""
        items.append(
            f"<li><strong>[{e(tlp_label(item['tlp']))}]</strong> {e(item['title'])}<br>"
            f"<small>{e(item['kind'])}, {e(item['severity'])}; sectors: {e(', '.join(item['sectors']))}"
            f"</small><br>{e(_shortened(item.get('summary')))}{link}</li>"
        )
    return (
        "<!DOCTYPE html><html><body>"
        f"<h1>ISE Graph Daily Report for {e(message.digest_date or '')} (UTC)</h1>"
        f"<p>For {e(message.partner_name)}: {len(message.digest)} product(s) of the sectors you follow.</p>"
        f"<ol>{''.join(items)}</ol>"
        f'<p><a href="{e(message.read_url)}">Read them in ISE Graph</a></p>'
        "</body></html>"
    )


def hsin_envelope(message: Outgoing) -> dict[str, Any]:
    """The JSON body posted to the HSIN webhook; content under the same rule as email."""
    product = message.about
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
