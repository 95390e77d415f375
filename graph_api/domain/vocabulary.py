"""The domain's vocabulary: enumerations and their orderings, shared by every layer."""

from __future__ import annotations

from enum import StrEnum


class RegionKind(StrEnum):
    NATION = "NATION"
    FEMA_REGION = "FEMA_REGION"
    STATE = "STATE"
    URBAN_AREA = "URBAN_AREA"
    OTHER = "OTHER"


class PartnerKind(StrEnum):
    FEDERAL = "FEDERAL"
    STATE = "STATE"
    LOCAL = "LOCAL"
    TRIBAL = "TRIBAL"
    TERRITORIAL = "TERRITORIAL"
    PRIVATE = "PRIVATE"
    INTERNATIONAL = "INTERNATIONAL"
    NONPROFIT = "NONPROFIT"


class FusionCenterType(StrEnum):
    PRIMARY = "PRIMARY"
    RECOGNIZED = "RECOGNIZED"


class CouncilKind(StrEnum):
    SCC = "SCC"
    GCC = "GCC"
    ISWG = "ISWG"
    CROSS_SECTOR = "CROSS_SECTOR"
    REGIONAL_PARTNERSHIP = "REGIONAL_PARTNERSHIP"


class MemberRole(StrEnum):
    CHAIR = "CHAIR"
    MEMBER = "MEMBER"
    OBSERVER = "OBSERVER"


class Channel(StrEnum):
    HSIN = "HSIN"
    EMAIL = "EMAIL"
    PHONE = "PHONE"
    WATCH_CENTER = "WATCH_CENTER"


class ProductKind(StrEnum):
    ALERT = "ALERT"
    WARNING = "WARNING"
    THREAT_ASSESSMENT = "THREAT_ASSESSMENT"
    RISK_ANALYSIS = "RISK_ANALYSIS"
    SITUATIONAL_REPORT = "SITUATIONAL_REPORT"
    INCIDENT_ANALYSIS = "INCIDENT_ANALYSIS"
    PROTECTIVE_MEASURES = "PROTECTIVE_MEASURES"
    DAILY_REPORT = "DAILY_REPORT"
    SUSPICIOUS_ACTIVITY = "SUSPICIOUS_ACTIVITY"


class ProductLevel(StrEnum):
    STRATEGIC = "STRATEGIC"
    SITUATIONAL = "SITUATIONAL"
    OPERATIONAL = "OPERATIONAL"


class Severity(StrEnum):
    LOW = "LOW"
    MODERATE = "MODERATE"
    HIGH = "HIGH"
    CRITICAL = "CRITICAL"


class Tlp(StrEnum):
    """In order of restriction: CLEAR < GREEN < AMBER < AMBER_STRICT < RED."""

    CLEAR = "CLEAR"
    GREEN = "GREEN"
    AMBER = "AMBER"
    AMBER_STRICT = "AMBER_STRICT"
    RED = "RED"

    @property
    def rank(self) -> int:
        return list(Tlp).index(self)


class SubscriptionDelivery(StrEnum):
    IMMEDIATE = "IMMEDIATE"  # a message per product, when it is disseminated
    DAILY_DIGEST = "DAILY_DIGEST"  # one message a day listing the sector's shareable products


class ReasonSource(StrEnum):
    REQUIREMENT = "REQUIREMENT"
    SUBSCRIPTION = "SUBSCRIPTION"
    FUSION_CENTER = "FUSION_CENTER"
    ADDRESSED = "ADDRESSED"
    # Onward lists only: the partner lies in the fusion center's area (ref: the served region)…
    AREA = "AREA"
    # …or is one of its clients (ref: the fusion center).
    CLIENT = "CLIENT"


class ExclusionReason(StrEnum):
    INACTIVE = "INACTIVE"
    TLP_RED_NOT_ADDRESSED = "TLP_RED_NOT_ADDRESSED"
    PCII_NOT_GOVERNMENT = "PCII_NOT_GOVERNMENT"
    PCII_NO_AUTHORIZED_CONTACT = "PCII_NO_AUTHORIZED_CONTACT"
    # Onward lists only: the fusion center may not pass the product on to the partner (TLP 2.0).
    TLP_GREEN_OUTSIDE_COMMUNITY = "TLP_GREEN_OUTSIDE_COMMUNITY"
    TLP_AMBER_NOT_CLIENT = "TLP_AMBER_NOT_CLIENT"
    TLP_AMBER_STRICT_OTHER_ORG = "TLP_AMBER_STRICT_OTHER_ORG"


# The exclusions only an onward list names: the recipient list's own rules never do.
ONWARD_EXCLUSIONS = frozenset(
    {
        ExclusionReason.TLP_GREEN_OUTSIDE_COMMUNITY,
        ExclusionReason.TLP_AMBER_NOT_CLIENT,
        ExclusionReason.TLP_AMBER_STRICT_OTHER_ORG,
    }
)


def values(enum: type[StrEnum]) -> tuple[str, ...]:
    """The members' values in declaration order, which is also their documented order."""
    return tuple(member.value for member in enum)


REGION_KINDS = values(RegionKind)
PARTNER_KINDS = values(PartnerKind)
GOVERNMENT_KINDS = frozenset(PARTNER_KINDS[:5])
FUSION_CENTER_TYPES = values(FusionCenterType)
COUNCIL_KINDS = values(CouncilKind)
MEMBER_ROLES = values(MemberRole)
CHANNELS = values(Channel)
PRODUCT_KINDS = values(ProductKind)
PRODUCT_LEVELS = values(ProductLevel)
SEVERITIES = values(Severity)
TLP_LEVELS = values(Tlp)
REASON_SOURCES = values(ReasonSource)
SUBSCRIPTION_DELIVERIES = values(SubscriptionDelivery)


def severity_rank(severity: str | None) -> int:
    """LOW=1 … CRITICAL=4; no minimum (None) ranks 0 so that every severity passes it."""
    return 0 if severity is None else SEVERITIES.index(severity) + 1


def in_enum_order(items: list[str], order: tuple[str, ...]) -> list[str]:
    return sorted(set(items), key=order.index)


# Where a product comes from. A product is identified by (origin, id): an import or a pull writes
# only products of its own origin. This node's own products (written here: by an import document,
# an edit, a published report) carry LOCAL_ORIGIN; a product pulled over TAXII carries the
# collection it was read from.
LOCAL_ORIGIN = "local"


def taxii_origin(collection_url: str) -> str:
    return f"taxii:{collection_url}"
