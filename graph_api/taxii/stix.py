"""Products as STIX 2.1: a product is a `report`, its issuer and sectors are `identity` objects,
and its TLP travels as one of the OASIS TLP 2.0 marking definitions.

Every object is built and checked by the `stix2` library. Ids are deterministic (UUIDv5 in a
namespace of the service's own), so the same product is the same STIX object on every read and
after a round trip through another TAXII server.
"""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

import stix2

from graph_api.domain.vocabulary import ProductKind, Tlp

# The namespace of every STIX id this service mints (a fixed, random UUID of its own).
NAMESPACE = uuid.UUID("6c0f2e51-3b8d-4f5e-9a4c-2d7be6f1a930")
SOURCE_NAME = "isegraph"
# The source name of an open-source item a report cites.
OPEN_SOURCE_NAME = "open-source"

# The OASIS common TLP 2.0 marking definitions, exactly as published.
TLP_2_EXTENSION = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"
TLP_2_CREATED = "2022-10-01T00:00:00.000Z"
TLP_MARKING_IDS: dict[str, str] = {
    Tlp.CLEAR: "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
    Tlp.GREEN: "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
    Tlp.AMBER: "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
    Tlp.AMBER_STRICT: "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
    Tlp.RED: "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
}
TLP_2_NAMES: dict[str, str] = {
    Tlp.CLEAR: "clear",
    Tlp.GREEN: "green",
    Tlp.AMBER: "amber",
    Tlp.AMBER_STRICT: "amber+strict",
    Tlp.RED: "red",
}
# Read on import: TLP 1.0 (the stix2 library's predefined markings, still written by OpenCTI and
# MISP) and TLP 2.0. TLP 1.0 has no AMBER+STRICT.
TLP_OF_MARKING: dict[str, str] = {
    **{marking: tlp for tlp, marking in TLP_MARKING_IDS.items()},
    stix2.TLP_WHITE.id: Tlp.CLEAR,
    stix2.TLP_GREEN.id: Tlp.GREEN,
    stix2.TLP_AMBER.id: Tlp.AMBER,
    stix2.TLP_RED.id: Tlp.RED,
}

PCII_NOTICE = (
    "This product contains Protected Critical Infrastructure Information (PCII). In accordance "
    "with the Critical Infrastructure Information Act of 2002 (6 U.S.C. 671-674), PCII is protected "
    "from public disclosure, and must be safeguarded and disseminated in accordance with PCII "
    "Program requirements."
)
PCII_MARKING_ID = f"marking-definition--{uuid.uuid5(NAMESPACE, 'pcii-statement')}"
PCII_MARKING_CREATED = "2026-01-01T00:00:00.000Z"
# Records written before the service kept change times report this as their time.
EPOCH = "2026-01-01T00:00:00.000Z"

# The STIX 2.1 industry-sector vocabulary (as the stix2 library holds it) where it names the
# sector; other sectors travel as labels.
INDUSTRY_SECTORS: dict[str, str] = {
    "chemical": "chemical",
    "commercial-facilities": "commercial",
    "communications": "communications",
    "critical-manufacturing": "manufacturing",
    "dams": "dams",
    "defense-industrial-base": "defense",
    "emergency-services": "emergency-services",
    "energy": "energy",
    "financial-services": "financial-services",
    "food-agriculture": "agriculture",
    "government-facilities": "government",
    "healthcare": "healthcare",
    "information-technology": "technology",
    "nuclear": "nuclear",
    "transportation": "transportation",
    "water": "water",
}
SECTOR_OF_INDUSTRY = {
    **{industry: sector for sector, industry in INDUSTRY_SECTORS.items()},
    # Sub-sectors as some tools write them, prefixed with their parent.
    "government-emergency-services": "emergency-services",
    "infrastructure-dams": "dams",
    "infrastructure-nuclear": "nuclear",
    "infrastructure-water": "water",
}

