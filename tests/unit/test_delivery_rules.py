"""Delivery rules without a database: the message plan, retries, what a message says, signatures."""

from __future__ import annotations

import base64
import json
import random
import secrets

import pytest
from standardwebhooks import Webhook

from graph_api.delivery.links import ack_token, message_of_token
from graph_api.delivery.render import Outgoing, email_body, hsin_envelope, subject
from graph_api.delivery.webhook import signed_headers
from graph_api.domain.messages import (
    PCII_NOTICE,
    Addressee,
    MessageStatus,
    RetryPolicy,
    message_id,
    planned_messages,
)


def contact(cid: str, *channels: str) -> dict[str, object]:
    return {"id": cid, "email": f"{cid}@example.org", "channels": list(channels)}


def test_messages_follow_the_recipients_channels_that_each_contact_has() -> None:
    planned = planned_messages(
        "p",
        [Addressee("x", ["HSIN", "EMAIL"], [contact("a", "EMAIL", "PHONE"), contact("b", "HSIN", "EMAIL")])],
    )
    assert {(m.contact, m.channel) for m in planned} == {("a", "EMAIL"), ("b", "HSIN"), ("b", "EMAIL")}
    assert {m.address for m in planned if m.channel == "EMAIL"} == {"a@example.org", "b@example.org"}
    assert all(m.address is None for m in planned if m.channel != "EMAIL")


def test_a_recipient_whose_channels_no_contact_has_reaches_each_contact_on_its_own_channels() -> None:
    planned = planned_messages(
        "p", [Addressee("x", ["HSIN"], [contact("a", "EMAIL"), contact("b", "PHONE")])]
    )
    assert {(m.contact, m.channel) for m in planned} == {("a", "EMAIL"), ("b", "PHONE")}
    assert {m.row()["status"] for m in planned if m.channel == "PHONE"} == {"MANUAL"}


def test_message_ids_are_stable_and_distinct_per_product_contact_and_channel() -> None:
    assert message_id("p", "c", "EMAIL") == message_id("p", "c", "EMAIL")
    ids = {message_id(p, c, ch) for p in "pq" for c in "cd" for ch in ("EMAIL", "HSIN")}
    assert len(ids) == 8


def test_retries_back_off_exponentially_with_jitter_up_to_the_cap_then_die() -> None:
    policy = RetryPolicy(max_attempts=4, base_seconds=10, cap_seconds=50)
    rng = random.Random(1)
    for attempts, ceiling in ((1, 10), (2, 20), (3, 40), (4, 50), (9, 50)):
        delays = [policy.delay_after(attempts, rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(set(delays)) > 100  # jitter: no two messages retry in lockstep
    assert [policy.status_after_failure(n) for n in (1, 3, 4, 5)] == [
        MessageStatus.FAILED,
        MessageStatus.FAILED,
        MessageStatus.DEAD,
        MessageStatus.DEAD,
    ]


TITLE, SUMMARY = "Secret pipeline title", "Secret summary text"


def outgoing(tlp: str, pcii: bool = False) -> Outgoing:
    product = {
        "id": "prod-9",
        "title": TITLE,
        "kind": "ALERT",
        "severity": "CRITICAL",
        "tlp": tlp,
        "pcii": pcii,
        "summary": SUMMARY,
        "link": "https://example.org/more",
    }
    return Outgoing(
        id="msg-1",
        channel="EMAIL",
        address="a@example.org",
        attempts=0,
        contact="c",
        contact_name="A",
        partner="x",
        partner_name="X Utility",
        product=product,
        read_url="https://isegraph.example/console/products/prod-9",
        ack_url="https://isegraph.example/ack/msg-1.sig",
    )


@pytest.mark.parametrize(("tlp", "label"), [("CLEAR", "TLP:CLEAR"), ("GREEN", "TLP:GREEN")])
def test_clear_and_green_carry_their_content_with_the_label_first(tlp: str, label: str) -> None:
    message = outgoing(tlp)
    body = email_body(message)
    assert subject(message) == f"[{label}] {TITLE}"
    assert body.splitlines()[0] == label
    for part in (TITLE, SUMMARY, "https://example.org/more", "ALERT", "CRITICAL", message.ack_url):
        assert part in body
    envelope = hsin_envelope(message)
    assert envelope["product"]["title"] == TITLE and envelope["product"]["summary"] == SUMMARY


@pytest.mark.parametrize(
    ("tlp", "pcii", "label"),
    [
        ("AMBER", False, "TLP:AMBER"),
        ("AMBER_STRICT", False, "TLP:AMBER+STRICT"),
        ("RED", False, "TLP:RED"),
        ("CLEAR", True, "TLP:CLEAR"),
        ("AMBER", True, "TLP:AMBER"),
    ],
)
def test_restricted_products_travel_as_a_notice_without_title_or_summary(
    tlp: str, pcii: bool, label: str
) -> None:
    message = outgoing(tlp, pcii)
    body, heading = email_body(message), subject(message)
    assert heading == f"[{label}] New information product"
    assert body.splitlines()[0] == label
    for part in ("prod-9", "ALERT", "CRITICAL", message.read_url, message.ack_url):
        assert part in body
    for secret in ("Secret", "example.org/more"):
        assert secret not in body and secret not in heading
    assert (PCII_NOTICE in body) == pcii
    text = json.dumps(hsin_envelope(message))
    assert "Secret" not in text and "example.org/more" not in text


def test_acknowledgement_tokens_verify_only_with_their_key_and_unaltered() -> None:
    key = secrets.token_bytes(32)
    token = ack_token(key, "msg-abc")
    assert message_of_token(key, token) == "msg-abc"
    assert message_of_token(secrets.token_bytes(32), token) is None
    assert message_of_token(key, token.replace("msg-abc", "msg-abd")) is None
    assert message_of_token(key, "msg-abc") is None


def test_webhook_signatures_verify_with_the_standard_webhooks_library() -> None:
    secret = "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()
    body = json.dumps({"messageId": "msg-1"}).encode()
    from graph_api.delivery.webhook import secret_key

    headers = signed_headers(secret_key(secret), "msg-1", body)
    assert Webhook(secret).verify(body, headers) == {"messageId": "msg-1"}
    tampered = body.replace(b"msg-1", b"msg-2")
    with pytest.raises(Exception, match=r"[Ss]ignature"):
        Webhook(secret).verify(tampered, headers)
