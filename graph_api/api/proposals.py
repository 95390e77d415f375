"""Requirement proposals over GraphQL: propose, accept, decline, withdraw, and the list."""

from __future__ import annotations

from typing import Any, cast

import strawberry
from strawberry.scalars import JSON

from graph_api.api import edit_inputs as inputs
from graph_api.api.pagination import Connection, connection_of, window_of
from graph_api.api.payloads import FieldError
from graph_api.api.permissions import Requires, RequiresSomewhere
from graph_api.api.types import Info
from graph_api.errors import ServiceError
from graph_api.rules import proposals
from graph_api.rules.access import Action, Forbidden
from graph_api.rules.audit import audited

ProposalState = proposals.ProposalState
strawberry.enum(ProposalState, description="Where a requirement proposal stands.")


@strawberry.type(description="One step of a proposal's history.")
class ProposalStep:
    state: ProposalState
    at: str
    by: str = strawberry.field(description="The user who took the step (its token's subject).")
    reason: str | None


@strawberry.type(
    description="A member organisation's proposal of a new requirement of a council, or of a change."
)
class RequirementProposal:
    id: strawberry.ID
    council: strawberry.ID
    requirement: strawberry.ID | None = strawberry.field(
        description="The requirement changed; null: a new one."
    )
    base_version: int | None = strawberry.field(
        description="The requirement's version the change was proposed on."
    )
    change: JSON = strawberry.field(
        description="The new requirement's fields, or the fields the change sets."
    )
    state: ProposalState
    proposer: strawberry.ID = strawberry.field(description="The proposing organisation.")
    proposed_by: str
    reason: str | None
    at: str
    decision_reason: str | None
    decided_by: str | None
    history: list[ProposalStep]

    @staticmethod
    def of(p: proposals.Proposal) -> RequirementProposal:
        return RequirementProposal(
            id=strawberry.ID(p.id),
            council=strawberry.ID(p.council),
            requirement=None if p.requirement is None else strawberry.ID(p.requirement),
            base_version=p.base_version,
            change=cast(JSON, p.change),
            state=ProposalState(p.state),
            proposer=strawberry.ID(p.proposer),
            proposed_by=p.proposed_by,
            reason=p.reason,
            at=p.at,
            decision_reason=p.decision_reason,
            decided_by=p.decided_by,
            history=[
                ProposalStep(state=ProposalState(s["state"]), at=s["at"], by=s["by"], reason=s.get("reason"))
                for s in p.history
            ],
        )


@strawberry.input(description="Exactly one of a new requirement (create) or a change to one (update).")
class ProposeRequirementInput:
    id: strawberry.ID | None = strawberry.field(
        default=None, description="The proposal's id; null: one is made."
    )
    create: inputs.CreateRequirementInput | None = None
    update: inputs.UpdateRequirementInput | None = strawberry.field(
        default=None, description="The requirement's id, the version you read, and the fields to change."
    )
    reason: str | None = None


@strawberry.type(description="A proposal as it stands after the step, or why the step was refused.")
class ProposalPayload:
    proposal: RequirementProposal | None
    user_errors: list[FieldError]


def _refused(exc: ServiceError, field: str) -> ProposalPayload:
    """A refusal the form shows (NOT_FOUND, STALE_VERSION, INVALID_TRANSITION, BAD_USER_INPUT);
    FORBIDDEN goes on as the operation's error."""
    if isinstance(exc, Forbidden):
        raise exc
    return ProposalPayload(
        proposal=None, user_errors=[FieldError(field=[field], code=exc.code, message=exc.message)]
    )


@strawberry.type
class ProposalQuery:
    @strawberry.field(
        description="Requirement proposals, newest first: staff see all, a PARTNER user those of the "
        "councils its organisation is a member of."
    )
    async def requirement_proposals(
        self,
        info: Info,
        first: int | None = None,
        after: str | None = None,
        council: strawberry.ID | None = None,
        state: ProposalState | None = None,
    ) -> Connection[RequirementProposal]:
        ctx = info.context
        page = await proposals.proposals_page(
            ctx.db, ctx.principal, council, None if state is None else state.value, window_of(first, after)
        )
        return connection_of([RequirementProposal.of(p) for p in page.items], page.start, page.total)


async def _decided(
    info: Info, operation: str, proposal_id: str, state: proposals.ProposalState, reason: str | None
) -> ProposalPayload:
    ctx = info.context
    arguments: dict[str, Any] = {"id": proposal_id, "reason": reason}
    try:
        async with audited(ctx.db, ctx.principal, operation, arguments):
            decided, _ = await proposals.decide(
                ctx.db, ctx.principal, proposal_id, state, reason, arguments, ctx.actor
            )
    except ServiceError as exc:
        return _refused(exc, "reason" if exc.code == "BAD_USER_INPUT" else "id")
    return ProposalPayload(proposal=RequirementProposal.of(decided), user_errors=[])


@strawberry.type
class ProposalMutation:
    @strawberry.mutation(
        permission_classes=[Requires(Action.PROPOSE_REQUIREMENT)],
        description="Propose a new requirement of a council, or a change to one, as a user of one of "
        "its member organisations.",
    )
    async def propose_requirement(self, info: Info, input: ProposeRequirementInput) -> ProposalPayload:
        ctx = info.context
        create = None if input.create is None else inputs.fields_of(input.create)
        update = None if input.update is None else inputs.fields_of(input.update)
        arguments = {"id": input.id, "create": create, "update": update, "reason": input.reason}
        try:
            async with audited(ctx.db, ctx.principal, "proposeRequirement", arguments):
                made = await proposals.propose(
                    ctx.db,
                    ctx.principal,
                    create=create,
                    update=update,
                    reason=input.reason,
                    proposal_id=input.id,
                )
        except ServiceError as exc:
            return _refused(exc, "input")
        return ProposalPayload(proposal=RequirementProposal.of(made), user_errors=[])

    @strawberry.mutation(
        permission_classes=[RequiresSomewhere(Action.STEWARD_COUNCIL)],
        description="Accept a proposal (a steward of its council, or ADMIN), with a reason: its change is "
        "applied at once, refused with STALE_VERSION when the requirement changed since it was proposed.",
    )
    async def accept_proposal(self, info: Info, id: strawberry.ID, reason: str) -> ProposalPayload:
        return await _decided(info, "acceptProposal", id, proposals.ProposalState.ACCEPTED, reason)

    @strawberry.mutation(
        permission_classes=[RequiresSomewhere(Action.STEWARD_COUNCIL)],
        description="Decline a proposal (a steward of its council, or ADMIN), with a reason.",
    )
    async def decline_proposal(self, info: Info, id: strawberry.ID, reason: str) -> ProposalPayload:
        return await _decided(info, "declineProposal", id, proposals.ProposalState.DECLINED, reason)

    @strawberry.mutation(
        permission_classes=[Requires(Action.PROPOSE_REQUIREMENT)],
        description="Withdraw a proposal of your own organisation that is still PROPOSED.",
    )
    async def withdraw_proposal(
        self, info: Info, id: strawberry.ID, reason: str | None = None
    ) -> ProposalPayload:
        return await _decided(info, "withdrawProposal", id, proposals.ProposalState.WITHDRAWN, reason)
