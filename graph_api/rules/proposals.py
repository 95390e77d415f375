"""Requirement proposals: the members' stake in setting their council's requirements.

A user of any member organisation of council C proposes a new requirement of C, or a change to
one, on the version it read. A steward of C (or an ADMIN) accepts or declines it, with a reason;
the proposer's organisation may withdraw it. `PROPOSED → ACCEPTED | DECLINED | WITHDRAWN`, once:
any other transition is refused with the current state named. Accepting applies the change in
the same transaction as the decision, checked against the version proposed on (STALE_VERSION when
the requirement changed since). Every step is kept in the proposal's history.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from graph_api.domain.moments import publication_now
from graph_api.errors import InvalidInput, NotFound, ServiceError
from graph_api.identity import Principal, Role
from graph_api.rules import editing, stewardship
from graph_api.rules.access import Forbidden
from graph_api.store.database import Database, Reader, Record, Transaction
from graph_api.store.paging import Page, Window


class ProposalState(StrEnum):
    PROPOSED = "PROPOSED"
    ACCEPTED = "ACCEPTED"
    DECLINED = "DECLINED"
    WITHDRAWN = "WITHDRAWN"


class StaleVersion(ServiceError):
    code = "STALE_VERSION"


class ProposalDecided(ServiceError):
    code = "INVALID_TRANSITION"


MAX_REASON_CHARS = 2000


@dataclass(frozen=True)
class Proposal:
    id: str
    council: str
    requirement: str | None  # the requirement changed; None: a new one
    base_version: int | None  # the version it was proposed on
    change: dict[str, Any]  # the new requirement's fields, or the fields changed
    state: str
    proposer: str  # the proposing organisation
    proposed_by: str  # the proposing user (its token's subject)
    reason: str | None
    at: str
    decision_reason: str | None
    decided_by: str | None
    history: list[dict[str, Any]]

    @staticmethod
    def of(row: Record) -> Proposal:
        return Proposal(
            id=row["id"],
            council=row["council"],
            requirement=row.get("requirement"),
            base_version=row.get("baseVersion"),
            change=json.loads(row["change"]),
            state=row["state"],
            proposer=row["proposer"],
            proposed_by=row["proposedBy"],
            reason=row.get("reason"),
            at=row["at"],
            decision_reason=row.get("decisionReason"),
            decided_by=row.get("decidedBy"),
            history=json.loads(row["history"]),
        )


def _reason(reason: str | None, *, required: bool) -> str | None:
    if reason is not None:
        reason = reason.strip()
    if required and not reason:
        raise InvalidInput("Give the reason for the decision (reason): the proposer reads it.")
    if reason and len(reason) > MAX_REASON_CHARS:
        raise InvalidInput(f"A reason is at most {MAX_REASON_CHARS} characters.")
    return reason or None


async def propose(
    db: Database,
    principal: Principal,
    *,
    create: dict[str, Any] | None,
    update: dict[str, Any] | None,
    reason: str | None,
    proposal_id: str | None = None,
) -> Proposal:
    """A new proposal: `create` (a new requirement's fields) or `update` (id, version and the
    fields to change), exactly one."""
    if (create is None) == (update is None):
        raise InvalidInput("Propose exactly one of a new requirement (create) or a change (update).")
    if principal.role != Role.PARTNER or principal.partner is None:
        raise Forbidden("Requirements are proposed by the users of a council's member organisations.")
    reason = _reason(reason, required=False)
    if create is not None:
        requirement, version, council = None, None, str(create.get("council"))
        change = create
    else:
        assert update is not None
        requirement, version = str(update["id"]), int(update["version"])
        change = {k: v for k, v in update.items() if k not in ("id", "version")}
        council = None
    facts = (
        await db.read("proposals/member", requirement=requirement, council=council, partner=principal.partner)
    )[0]
    if requirement is not None and not facts["requirementFound"]:
        raise NotFound(f"No requirement has the id '{requirement}'.")
    if facts["council"] is None:
        raise NotFound(f"No council has the id '{council}'.")
    council = facts["council"]
    if "council" in change and change["council"] != council:
        raise InvalidInput(
            "A proposal changes a requirement within its own council; propose a new one there."
        )
    if not facts["member"]:
        raise Forbidden(
            f"Only the users of a member organisation of council '{council}' may propose its requirements."
        )
    if requirement is not None and facts["version"] != version:
        raise StaleVersion(
            f"The requirement '{requirement}' is at version {facts['version']}, not {version}: "
            "read it again and propose on what it is now."
        )
    chosen = proposal_id or f"proposal-{uuid.uuid4().hex[:12]}"
    at = publication_now()
    history = [{"state": ProposalState.PROPOSED.value, "at": at, "by": principal.subject, "reason": reason}]

    async def work(tx: Transaction) -> list[Record]:
        return await tx.run(
            "proposals/create",
            id=chosen,
            council=council,
            requirement=requirement,
            baseVersion=version,
            change=json.dumps(change, sort_keys=True),
            proposer=principal.partner,
            actor=principal.subject,
            reason=reason,
            at=at,
            history=json.dumps(history),
        )

    rows = await db.in_write_transaction(work)
    if not rows:
        raise InvalidInput(f"The id '{chosen}' is already in use by another proposal.")
    return Proposal.of(rows[0]["proposal"])


async def decide(
    db: Database,
    principal: Principal,
    proposal_id: str,
    state: ProposalState,
    reason: str | None,
    audit: dict[str, Any],
    actor: str,
) -> tuple[Proposal, list[editing.Change]]:
    """Accept, decline or withdraw a proposal, once; accepting applies its change in the same
    transaction. `audit` gains the role or scope that allowed the decision."""
    reason = _reason(reason, required=state != ProposalState.WITHDRAWN)

    async def work(tx: Transaction) -> tuple[Proposal, list[editing.Change]]:
        rows = await tx.run("proposals/lock", id=proposal_id)
        if not rows:
            raise NotFound(f"No requirement proposal has the id '{proposal_id}'.")
        proposal = Proposal.of(rows[0]["proposal"])
        if state == ProposalState.WITHDRAWN:
            if principal.role != Role.PARTNER or principal.partner != proposal.proposer:
                raise Forbidden("Only the users of the proposing organisation may withdraw a proposal.")
            audit["scope"] = f"PROPOSER:{proposal.proposer}"
        else:
            audit["scope"] = await stewardship.authority(
                tx, principal, stewardship.Governed(councils=(proposal.council,))
            )
        if proposal.state != ProposalState.PROPOSED:
            raise ProposalDecided(
                f"The proposal '{proposal_id}' is {proposal.state} already; only a PROPOSED one is decided."
            )
        changes: list[editing.Change] = []
        if state == ProposalState.ACCEPTED:
            changes = await _applied(tx, proposal)
        history = [
            *proposal.history,
            {"state": state.value, "at": publication_now(), "by": principal.subject, "reason": reason},
        ]
        decided = await tx.run(
            "proposals/decide",
            id=proposal_id,
            state=state.value,
            reason=reason,
            actor=principal.subject,
            history=json.dumps(history),
        )
        return Proposal.of(decided[0]["proposal"]), changes

    # The decision's own change (accepting applies one) becomes events as an edit's would.
    decided: list[Proposal] = []

    async def edit(tx: Transaction) -> list[editing.Change]:
        proposal, changes = await work(tx)
        decided[:] = [proposal]
        return changes

    changes = await db.in_write_transaction(editing.recorded(edit, actor))
    return decided[0], changes


async def _applied(tx: Transaction, proposal: Proposal) -> list[editing.Change]:
    try:
        if proposal.requirement is None:
            return await editing.create(tx, "requirements", proposal.change)
        assert proposal.base_version is not None
        return await editing.update(
            tx, "requirements", proposal.requirement, proposal.base_version, proposal.change
        )
    except editing.EditRejected as exc:
        stale = [e for e in exc.errors if e.code == "STALE_VERSION"]
        if stale:
            raise StaleVersion(
                f"The requirement '{proposal.requirement}' changed since the proposal was made on version "
                f"{proposal.base_version}: {stale[0].message}"
            ) from exc
        raise


async def proposals_page(
    db: Reader, principal: Principal, council: str | None, state: str | None, window: Window
) -> Page[Proposal]:
    offset, size = window.forward()
    member = principal.partner if principal.role == Role.PARTNER else None
    rows = await db.read(
        "proposals/list", council=council, state=state, member=member, offset=offset, size=size
    )
    row = rows[0]
    return Page(total=int(row["total"]), start=offset, items=[Proposal.of(item) for item in row["items"]])