# report-type-ov names the subject; our own kind follows as an open-vocabulary value of its own.
REPORT_TYPES: dict[str, str] = {
    ProductKind.ALERT: "threat-report",
    ProductKind.WARNING: "threat-report",
    ProductKind.THREAT_ASSESSMENT: "threat-report",
    ProductKind.RISK_ANALYSIS: "vulnerability",
    ProductKind.SITUATIONAL_REPORT: "threat-report",
    ProductKind.INCIDENT_ANALYSIS: "threat-report",
    ProductKind.PROTECTIVE_MEASURES: "vulnerability",
    ProductKind.DAILY_REPORT: "threat-report",
    ProductKind.SUSPICIOUS_ACTIVITY: "observed-data",
}
# Labels carry what STIX has no property for, as `name:VALUE`.
LABEL_PREFIXES = ("level", "severity", "topic", "region", "sector")


def stix_id(kind: str, key: str) -> str:
    return f"{kind}--{uuid.uuid5(NAMESPACE, key)}"


def report_id(product_id: str) -> str:
    return stix_id("report", f"product:{product_id}")


def partner_identity_id(partner_id: str) -> str:
    return stix_id("identity", f"partner:{partner_id}")


def sector_identity_id(sector_id: str) -> str:
    return stix_id("identity", f"sector:{sector_id}")


SERVICE_IDENTITY_ID = stix_id("identity", "service")


def kind_type(kind: str) -> str:
    """ALERT -> alert, THREAT_ASSESSMENT -> threat-assessment."""
    return kind.lower().replace("_", "-")


def timestamp(value: str | None, default: str = EPOCH) -> str:
    """A Neo4j date-time as STIX writes it: UTC, to the millisecond."""
    if not value:
        return default
    # Neo4j writes up to nanoseconds; Python reads up to microseconds.
    trimmed = re.sub(r"(\.\d{6})\d+", r"\1", value).replace("Z", "+00:00")
    moment = datetime.fromisoformat(trimmed).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def _reference(external_id: str) -> list[dict[str, str]]:
    return [{"source_name": SOURCE_NAME, "external_id": external_id}]


def _source_references(sources: list[dict[str, str]]) -> list[dict[str, str]]:
    """The open-source items a report cites, each by its link (the Daily Open Source Report)."""
    return [{"source_name": OPEN_SOURCE_NAME, "url": s["url"], "description": s["title"]} for s in sources]


def tlp_marking(tlp: str) -> Any:
    return stix2.MarkingDefinition(
        id=TLP_MARKING_IDS[tlp],
        created=TLP_2_CREATED,
        name=f"TLP:{TLP_2_NAMES[tlp].upper()}",
        extensions={TLP_2_EXTENSION: {"extension_type": "property-extension", "tlp_2_0": TLP_2_NAMES[tlp]}},
    )


def pcii_marking() -> Any:
    return stix2.MarkingDefinition(
        id=PCII_MARKING_ID,
        created=PCII_MARKING_CREATED,
        name="PCII",
        definition_type="statement",
        definition=stix2.StatementMarking(statement=PCII_NOTICE),
    )


def service_identity() -> Any:
    return stix2.Identity(
        id=SERVICE_IDENTITY_ID, created=EPOCH, modified=EPOCH, name="ISE Graph", identity_class="system"
    )


def _times(row: dict[str, Any]) -> dict[str, str]:
    """`created` and `modified` of a record's current version; never one before the other."""
    created = timestamp(row.get("createdAt"))
    return {"created": created, "modified": max(created, timestamp(row.get("modifiedAt"), created))}


def partner_identity(partner: dict[str, Any]) -> Any:
    sectors = sorted({INDUSTRY_SECTORS[s] for s in partner["sectors"] if s in INDUSTRY_SECTORS})
    return stix2.Identity(
        id=partner_identity_id(partner["id"]),
        **_times(partner),
        name=partner["name"],
        identity_class="organization",
        sectors=sectors or None,
        external_references=_reference(partner["id"]),
    )


def sector_identity(sector: dict[str, Any]) -> Any:
    """A sector as STIX writes one: an identity of class `class`."""
    industry = INDUSTRY_SECTORS.get(sector["id"])
    return stix2.Identity(
        id=sector_identity_id(sector["id"]),
        **_times(sector),
        name=sector["name"],
        identity_class="class",
        sectors=[industry] if industry else None,
        labels=None if industry else [f"sector:{sector['id']}"],
        external_references=_reference(sector["id"]),
    )


