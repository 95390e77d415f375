"""Reports upward: what a partner may submit, the triage states and which transitions they allow,
and what a published report becomes. Pure rules, no I/O."""

from __future__ import annotations

from enum import StrEnum

from graph_api.domain.vocabulary import ProductKind, Tlp


class ReportKind(StrEnum):
    SUSPICIOUS_ACTIVITY = "SUSPICIOUS_ACTIVITY"
    INCIDENT = "INCIDENT"
    REQUEST_FOR_INFORMATION = "REQUEST_FOR_INFORMATION"


class ReportState(StrEnum):
    PCII_PENDING = "PCII_PENDING"  # PCII protection was asked for; an ADMIN validates or declines it
    SUBMITTED = "SUBMITTED"
    IN_REVIEW = "IN_REVIEW"
    PUBLISHED = "PUBLISHED"
    CLOSED = "CLOSED"


class PciiStatus(StrEnum):
    NOT_REQUESTED = "NOT_REQUESTED"
    PENDING = "PENDING"
    VALIDATED = "VALIDATED"
    DECLINED = "DECLINED"


class RouteSource(StrEnum):
    """Why a report reached a partner: a fusion center serving a related region, or a national
    intake point."""

    FUSION_CENTER = "FUSION_CENTER"
    INTAKE_POINT = "INTAKE_POINT"


class Transition(StrEnum):
    REVIEW = "review"
    PUBLISH = "publish"
    CLOSE = "close"
    VALIDATE_PCII = "validatePcii"
    DECLINE_PCII = "declinePcii"


# Each transition: the one state it starts from and the state it leads to.
TRANSITIONS: dict[Transition, tuple[ReportState, ReportState]] = {
    Transition.VALIDATE_PCII: (ReportState.PCII_PENDING, ReportState.SUBMITTED),
    Transition.DECLINE_PCII: (ReportState.PCII_PENDING, ReportState.SUBMITTED),
    Transition.REVIEW: (ReportState.SUBMITTED, ReportState.IN_REVIEW),
    Transition.PUBLISH: (ReportState.IN_REVIEW, ReportState.PUBLISHED),
    Transition.CLOSE: (ReportState.IN_REVIEW, ReportState.CLOSED),
}
# How a refusal names what the transition does.
DOING = {
    Transition.REVIEW: "taken into review",
    Transition.PUBLISH: "published",
    Transition.CLOSE: "closed",
    Transition.VALIDATE_PCII: "validated as PCII",
    Transition.DECLINE_PCII: "declined as PCII",
}

DEFAULT_TLP = Tlp.AMBER
# A report is never TLP:CLEAR when it is submitted: the reviewer decides what may go public.
SUBMITTABLE_TLPS = tuple(t for t in Tlp if t != Tlp.CLEAR)
PUBLISHED_KINDS = (ProductKind.SUSPICIOUS_ACTIVITY, ProductKind.INCIDENT_ANALYSIS)
MAX_TITLE_LENGTH = 300


def refusal(report_id: str, transition: Transition, state: str) -> str | None:
    """Why the report in `state` may not take `transition`; None: it may."""
    start, _ = TRANSITIONS[transition]
    if state == start:
        return None
    return (
        f"The report '{report_id}' is {state}; only a report that is {start.value} can be "
        f"{DOING[transition]}."
    )


TLP_LOWERED = "TLP_LOWERED"


def marking_refusal(report_id: str, submitted: str, published: str, *, by_source: bool) -> str | None:
    """Why the report submitted as TLP `submitted` may not be published as `published`; None: it
    may. Only the source of information changes its label downward (TLP 2.0): anyone else who
    publishes it keeps its TLP or raises it."""
    if by_source or Tlp(published).rank >= Tlp(submitted).rank:
        return None
    return (
        f"The report '{report_id}' was submitted as TLP:{submitted}; only its source may lower that. "
        f"Publish it as TLP:{submitted} or a more restricted TLP, not TLP:{published}."
    )


def published_kind(kind: str) -> ProductKind:
    """An incident becomes an incident analysis; anything else a suspicious-activity product."""
    return ProductKind.INCIDENT_ANALYSIS if kind == ReportKind.INCIDENT else ProductKind.SUSPICIOUS_ACTIVITY


def pcii_protected(pcii_status: str) -> bool:
    """Asked for and not declined: pending reports are handled as PCII until an ADMIN decides."""
    return pcii_status in (PciiStatus.PENDING, PciiStatus.VALIDATED)
