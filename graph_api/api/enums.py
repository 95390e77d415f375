"""The domain's enumerations, exposed to GraphQL under the same names (TLP in capitals).

Strawberry registers an enum by annotating the class itself, so the domain's classes are the
GraphQL enums: a value read from Neo4j or computed by a rule needs no conversion.
"""

from __future__ import annotations

import strawberry

from graph_api import domain
from graph_api.domain import reports

RegionKind = domain.RegionKind
PartnerKind = domain.PartnerKind
FusionCenterType = domain.FusionCenterType
CouncilKind = domain.CouncilKind
MemberRole = domain.MemberRole
Channel = domain.Channel
ProductKind = domain.ProductKind
ProductLevel = domain.ProductLevel
Severity = domain.Severity
Tlp = domain.Tlp
ReasonSource = domain.ReasonSource
ExclusionReason = domain.ExclusionReason
SubscriptionDelivery = domain.SubscriptionDelivery
ReportKind = reports.ReportKind
ReportState = reports.ReportState
PciiStatus = reports.PciiStatus
RouteSource = reports.RouteSource
for _enum in (
    RegionKind,
    PartnerKind,
    FusionCenterType,
    CouncilKind,
    MemberRole,
    Channel,
    ProductKind,
    ProductLevel,
    Severity,
    ReasonSource,
    ExclusionReason,
    SubscriptionDelivery,
    ReportKind,
    RouteSource,
):
    strawberry.enum(_enum)
strawberry.enum(Tlp, name="TLP")
strawberry.enum(
    ReportState,
    description="PCII_PENDING: PCII protection was asked for and waits for an ADMIN. SUBMITTED: "
    "waiting for a reviewer. IN_REVIEW: taken up. PUBLISHED: an information product was made from "
    "it. CLOSED: reviewed, not published.",
)
strawberry.enum(
    PciiStatus,
    description="Whether PCII protection was asked for, and what an ADMIN decided: a VALIDATED "
    "report publishes only as a PCII product.",
)
