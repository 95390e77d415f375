"""Administrative edits over GraphQL: the edit mutations, their payloads, and `impactOf`.

One table (`EDITS`) lists every edit: its mutation name, input type, and how its input becomes a
domain edit (graph_api/rules/editing.py). The mutations and the `ProposedEdit` input of `impactOf` are
generated from it, so an edit proposed to `impactOf` is exactly the edit its mutation would make.
A rejected edit answers `userErrors` (field, code, message) and changes nothing.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import Any

import strawberry

from graph_api.api import edit_inputs as inputs
from graph_api.api.enums import MemberRole
from graph_api.api.payloads import FieldError
from graph_api.api.permissions import Requires, RequiresSomewhere
from graph_api.api.projected import compiled, projected_one
from graph_api.api.results import Recipient
from graph_api.api.types import (
    Contact,
    Council,
    Info,
    InformationProduct,
    Membership,
    Partner,
    Region,
    Requirement,
    Subscription,
    Topic,
    load_existing,
    subscription,
    wrap,
)
from graph_api.compiler.references import Reference
from graph_api.domain.entities import BY_COLLECTION
from graph_api.domain.moments import publication_now
from graph_api.rules import editing, impact, stewardship
from graph_api.rules.access import Action
from graph_api.rules.audit import audited
from graph_api.store.database import Record


def _payload(name: str, field_name: str, kind: Any, description: str) -> Any:
    # The result's field first, as the schema has always listed it.
    annotations: dict[str, Any] = {
        field_name: kind | None,
        "user_errors": list[FieldError],
        # The edit and what it changed (None: refused), for the record's field to read.
        "_spec": strawberry.Private[Any],  # type: ignore[misc]
        "_change": strawberry.Private[editing.Change | None],  # type: ignore[misc]
    }
    if kind is strawberry.ID:
        answer: Any = strawberry.field(description=description)
    else:

        async def resolve(self: Any, info: Info) -> Any:
            return None if self._change is None else await _result(info, self._spec, self._change)

        resolve.__annotations__ = {"self": Any, "info": Info, "return": kind | None}
        answer = strawberry.field(resolver=resolve, description=description)
    namespace = {
        "__annotations__": annotations,
        field_name: answer,
        "user_errors": strawberry.field(description="Empty when the edit was made."),
    }
    return strawberry.type(type(name, (), namespace), description="The result of an edit.")


AFTER = "The record after the edit; null when the edit was refused."
DELETED = (
    "The id (memberships: partner|council; subscriptions: partner|topic or sector|id) of what was "
    "deleted; null when the edit was refused."
)
# What each kind of edit answers: its payload type's name, the field holding the result (also the
# noun in the mutations' names), and the result's GraphQL type. Records come from the entity model.
_RECORD_TYPES: dict[str, Any] = {
    "partners": Partner,
    "councils": Council,
    "contacts": Contact,
    "requirements": Requirement,
    "regions": Region,
    "topics": Topic,
    "products": InformationProduct,
}
RESULTS: dict[str, tuple[str, str, Any]] = {
    **{
        collection: (f"{BY_COLLECTION[collection].name}Payload", str(BY_COLLECTION[collection].field), kind)
        for collection, kind in _RECORD_TYPES.items()
    },
    "memberships": ("MembershipPayload", "membership", Membership),
    "subscriptions": ("PartnerSubscriptionPayload", "subscription", Subscription),
    "deleted": ("DeletePayload", "deleted_id", strawberry.ID),
}
PAYLOADS: dict[str, Any] = {
    result: _payload(name, field_name, kind, DELETED if result == "deleted" else AFTER)
    for result, (name, field_name, kind) in RESULTS.items()
}


@dataclasses.dataclass(frozen=True)
class EditSpec:
    name: str
    input: Any
    build: Callable[[Any], editing.Edit]
    result: str
    description: str
    proposable: bool = False  # offered by impactOf


def _patch(value: Any) -> dict[str, Any]:
    fields: dict[str, Any] = inputs.fields_of(value)
    return {k: v for k, v in fields.items() if k not in ("id", "version")}


def _new_record(collection: str, value: Any) -> dict[str, Any]:
    fields: dict[str, Any] = inputs.fields_of(value)
    if collection == "products" and fields.get("publishedAt") is None:
        fields["publishedAt"] = publication_now()
    return fields


def _record_edits(collection: str, create: Any, update: Any) -> list[EditSpec]:
    noun = RESULTS[collection][1]
    title = noun[0].upper() + noun[1:]
    # impactOf takes partner and requirement edits (and memberships and subscriptions, below).
    proposable = collection in ("partners", "requirements")
    specs = [
        EditSpec(
            f"create{title}",
            create,
            lambda v: partial(editing.create, collection=collection, fields=_new_record(collection, v)),
            collection,
            f"Create a {noun}.",
            proposable=proposable,
        ),
        EditSpec(
            f"update{title}",
            update,
            lambda v: partial(
                editing.update, collection=collection, record_id=v.id, version=v.version, patch=_patch(v)
            ),
            collection,
            f"Change some fields of a {noun}; refused when `version` is stale.",
            proposable=proposable,
        ),
        EditSpec(
            f"delete{title}",
            inputs.RecordVersionInput,
            lambda v: partial(editing.delete, collection=collection, record_id=v.id, version=v.version),
            "deleted",
            f"Delete a {noun} nothing else refers to (otherwise HAS_DEPENDENTS lists what does).",
            proposable=proposable,
        ),
    ]
    if BY_COLLECTION[collection].deactivatable:
        specs.append(
            EditSpec(
                f"deactivate{title}",
                inputs.RecordVersionInput,
                lambda v: partial(
                    editing.deactivate, collection=collection, record_id=v.id, version=v.version
                ),
                collection,
                f"Mark a {noun} inactive (kept, with everything it is linked to, but no longer a recipient).",
                proposable=proposable,
            )
        )
    return specs


EDITS: list[EditSpec] = [
    *_record_edits("partners", inputs.CreatePartnerInput, inputs.UpdatePartnerInput),
    EditSpec(
        "mergePartners",
        inputs.MergePartnersInput,
        lambda v: partial(
            editing.merge_partners,
            keep=v.keep,
            keep_version=v.keep_version,
            duplicate=v.duplicate,
            duplicate_version=v.duplicate_version,
        ),
        "partners",
        "Merge a duplicate partner into another; the duplicate's id keeps answering as an alias.",
        proposable=True,
    ),
    *_record_edits("councils", inputs.CreateCouncilInput, inputs.UpdateCouncilInput),
    EditSpec(
        "addMembership",
        inputs.AddMembershipInput,
        lambda v: partial(editing.add_membership, partner=v.partner, council=v.council, role=v.role.value),
        "memberships",
        "Make a partner a member of a council.",
        proposable=True,
    ),
    EditSpec(
        "updateMembership",
        inputs.UpdateMembershipInput,
        lambda v: partial(
            editing.update_membership,
            partner=v.partner,
            council=v.council,
            version=v.version,
            role=v.role.value,
        ),
        "memberships",
        "Change a member's role.",
        proposable=True,
    ),
    EditSpec(
        "removeMembership",
        inputs.RemoveMembershipInput,
        lambda v: partial(editing.remove_membership, partner=v.partner, council=v.council, version=v.version),
        "deleted",
        "Take a partner out of a council.",
        proposable=True,
    ),
    *_record_edits("contacts", inputs.CreateContactInput, inputs.UpdateContactInput),
    *_record_edits("requirements", inputs.CreateRequirementInput, inputs.UpdateRequirementInput),
    EditSpec(
        "createSubscription",
        inputs.CreateSubscriptionInput,
        lambda v: partial(editing.create_subscription, fields=inputs.fields_of(v)),
        "subscriptions",
        "Subscribe a partner to a topic or a sector.",
        proposable=True,
    ),
    EditSpec(
        "updateSubscription",
        inputs.UpdateSubscriptionInput,
        lambda v: partial(
            editing.update_subscription,
            partner=v.partner,
            topic=v.topic,
            sector=v.sector,
            version=v.version,
            min_severity=None if v.min_severity is None else v.min_severity.value,
            delivery=None if v.delivery is None else v.delivery.value,
        ),
        "subscriptions",
        "Change a subscription's minimum severity, or its delivery (null keeps it).",
        proposable=True,
    ),
    EditSpec(
        "deleteSubscription",
        inputs.DeleteSubscriptionInput,
        lambda v: partial(
            editing.delete_subscription, partner=v.partner, topic=v.topic, sector=v.sector, version=v.version
        ),
        "deleted",
        "Remove a subscription.",
        proposable=True,
    ),
    *_record_edits("regions", inputs.CreateRegionInput, inputs.UpdateRegionInput),
    *_record_edits("topics", inputs.CreateTopicInput, inputs.UpdateTopicInput),
    *_record_edits("products", inputs.CreateProductInput, inputs.UpdateProductInput),
]
BY_NAME = {spec.name: spec for spec in EDITS}


def _named(value: Any) -> str | None:
    """An id the input gives (an update's field left out is not one)."""
    return value if isinstance(value, str) else None


def _councils(*ids: Any) -> tuple[str, ...]:
    return tuple(i for i in map(_named, ids) if i is not None)


# The edits a council's steward may make, each with what it touches that the steward must govern.
STEWARDED: dict[str, Callable[[Any], stewardship.Governed]] = {
    "createRequirement": lambda v: stewardship.Governed(councils=_councils(v.council)),
    "updateRequirement": lambda v: stewardship.Governed(
        councils=_councils(getattr(v, "council", None)), requirement=v.id
    ),
    "deleteRequirement": lambda v: stewardship.Governed(requirement=v.id),
    "createCouncil": lambda v: stewardship.Governed(
        creates_council=True, new_council_parent=_named(v.parent), new_council_kind=v.kind.value
    ),
    "addMembership": lambda v: stewardship.Governed(councils=_councils(v.council)),
    "updateMembership": lambda v: stewardship.Governed(councils=_councils(v.council)),
    "removeMembership": lambda v: stewardship.Governed(councils=_councils(v.council)),
}


def _stewarded(
    edit: editing.Edit, info: Info, governed: stewardship.Governed, audit: dict[str, Any]
) -> editing.Edit:
    """The edit, after the check, in its own transaction, that the user may make it; the audit
    record names the steward scope used."""
    principal = info.context.principal

    async def run(tx: Any) -> list[editing.Change]:
        used = await stewardship.authority(tx, principal, governed)
        if used != principal.role.value:
            audit["scope"] = used
        return await edit(tx)

    return run


def _reference(spec: EditSpec, after: Record) -> Reference:
    if spec.result == "memberships":
        return Reference.of("Membership", after["partner"], after["council"])
    if spec.result == "subscriptions":
        return Reference.of("PartnerSubscription", after["partner"], after["topic"], after["sector"])
    return Reference.of(BY_COLLECTION[spec.result].name, after["id"])


async def _result(info: Info, spec: EditSpec, change: editing.Change) -> Any:
    """The record after the edit, read once the edit has committed: by the compiler, for the
    selection the payload asks of it (the reference schema answers it on the resolvers)."""
    after = change.after
    if spec.result == "deleted" or after is None:
        return strawberry.ID(change.key)
    if compiled(info):
        return await projected_one(info, _reference(spec, after))
    if spec.result == "memberships":
        council = await load_existing(info, "councils", after["council"], Council)
        return Membership(council=council, role=MemberRole(after["role"]), _partner=after["partner"])
    if spec.result == "subscriptions":
        return subscription(after["partner"], after)
    return wrap(spec.result, after)


def _audit_arguments(value: Any) -> dict[str, Any]:
    return {"input": inputs.fields_of(value)}


def _answer(spec: EditSpec, change: editing.Change | None, errors: list[FieldError]) -> Any:
    """The payload of an edit; its record is read when the payload's field is asked for."""
    values: dict[str, Any] = {"user_errors": errors, "_spec": spec, "_change": change}
    if spec.result == "deleted":
        values[RESULTS["deleted"][1]] = None if change is None else strawberry.ID(change.key)
    return PAYLOADS[spec.result](**values)


def _mutation(spec: EditSpec) -> Any:
    payload = PAYLOADS[spec.result]

    governed = STEWARDED.get(spec.name)

    async def resolve(self: Any, info: Info, input: Any) -> Any:
        ctx = info.context
        arguments = _audit_arguments(input)
        try:
            async with audited(ctx.db, ctx.principal, spec.name, arguments) as entry:
                edit = spec.build(input)
                if governed is not None:
                    edit = _stewarded(edit, info, governed(input), arguments)
                changes = await ctx.db.in_write_transaction(editing.recorded(edit, ctx.actor))
                entry.changes = [dataclasses.asdict(c) for c in changes]
        except editing.EditRejected as exc:
            return _answer(spec, None, [FieldError.of(e) for e in exc.errors])
        return _answer(spec, changes[-1], [])

    resolve.__annotations__ = {"self": Any, "info": Info, "input": spec.input, "return": payload}
    return strawberry.mutation(
        resolver=resolve,
        name=spec.name,
        description=spec.description,
        permission_classes=[
            Requires(Action.EDIT) if governed is None else RequiresSomewhere(Action.STEWARD_COUNCIL)
        ],
    )


EditMutations = strawberry.type(
    type("EditMutations", (), {spec.name: _mutation(spec) for spec in EDITS}),
    description="The administrative edits (ADMIN only; a council's steward makes those of its council).",
)


# -- impactOf ---------------------------------------------------------------------------------

PROPOSABLE = [spec for spec in EDITS if spec.proposable]
ProposedEdit = strawberry.input(
    type(
        "ProposedEdit",
        (),
        {
            "__annotations__": {spec.name: spec.input | None for spec in PROPOSABLE},
            **{spec.name: strawberry.UNSET for spec in PROPOSABLE},
        },
    ),
    one_of=True,
    description="Exactly one edit, with the same input its mutation takes.",
)


@strawberry.type(description="A product whose recipient list the edit would change.")
class ProductImpact:
    product: InformationProduct
    gained: list[Recipient] = strawberry.field(description="New recipients, with why they would receive it.")
    lost: list[Recipient] = strawberry.field(description="Recipients it would drop, with why they had it.")


@strawberry.type
class ImpactReport:
    considered: int = strawberry.field(description="Products published in the window that were checked.")
    products: list[ProductImpact] = strawberry.field(description="Only the products whose list would change.")
    user_errors: list[FieldError] = strawberry.field(
        description="Why the edit would be refused (then nothing else is reported)."
    )


async def impact_of(
    self: Any,
    info: Info,
    edit: Any,
    published_after: datetime | None = None,
    published_before: datetime | None = None,
) -> ImpactReport:
    ctx = info.context
    chosen = [(name, value) for name, value in vars(edit).items() if value not in (None, strawberry.UNSET)]
    name, value = chosen[0]  # one_of guarantees exactly one
    spec = BY_NAME[name]
    period = impact.PublicationPeriod.of(published_after, published_before)
    try:
        answer = await impact.impact_of(ctx.db, spec.build(value), period)
    except editing.EditRejected as exc:
        prefix = ("edit", spec.name)
        return ImpactReport(
            considered=0, products=[], user_errors=[FieldError.of(e, prefix) for e in _inside(exc.errors)]
        )
    return ImpactReport(
        considered=answer.considered,
        products=[
            ProductImpact(
                product=wrap("products", p.product),
                gained=[Recipient.of(r) for r in p.gained],
                lost=[Recipient.of(r) for r in p.lost],
            )
            for p in answer.products
        ],
        user_errors=[],
    )


def _inside(errors: list[editing.FieldProblem]) -> list[editing.FieldProblem]:
    """Field paths relative to the proposed edit's input (they start with "input")."""
    return [dataclasses.replace(e, field=e.field[1:]) for e in errors]


impact_of.__annotations__ = {**impact_of.__annotations__, "edit": ProposedEdit}
IMPACT_OF = strawberry.field(
    resolver=impact_of,
    permission_classes=[Requires(Action.EDIT)],
    description="Which products published in the window (default: the last 30 days) would gain or "
    "lose which recipients if the edit were made. Computed by the rules of `recipients`, in a "
    "transaction that is rolled back: nothing is written (ADMIN only).",
)
