"""The parts of subscriptions that need no database: the product filter, the token in
connection_init, close reasons, event kinds and the settings."""

from __future__ import annotations

import pytest
import strawberry

from graph_api.api.enums import ProductKind, Severity, Tlp
from graph_api.api.subscription import ProductPublishedWhere
from graph_api.events import WATCH_FLOOR_KINDS, EventKind
from graph_api.events.changes import edited, message_status
from graph_api.http.websocket import MAX_REASON_BYTES, bearer_token, close_reason
from graph_api.identity import AuthenticationError
from graph_api.settings import load_event_settings

FACTS = {
    "kind": "ALERT",
    "level": "OPERATIONAL",
    "severity": "HIGH",
    "tlp": "AMBER",
    "pcii": False,
    "sectors": ["energy", "water"],
    "topics": ["cyber"],
    "regions": ["ca"],
}


@pytest.mark.parametrize(
    ("where", "accepted"),
    [
        (ProductPublishedWhere(), True),
        (ProductPublishedWhere(kind=[ProductKind.ALERT, ProductKind.WARNING]), True),
        (ProductPublishedWhere(kind=[ProductKind.WARNING]), False),
        (ProductPublishedWhere(min_severity=Severity.HIGH), True),
        (ProductPublishedWhere(min_severity=Severity.CRITICAL), False),
        (ProductPublishedWhere(tlp=[Tlp.CLEAR, Tlp.GREEN]), False),
        (ProductPublishedWhere(pcii=True), False),
        (ProductPublishedWhere(sectors=[strawberry.ID("water")]), True),
        (ProductPublishedWhere(sectors=[strawberry.ID("dams")]), False),
        (ProductPublishedWhere(topics=[strawberry.ID("cyber")], regions=[strawberry.ID("tx")]), False),
    ],
)
def test_the_product_filter_needs_every_field_given_to_hold(
    where: ProductPublishedWhere, accepted: bool
) -> None:
    assert where.accepts(FACTS) is accepted


def test_the_token_travels_as_a_bearer_authorization_in_any_case() -> None:
    assert bearer_token({"Authorization": "Bearer abc.def.ghi"}) == "abc.def.ghi"
    assert bearer_token({"authorization": "bearer  abc "}) == "abc"
    for payload in ({}, {"Authorization": "abc"}, {"Authorization": 42}, {"Authorization": "Bearer "}):
        with pytest.raises(AuthenticationError):
            bearer_token(payload)


def test_a_close_reason_fits_a_close_frame() -> None:
    assert close_reason("short") == "short"
    long = close_reason("Unauthorized: " + "é" * 200)
    assert len(long.encode()) <= MAX_REASON_BYTES and long.endswith("...")


def test_events_say_what_changed() -> None:
    created, published = edited("products", "p1", None, {"id": "p1", "tlp": "GREEN"}, "admin")
    assert (created.kind, created.status, published.kind) == (
        EventKind.EDITED,
        "CREATED",
        EventKind.PRODUCT_PUBLISHED,
    )
    assert [e.status for e in edited("topics", "t", {"id": "t"}, None, "admin")] == ["DELETED"]
    assert message_status("m", "FAILED", "DEAD", error="refused").kind == EventKind.MESSAGE_DEAD
    assert EventKind.MESSAGE_SENT not in WATCH_FLOOR_KINDS and EventKind.MESSAGE_DEAD in WATCH_FLOOR_KINDS


def test_event_settings_are_checked(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ISEGRAPH_EVENT_RETENTION_DAYS", "2.5")
    assert load_event_settings().retention_seconds == 2.5 * 86400
    monkeypatch.setenv("ISEGRAPH_SUBSCRIPTIONS_PER_CONNECTION", "0")
    with pytest.raises(SystemExit, match="ISEGRAPH_SUBSCRIPTIONS_PER_CONNECTION must be 1 or more"):
        load_event_settings()
