"""GraphQL inputs of the administrative edits.

Create inputs are written out; each update input is generated from its create input: the same
fields, every one optional (left out = unchanged, null = cleared), plus the `version` the edit is
based on. Field names are the interchange document's, so a field error's path is
the path of the value in the input.
"""

# No `from __future__ import annotations`: update_input reads these classes' real annotations.

import dataclasses
from enum import Enum
from typing import Any, get_type_hints

import strawberry
from strawberry.utils.str_converters import to_camel_case

from graph_api.api.enums import (
    Channel,
    CouncilKind,
    FusionCenterType,
    MemberRole,
    PartnerKind,
    ProductKind,
    ProductLevel,
    RegionKind,
    Severity,
    SubscriptionDelivery,
    Tlp,
)

ID = strawberry.ID
VERSION = "The version of the record you read (its `version` field); a stale one is refused."


@strawberry.input(description="Makes a partner a fusion center serving these regions.")
class FusionCenterInput:
    type: FusionCenterType
    serves: list[ID] = strawberry.field(default_factory=list)


@strawberry.input(
    description="Who receives a requirement's products: the members of `council`, or the partners "
    "of `sector` whose kind is in `partnerKinds` (none listed: every kind). Name one of the two."
)
class AudienceInput:
    council: ID | None = strawberry.UNSET
    sector: ID | None = strawberry.UNSET
    partner_kinds: list[PartnerKind] | None = strawberry.UNSET


@strawberry.input
class CreatePartnerInput:
    id: ID
    name: str
    kind: PartnerKind
    active: bool = True
    sectors: list[ID] = strawberry.field(default_factory=list)
    regions: list[ID] = strawberry.field(default_factory=list)
    partners_with: list[ID] = strawberry.field(default_factory=list)
    client_of: list[ID] = strawberry.field(default_factory=list)
    fusion_center: FusionCenterInput | None = None
    intake: bool = strawberry.field(
        default=False, description="A national intake point: every report partners submit reaches it."
    )


@strawberry.input
class CreateCouncilInput:
    id: ID
    name: str
    kind: CouncilKind
    sectors: list[ID] = strawberry.field(default_factory=list)
    parent: ID | None = None


@strawberry.input
class CreateContactInput:
    id: ID
    partner: ID
    name: str
    email: str
    pcii_authorized: bool = False
    channels: list[Channel] = strawberry.field(default_factory=list)
    active: bool = True


@strawberry.input(description="Empty lists and a null minSeverity mean any.")
class CreateRequirementInput:
    id: ID
    council: ID
    sector: ID
    audience: AudienceInput
    channel: Channel
    kinds: list[ProductKind] = strawberry.field(default_factory=list)
    levels: list[ProductLevel] = strawberry.field(default_factory=list)
    topics: list[ID] = strawberry.field(default_factory=list)
    min_severity: Severity | None = None


@strawberry.input
class CreateRegionInput:
    id: ID
    name: str
    kind: RegionKind
    parent: ID | None = None


@strawberry.input
class CreateTopicInput:
    id: ID
    name: str


@strawberry.input
class CreateProductInput:
    id: ID
    title: str
    kind: ProductKind
    level: ProductLevel
    severity: Severity
    tlp: Tlp
    pcii: bool = False
    sectors: list[ID] = strawberry.field(default_factory=list)
    topics: list[ID] = strawberry.field(default_factory=list)
    regions: list[ID] = strawberry.field(default_factory=list)
    addressed_to: list[ID] = strawberry.field(default_factory=list)
    issued_by: ID | None = None
    published_at: str | None = strawberry.field(default=None, description="ISO-8601; defaults to now.")
    summary: str | None = strawberry.field(default=None, description="Plain text, at most 10,000 characters.")
    link: str | None = strawberry.field(default=None, description="An https URL with more about the product.")


def update_input(create: type, name: str) -> Any:
    """`create`'s fields, all optional, plus the version the update is based on."""
    hints = get_type_hints(create)
    annotations: dict[str, Any] = {"id": ID, "version": int}
    namespace: dict[str, Any] = {"version": strawberry.field(description=VERSION)}
    for field_name, hint in hints.items():
        if field_name != "id":
            annotations[field_name] = hint | None
            namespace[field_name] = strawberry.UNSET
    namespace["__annotations__"] = annotations
    description = f"Fields left out stay as they are. {VERSION}"
    return strawberry.input(type(name, (), namespace), description=description)


UpdatePartnerInput = update_input(CreatePartnerInput, "UpdatePartnerInput")
UpdateCouncilInput = update_input(CreateCouncilInput, "UpdateCouncilInput")
UpdateContactInput = update_input(CreateContactInput, "UpdateContactInput")
UpdateRequirementInput = update_input(CreateRequirementInput, "UpdateRequirementInput")
UpdateRegionInput = update_input(CreateRegionInput, "UpdateRegionInput")
UpdateTopicInput = update_input(CreateTopicInput, "UpdateTopicInput")
UpdateProductInput = update_input(CreateProductInput, "UpdateProductInput")


@strawberry.input(description="A record named by id, with the version the edit is based on.")
class RecordVersionInput:
    id: ID
    version: int = strawberry.field(description=VERSION)


@strawberry.input(
    description="Fold `duplicate` into `keep`: every membership, contact, delivery, subscription and "
    "link of both ends up on `keep`, and `duplicate`'s id becomes an alias of `keep`."
)
class MergePartnersInput:
    keep: ID
    keep_version: int
    duplicate: ID
    duplicate_version: int


@strawberry.input
class AddMembershipInput:
    partner: ID
    council: ID
    role: MemberRole = MemberRole.MEMBER


@strawberry.input
class UpdateMembershipInput:
    partner: ID
    council: ID
    version: int = strawberry.field(description=VERSION)
    role: MemberRole


@strawberry.input
class RemoveMembershipInput:
    partner: ID
    council: ID
    version: int = strawberry.field(description=VERSION)


@strawberry.input(description="Name exactly one of topic or sector; a null minSeverity means any.")
class CreateSubscriptionInput:
    partner: ID
    topic: ID | None = None
    sector: ID | None = None
    min_severity: Severity | None = None
    delivery: SubscriptionDelivery | None = strawberry.field(
        default=None, description="IMMEDIATE (the default) or DAILY_DIGEST (sector subscriptions)."
    )


@strawberry.input(description="The subscription is named by its partner and its topic or sector.")
class UpdateSubscriptionInput:
    partner: ID
    version: int = strawberry.field(description=VERSION)
    min_severity: Severity | None
    topic: ID | None = None
    sector: ID | None = None
    delivery: SubscriptionDelivery | None = strawberry.field(
        default=None, description="IMMEDIATE or DAILY_DIGEST; null keeps the current one."
    )


@strawberry.input(description="The subscription is named by its partner and its topic or sector.")
class DeleteSubscriptionInput:
    partner: ID
    version: int = strawberry.field(description=VERSION)
    topic: ID | None = None
    sector: ID | None = None


def fields_of(value: Any) -> Any:
    """An input as interchange values: camelCase keys, enum values, fields left out dropped."""
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, list):
        return [fields_of(item) for item in value]
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            to_camel_case(f.name): fields_of(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if getattr(value, f.name) is not strawberry.UNSET
        }
    return value
