"""The pure rules of reports and digests: which transition each state allows, when a day's
digests are due, and what a notice or a digest email may carry."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from graph_api.delivery.digest import day_bounds, digest_due
from graph_api.delivery.render import DIGEST, REPORT_NOTICE, Outgoing, digest_html, email_body, subject
from graph_api.domain.reports import (
    TRANSITIONS,
    PciiStatus,
    ReportState,
    Transition,
    pcii_protected,
    published_kind,
    refusal,
)


@pytest.mark.parametrize("step", list(Transition))
@pytest.mark.parametrize("state", list(ReportState))
def test_each_transition_starts_from_exactly_one_state_and_a_refusal_names_the_current_one(
    step: Transition, state: ReportState
) -> None:
    start, _ = TRANSITIONS[step]
    why = refusal("rpt-1", step, state.value)
    if state == start:
        assert why is None
    else:
        assert why is not None and f"is {state.value}" in why and start.value in why


def test_the_triage_graph_is_the_documented_one() -> None:
    moves = {(a.value, b.value) for a, b in TRANSITIONS.values()}
    assert moves == {
        ("PCII_PENDING", "SUBMITTED"),
        ("SUBMITTED", "IN_REVIEW"),
        ("IN_REVIEW", "PUBLISHED"),
        ("IN_REVIEW", "CLOSED"),
    }


def test_incidents_become_incident_analyses_and_pending_pcii_is_protected() -> None:
    assert published_kind("INCIDENT") == "INCIDENT_ANALYSIS"
    assert published_kind("REQUEST_FOR_INFORMATION") == "SUSPICIOUS_ACTIVITY"
    assert [s for s in PciiStatus if pcii_protected(s)] == [PciiStatus.PENDING, PciiStatus.VALIDATED]


def test_a_days_digests_are_due_the_next_day_after_the_digest_hour() -> None:
    assert digest_due(datetime(2026, 11, 26, 5, 59, tzinfo=UTC), 6) is None
    assert digest_due(datetime(2026, 11, 26, 6, 0, tzinfo=UTC), 6) == date(2026, 11, 25)
    assert digest_due(datetime(2026, 11, 26, 0, 0, tzinfo=UTC), 0) == date(2026, 11, 25)
    assert day_bounds(date(2026, 11, 25)) == {
        "from": "2026-11-25T00:00:00+00:00",
        "to": "2026-11-26T00:00:00+00:00",
    }


def _message(kind: str, **fields: object) -> Outgoing:
    base: dict[str, object] = {
        "id": "msg-1",
        "channel": "EMAIL",
        "address": "a@example.org",
        "attempts": 0,
        "contact": "c1",
        "contact_name": "A",
        "partner": "fc",
        "partner_name": "State Fusion Center",
        "product": None,
        "read_url": "https://isegraph.example.org/console/#/reports/rpt-1",
        "ack_url": "https://isegraph.example.org/ack/x",
        "kind": kind,
    }
    return Outgoing(**{**base, **fields})  # type: ignore[arg-type]


REPORT = {"id": "rpt-1", "title": "Drone over the tank farm", "summary": "Seen twice.", "kind": "INCIDENT"}


@pytest.mark.parametrize(
    ("tlp", "pcii", "shown"),
    [("GREEN", "NOT_REQUESTED", True), ("AMBER", "NOT_REQUESTED", False), ("GREEN", "PENDING", False)],
)
def test_a_report_notice_carries_content_only_for_green_without_pcii(
    tlp: str, pcii: str, shown: bool
) -> None:
    notice = _message(REPORT_NOTICE, report={**REPORT, "tlp": tlp, "pciiStatus": pcii})
    text = subject(notice) + email_body(notice)
    assert ("Drone over the tank farm" in text) == shown and ("Seen twice." in text) == shown
    assert "rpt-1" in text and text.startswith(f"[TLP:{tlp}]")
    assert ("Protected Critical Infrastructure Information" in text) == (pcii == "PENDING")


def test_a_digest_labels_each_item_and_escapes_its_html() -> None:
    items = [
        {
            "id": "p1",
            "title": "Grid <alert>",
            "kind": "ALERT",
            "severity": "HIGH",
            "tlp": "GREEN",
            "summary": "s",
            "link": None,
            "sectors": ["Energy"],
        },
        {
            "id": "p2",
            "title": "Water",
            "kind": "ALERT",
            "severity": "LOW",
            "tlp": "CLEAR",
            "summary": None,
            "link": "https://x.example.org/a",
            "sectors": ["Water"],
        },
    ]
    digest = _message(DIGEST, digest=items, digest_date="2026-11-25")
    assert subject(digest) == "[TLP:GREEN] Daily Report for 2026-11-25: 2 products"
    text = email_body(digest)
    assert "1. [TLP:GREEN] Grid <alert>" in text and "2. [TLP:CLEAR] Water" in text
    page = digest_html(digest)
    assert "Grid &lt;alert&gt;" in page and "<alert>" not in page
    only_clear = _message(DIGEST, digest=items[1:], digest_date="2026-11-25")
    assert subject(only_clear).startswith("[TLP:CLEAR]") and "1 product" in subject(only_clear)


def test_the_interchange_document_carries_intake_points_and_digest_delivery() -> None:
    from graph_api.domain.interchange import check_document

    doc = {
        "sectors": [{"id": "water", "name": "Water"}],
        "topics": [{"id": "cyber", "name": "Cyber"}],
        "partners": [
            {"id": "nicc", "name": "NICC", "kind": "FEDERAL", "intake": True},
            {"id": "p1", "name": "P1", "kind": "PRIVATE"},
        ],
        "subscriptions": [
            {"partner": "p1", "sector": "water", "delivery": "DAILY_DIGEST"},
            {"partner": "nicc", "topic": "cyber", "delivery": "DAILY_DIGEST"},
            {"partner": "nicc", "sector": "water", "delivery": "WEEKLY"},
        ],
    }
    checked = check_document(doc)
    problems = {(p.path, p.code) for p in checked.problems}
    assert problems == {
        ("$.subscriptions[1].delivery", "BAD_SUBSCRIPTION"),
        ("$.subscriptions[2].delivery", "BAD_ENUM"),
    }
    partners = {p["id"]: p for p in checked.records["partners"]}
    assert partners["nicc"]["intake"] is True and partners["p1"]["intake"] is False
    assert checked.records["subscriptions"][0]["delivery"] == "DAILY_DIGEST"
