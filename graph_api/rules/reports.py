"""Reports upward: a partner submits, the report is routed, staff and routed partners triage it.

A report is routed when it is submitted: to every fusion center serving a region related to one
of its regions (the submitter's own when it names none) and to every national intake point.
Each routed partner that may see it hears of it at once through the outbox (a notice, without
content above TLP:GREEN), and the watch floor through the event log. Triage moves it through
its states; publishing makes an information product that never names the submitter unless the
reviewer says so, and disseminates it to its recipients.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, LiteralString

from graph_api import domain, events
from graph_api.delivery import outbox
from graph_api.domain.interchange import MAX_SUMMARY_LENGTH
from graph_api.domain.messages import PlannedMessage, message_id
from graph_api.domain.moments import publication_now
from graph_api.domain.reports import (
    DEFAULT_TLP,
    MAX_TITLE_LENGTH,
    PUBLISHED_KINDS,
    SUBMITTABLE_TLPS,
    TLP_LOWERED,
    TRANSITIONS,
    PciiStatus,
    ReportKind,
    ReportState,
    RouteSource,
    Transition,
    marking_refusal,
    pcii_protected,
    published_kind,
    refusal,
)
from graph_api.domain.text import CONTROL_CHARACTER, control_character_problem
from graph_api.events import changes
from graph_api.identity import Principal, Role
from graph_api.rules import access, dissemination, editing
from graph_api.rules.editing import EditRejected, FieldProblem, rejected
from graph_api.store.database import Database, Reader, Record, Transaction
from graph_api.store.paging import Page, Window
from graph_api.store.statements import composed

NOTICE_CHANNEL = domain.Channel.EMAIL.value


@dataclass(frozen=True)
class Submission:
    title: str
    summary: str
    kind: str
    sectors: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    observed_at: str | None = None
    tlp: str = DEFAULT_TLP.value
    pcii_requested: bool = False


@dataclass(frozen=True)
class Publication:
    """What the reviewer decides about the product a report becomes; None keeps the report's own."""

    severity: str
    level: str = domain.ProductLevel.OPERATIONAL.value
    kind: str | None = None
    title: str | None = None
    summary: str | None = None
    tlp: str | None = None
    topics: list[str] = field(default_factory=list)
    issued_by: str | None = None
    reveal_submitter: bool = False
    product_id: str | None = None


def _now() -> str:
    return datetime.now(UTC).isoformat()


def _entry(state: str, actor: str, note: str | None = None) -> str:
    return json.dumps({"at": _now(), "by": actor, "state": state, "note": note}, sort_keys=True)


def _moment(text: str) -> datetime | None:
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


# -- reading ------------------------------------------------------------------------------------


async def _read_text(db: Database | Transaction, text: LiteralString, **params: Any) -> list[Record]:
    if isinstance(db, Transaction):
        return await db.run_text(text, **params)
    return await db.read_text(text, **params)


async def records(db: Database | Transaction, ids: list[str], principal: Principal) -> list[Record]:
    """The reports of `ids` this user may see, in one round trip."""
    if not ids:
        return []
    visible = access.report_visibility(principal, "r")
    text = composed("reports/records", VISIBLE=visible.text)
    return await _read_text(db, text, ids=sorted(set(ids)), **visible.params)


async def report(db: Database | Transaction, report_id: str, principal: Principal) -> Record | None:
    found = await records(db, [report_id], principal)
    return found[0] if found else None


async def page(
    db: Database,
    principal: Principal,
    window: Window,
    *,
    states: list[str] | None = None,
    kinds: list[str] | None = None,
    submitter: str | None = None,
    routed_to: str | None = None,
    newest_first: bool = True,
) -> Page[str]:
    """A window of the ids of the reports this user may see; the rule narrows the list itself,
    so totals and cursors never count a report the user may not see."""
    visible = access.report_visibility(principal, "r")
    text = composed("reports/list", VISIBLE=visible.text, DIRECTION="DESC" if newest_first else "ASC")
    offset, limit = window.forward()
    row = (
        await db.read_text(
            text,
            state=states,
            kind=kinds,
            submitter=submitter,
            routedTo=routed_to,
            offset=offset,
            limit=limit if limit is not None else 1_000_000,
            **visible.params,
        )
    )[0]
    return Page(int(row["total"]), offset, [str(i) for i in row["items"]])


