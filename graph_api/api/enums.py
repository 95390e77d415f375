"""The domain's enumerations, exposed to GraphQL under the same names (TLP in capitals).

Strawberry registers an enum by annotating the class itself, so the domain's classes are the
GraphQL enums: a value read from Neo4j or computed by a rule needs no conversion.
"""

from __future__ import annotations

import strawberry

from graph_api import domain

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
):
    strawberry.enum(_enum)
strawberry.enum(Tlp, name="TLP")