def report(product: dict[str, Any]) -> Any:
    """The report of a product row (as `cypher/taxii/products.cypher` reads it)."""
    modified = timestamp(product.get("modifiedAt"), timestamp(product["publishedAt"]))
    created = min(timestamp(product.get("createdAt"), modified), modified)
    issuer = product.get("issuer")
    refs = [sector_identity_id(s["id"]) for s in product["sectors"]]
    if issuer:
        refs.append(partner_identity_id(issuer["id"]))
    markings = [TLP_MARKING_IDS[product["tlp"]]]
    if product["pcii"]:
        markings.append(PCII_MARKING_ID)
    labels = [f"level:{product['level']}", f"severity:{product['severity']}"]
    labels += [f"topic:{t}" for t in product["topics"]]
    labels += [f"region:{r}" for r in product["regions"]]
    labels += [f"sector:{s['id']}" for s in product["sectors"] if s["id"] not in INDUSTRY_SECTORS]
    types = dict.fromkeys([REPORT_TYPES[product["kind"]], kind_type(product["kind"])])
    return stix2.Report(
        id=report_id(product["id"]),
        created=created,
        modified=modified,
        name=product["title"],
        description=product.get("summary") or None,
        published=timestamp(product["publishedAt"]),
        report_types=list(types),
        created_by_ref=partner_identity_id(issuer["id"]) if issuer else None,
        object_refs=refs or [SERVICE_IDENTITY_ID],
        labels=labels,
        external_references=_reference(product["id"]) + _source_references(product.get("sources") or []),
        object_marking_refs=markings,
    )


@dataclass(frozen=True)
class Entry:
    """One object of a collection with the time it was added to it (its version's time)."""

    object: dict[str, Any]
    date_added: str

    @property
    def id(self) -> str:
        return str(self.object["id"])

    @property
    def version(self) -> str:
        return str(self.object.get("modified") or self.object.get("created"))


def as_dict(stix_object: Any) -> dict[str, Any]:
    """The object as plain JSON values, in the library's own serialisation."""
    value: dict[str, Any] = json.loads(stix_object.serialize())
    return value


BUILDERS: dict[str, Callable[..., Any]] = {
    "report": report,
    "sector": sector_identity,
    "partner": partner_identity,
    "tlp": tlp_marking,
    "pcii": pcii_marking,
    "service": service_identity,
}


@lru_cache(maxsize=8192)
def _built(builder: str, arguments: str) -> dict[str, Any]:
    """A built and checked object as JSON, kept: rows that did not change give the same object,
    and building through `stix2` is what a read spends most of its time on. Callers never
    change what they get."""
    return as_dict(BUILDERS[builder](*json.loads(arguments)))


def built(builder: str, *arguments: Any) -> dict[str, Any]:
    return _built(builder, json.dumps(arguments, sort_keys=True))


def collection_objects(products: Iterable[dict[str, Any]]) -> list[Entry]:
    """The reports of these products and every object they reference.

    A report is added when its version came to be; an identity or a marking definition the
    first time a report of this collection referenced it, so a client that pulls what was added
    after its last pull gets each object it needs once.
    """
    entries: dict[str, Entry] = {}

    def add(key: str, date_added: str, builder: str, *arguments: Any) -> None:
        if key not in entries:
            entries[key] = Entry(built(builder, *arguments), date_added)
        elif date_added < entries[key].date_added:
            entries[key] = Entry(entries[key].object, date_added)

    for product in products:
        own = built("report", product)
        added = str(own["modified"])
        entries[own["id"]] = Entry(own, added)
        add(TLP_MARKING_IDS[product["tlp"]], added, "tlp", product["tlp"])
        if product["pcii"]:
            add(PCII_MARKING_ID, added, "pcii")
        for sector in product["sectors"]:
            add(sector_identity_id(sector["id"]), added, "sector", sector)
        if issuer := product.get("issuer"):
            add(partner_identity_id(issuer["id"]), added, "partner", issuer)
        if not product["sectors"] and not issuer:
            add(SERVICE_IDENTITY_ID, added, "service")
    return sorted(entries.values(), key=lambda e: (e.date_added, e.id))