async def sources_of(db: Reader, product_ids: list[str]) -> dict[str, Record]:
    """The report each product came from (only those that came from one)."""
    rows = await db.read("read/report_of_product", ids=product_ids)
    return {row["key"]: row for row in rows}


# -- routing ------------------------------------------------------------------------------------


async def routes(db: Reader, submitter: str, regions: list[str]) -> list[dict[str, Any]]:
    """Where a report of `submitter` about `regions` goes: {partner, reasons}, each reason
    {source, ref}, reasons ordered by source then ref."""
    rows = await db.read("reports/route", submitter=submitter, regions=regions)
    by_partner: dict[str, set[tuple[str, str | None]]] = {}
    for row in rows:
        by_partner.setdefault(row["partner"], set()).add((row["source"], row["ref"]))
    order = [s.value for s in RouteSource]
    return [
        {
            "partner": partner,
            "reasons": [
                {"source": s, "ref": r}
                for s, r in sorted(reasons, key=lambda x: (order.index(x[0]), x[1] is not None, x[1] or ""))
            ],
        }
        for partner, reasons in sorted(by_partner.items())
    ]


def _stored(reasons: list[dict[str, Any]]) -> list[str]:
    return [f"{r['source']}|{r['ref'] or ''}" for r in reasons]


def parse_reasons(stored: list[str]) -> list[dict[str, Any]]:
    parsed = []
    for text in stored:
        source, _, ref = text.partition("|")
        parsed.append({"source": source, "ref": ref or None})
    return parsed


# -- submitting ---------------------------------------------------------------------------------


async def _check(tx: Transaction, submission: Submission) -> list[FieldProblem]:
    errors: list[FieldProblem] = []

    def problem(name: str, code: str, message: str) -> None:
        errors.append(FieldProblem(("input", name), code, message))

    if not submission.title.strip():
        problem("title", "EMPTY", "A report needs a title.")
    elif len(submission.title) > MAX_TITLE_LENGTH:
        problem("title", "TOO_LONG", f"A title has at most {MAX_TITLE_LENGTH} characters.")
    elif why := control_character_problem(submission.title):
        problem("title", CONTROL_CHARACTER, f"The title {why}.")
    if not submission.summary.strip():
        problem("summary", "EMPTY", "Say what was seen or what is asked in the summary.")
    elif len(submission.summary) > MAX_SUMMARY_LENGTH:
        problem("summary", "TOO_LONG", f"A summary has at most {MAX_SUMMARY_LENGTH:,} characters.")
    elif why := control_character_problem(submission.summary, multiline=True):
        problem("summary", CONTROL_CHARACTER, f"The summary {why}.")
    if submission.kind not in {k.value for k in ReportKind}:
        problem("kind", "BAD_ENUM", f"Unknown report kind '{submission.kind}'.")
    if submission.tlp not in {t.value for t in SUBMITTABLE_TLPS}:
        problem(
            "tlp",
            "BAD_TLP",
            "A report is submitted as TLP:GREEN, TLP:AMBER, TLP:AMBER+STRICT or TLP:RED, never "
            "TLP:CLEAR: the reviewer decides what may be shared publicly.",
        )
    if submission.observed_at is not None:
        moment = _moment(submission.observed_at)
        if moment is None:
            problem("observedAt", "BAD_DATETIME", "observedAt must be an ISO-8601 date-time with a zone.")
        elif moment > datetime.now(UTC):
            problem("observedAt", "BAD_DATETIME", "observedAt lies in the future.")
    facts = (await tx.run("reports/facts", sectors=submission.sectors, regions=submission.regions))[0]
    for name, known in (("sectors", facts["sectors"]), ("regions", facts["regions"])):
        listed = getattr(submission, name)
        for i, ref in enumerate(listed):
            if ref not in known:
                errors.append(
                    FieldProblem(("input", name, str(i)), "UNKNOWN_REFERENCE", f"No {name[:-1]} '{ref}'.")
                )
    return errors


def _notices(report_id: str, contacts: list[Record]) -> list[PlannedMessage]:
    return [
        PlannedMessage(
            id=message_id(f"report:{report_id}", c["contact"], NOTICE_CHANNEL),
            partner=c["partner"],
            contact=c["contact"],
            channel=NOTICE_CHANNEL,
            address=c["email"],
        )
        for c in contacts
    ]


async def _audience(tx: Transaction, report_id: str, routed: list[str]) -> list[str]:
    """The routed partners whose users may see the report (PCII protection may hide it)."""
    may_see = []
    for partner in routed:
        viewer = Principal(subject="routing", role=Role.PARTNER, partner=partner)
        if await records(tx, [report_id], viewer):
            may_see.append(partner)
    return may_see


async def _notify(tx: Transaction, report_id: str, audience: list[str], pcii: bool) -> int:
    """Queue a notice to each routed partner that may see the report, and only those."""
    if not audience:
        return 0
    contacts = await tx.run("reports/notice_contacts", partners=audience, pcii=pcii)
    return await outbox.enqueue_report_notices(tx, report_id, _notices(report_id, contacts))


async def submit(
    db: Database,
    principal: Principal,
    submission: Submission,
    *,
    report_id: str | None = None,
    notify: bool = True,
) -> str:
    """Submit a report for the user's own organisation; its id. Refused with every problem
    found (EditRejected), writing nothing. `notify=False` (illustrative seed reports) queues no
    notices."""
    access.require(principal, access.Action.SUBMIT_REPORT)
    assert principal.partner is not None
    submitter = principal.partner
    report_id = report_id or f"rpt-{uuid.uuid4().hex[:12]}"
    pcii_status = PciiStatus.PENDING if submission.pcii_requested else PciiStatus.NOT_REQUESTED
    state = ReportState.PCII_PENDING if submission.pcii_requested else ReportState.SUBMITTED

    async def write(tx: Transaction) -> str:
        errors = await _check(tx, submission)
        if errors:
            raise EditRejected(errors)
        routed = await routes(tx, submitter, submission.regions)
        await tx.run(
            "reports/create",
            id=report_id,
            submitter=submitter,
            title=submission.title.strip(),
            summary=submission.summary,
            kind=submission.kind,
            tlp=submission.tlp,
            pciiStatus=pcii_status.value,
            state=state.value,
            observedAt=submission.observed_at or _now(),
            actor=principal.subject,
            entry=_entry(state.value, principal.subject, "submitted"),
            sectors=submission.sectors,
            regions=submission.regions,
            routes=[{"partner": r["partner"], "reasons": _stored(r["reasons"])} for r in routed],
        )
        partners = [r["partner"] for r in routed]
        audience = await _audience(tx, report_id, partners)
        if notify:
            await _notify(tx, report_id, audience, pcii_protected(pcii_status.value))
        submitted = changes.report_submitted(
            report_id, submission.kind, state.value, partners, audience, principal.subject
        )
        events.append(tx, [submitted])
        return report_id

    return await db.in_write_transaction(write)


async def load_seed_reports(db: Database, seeded: list[tuple[str, str, Submission]]) -> int:
    """Submit the illustrative reports whose ids are not taken yet, as their partners' users
    would; the number submitted."""
    taken = {r["id"] for r in await records(db, [i for i, _, _ in seeded], SEED_READER)}
    for report_id, partner, submission in seeded:
        if report_id not in taken:
            user = Principal(subject=f"seed@{partner}", role=Role.PARTNER, partner=partner)
            await submit(db, user, submission, report_id=report_id, notify=False)
    return len([i for i, _, _ in seeded if i not in taken])


SEED_READER = Principal(subject="seed", role=Role.ADMIN, partner=None)


# -- triage -------------------------------------------------------------------------------------


async def _triage_target(tx: Transaction, principal: Principal, report_id: str, step: Transition) -> Record:
    """The report, locked, provided this user may take `step` on it now."""
    found = await report(tx, report_id, principal)
    if found is None:
        # A report the user may not see does not exist for them.
        raise rejected(("id",), "NOT_FOUND", f"No report has the id '{report_id}'.")
    if step in (Transition.VALIDATE_PCII, Transition.DECLINE_PCII):
        if principal.role != Role.ADMIN:
            raise rejected(("id",), "FORBIDDEN", "Only an ADMIN validates or declines PCII protection.")
    elif not access.may_triage(principal, [r["partner"] for r in found["routedTo"]]):
        raise rejected(
            ("id",),
            "FORBIDDEN",
            "Only users of a partner the report was routed to, ANALYST and ADMIN triage a report.",
        )
    state = (await tx.run("reports/lock", id=report_id))[0]["state"]
    if (why := refusal(report_id, step, state)) is not None:
        raise rejected(("id",), "INVALID_TRANSITION", why)
    return found


async def _move(
    tx: Transaction,
    report_id: str,
    step: Transition,
    actor: str,
    pcii_status: PciiStatus | None = None,
    note: str | None = None,
) -> None:
    before, after = TRANSITIONS[step]
    await tx.run(
        "reports/transition",
        id=report_id,
        state=after.value,
        pciiStatus=pcii_status.value if pcii_status else None,
        entry=_entry(after.value, actor, note or step.value),
    )
    events.append(tx, [changes.report_state_changed(report_id, before.value, after.value, actor)])


async def transition(
    db: Database, principal: Principal, report_id: str, step: Transition, note: str | None = None
) -> None:
    """Review, close, or decide PCII; refused (EditRejected) with the current state named."""
    assert step != Transition.PUBLISH, "publishing makes a product: use publish()"

    if note is not None and (why := control_character_problem(note, multiline=True)):
        raise rejected(("note",), CONTROL_CHARACTER, f"The note {why}.")

    async def write(tx: Transaction) -> None:
        await _triage_target(tx, principal, report_id, step)
        decided = {
            Transition.VALIDATE_PCII: PciiStatus.VALIDATED,
            Transition.DECLINE_PCII: PciiStatus.DECLINED,
        }.get(step)
        await _move(tx, report_id, step, principal.subject, decided, note)

    await db.in_write_transaction(write)


def _product_fields(found: Record, decision: Publication, reviewer: str | None) -> Record:
    kind = decision.kind or published_kind(found["kind"]).value
    if kind not in {k.value for k in PUBLISHED_KINDS}:
        raise rejected(
            ("input", "kind"),
            "BAD_ENUM",
            "A report becomes a SUSPICIOUS_ACTIVITY or INCIDENT_ANALYSIS product.",
        )
    summary = decision.summary if decision.summary is not None else found["summary"]
    if reviewer is not None and decision.issued_by not in (None, reviewer):
        raise rejected(
            ("input", "issuedBy"),
            "FORBIDDEN",
            "A PARTNER user issues a product for its own organisation only.",
        )
    tlp = decision.tlp or found["tlp"]
    if why := marking_refusal(found["id"], found["tlp"], tlp, by_source=reviewer == found["submitter"]):
        raise rejected(("input", "tlp"), TLP_LOWERED, why)
    issued_by = decision.issued_by or reviewer
    if issued_by == found["submitter"] and not decision.reveal_submitter:
        issued_by = None  # the product never names the submitting organisation unless told to
    return {
        "id": decision.product_id or f"prod-{found['id']}",
        "title": decision.title or found["title"],
        "kind": kind,
        "level": decision.level,
        "severity": decision.severity,
        "tlp": tlp,
        # A report validated as PCII publishes only as a PCII product: PCII is kept, never dropped.
        "pcii": found["pciiStatus"] == PciiStatus.VALIDATED,
        "sectors": found["sectors"],
        "topics": decision.topics,
        "regions": found["regions"],
        "addressedTo": [],
        "issuedBy": issued_by,
        "publishedAt": publication_now(),
        "summary": summary,
    }


async def publish(
    db: Database, principal: Principal, report_id: str, decision: Publication
) -> tuple[str, dissemination.DisseminationReport]:
    """Publish a report IN_REVIEW as an information product and disseminate it to the product's
    recipients; the product's id and the dissemination."""
    reviewer = principal.partner
    if decision.product_id is not None and not access.may(principal, access.Action.CHOOSE_PRODUCT_ID):
        # Refused before the id is looked at: a free id and one taken by a product this user may
        # not see get the same answer.
        raise rejected(
            ("input", "productId"),
            "FORBIDDEN",
            f"A {principal.role.value} user may not {access.Action.CHOOSE_PRODUCT_ID.value}; "
            "leave productId out and the product is prod-<report id>.",
        )

    async def write(tx: Transaction) -> str:
        found = await _triage_target(tx, principal, report_id, Transition.PUBLISH)
        fields = _product_fields(found, decision, reviewer)
        made = await editing.recorded(lambda t: editing.create(t, "products", fields), principal.subject)(tx)
        await tx.run(
            "reports/link_product",
            id=report_id,
            productId=fields["id"],
            revealSubmitter=decision.reveal_submitter,
        )
        await _move(tx, report_id, Transition.PUBLISH, principal.subject, note=f"published as {fields['id']}")
        return made[-1].key

    product_id = await db.in_write_transaction(write)
    return product_id, await dissemination.disseminate(db, product_id, principal.subject)
