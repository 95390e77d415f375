"""The excerpt of DESIGN.md §2 made whole: a small, valid document for tests to build on."""

from __future__ import annotations

import copy
from typing import Any

from tests.strategies import add_prefix

_SAMPLE: dict[str, Any] = {
    "sectors": [{"id": "energy", "name": "Energy"}],
    "regions": [
        {"id": "fema-9", "name": "FEMA Region IX", "kind": "FEMA_REGION"},
        {"id": "ca", "name": "California", "kind": "STATE", "parent": "fema-9"},
    ],
    "topics": [{"id": "cyber", "name": "Cyber"}],
    "partners": [
        {
            "id": "p1",
            "name": "Pacific Grid Co",
            "kind": "PRIVATE",
            "active": True,
            "sectors": ["energy"],
            "regions": ["ca"],
            "partnersWith": ["p2"],
            "clientOf": ["p3"],
            "fusionCenter": None,
        },
        {"id": "p2", "name": "Sierra Power", "kind": "PRIVATE", "sectors": ["energy"]},
        {"id": "p3", "name": "Department of Energy", "kind": "FEDERAL", "sectors": ["energy"]},
        {"id": "hitrac", "name": "HITRAC", "kind": "FEDERAL"},
        {
            "id": "fc-ca",
            "name": "California State Threat Assessment Center",
            "kind": "STATE",
            "sectors": [],
            "regions": ["ca"],
            "fusionCenter": {"type": "PRIMARY", "serves": ["ca"]},
        },
    ],
    "councils": [
        {
            "id": "energy-scc",
            "name": "Electricity Subsector Coordinating Council",
            "kind": "SCC",
            "sectors": ["energy"],
            "parent": None,
            "members": [{"partner": "p1", "role": "MEMBER"}],
        },
        {
            "id": "energy-gcc",
            "name": "Energy GCC",
            "kind": "GCC",
            "sectors": ["energy"],
            "members": [{"partner": "p3", "role": "CHAIR"}],
        },
        {
            "id": "energy-iswg",
            "name": "Energy ISWG",
            "kind": "ISWG",
            "sectors": ["energy"],
            "parent": "energy-scc",
            "members": [],
        },
    ],
    "contacts": [
        {
            "id": "c1",
            "partner": "p1",
            "name": "A. Analyst",
            "email": "a@example.org",
            "pciiAuthorized": False,
            "channels": ["EMAIL", "HSIN"],
            "active": True,
        }
    ],
    "requirements": [
        {
            "id": "r1",
            "council": "energy-iswg",
            "sector": "energy",
            "kinds": ["ALERT", "WARNING"],
            "levels": [],
            "topics": ["cyber"],
            "minSeverity": "HIGH",
            "audience": {"council": "energy-scc"},
            "channel": "HSIN",
        },
        {
            "id": "r2",
            "council": "energy-gcc",
            "sector": "energy",
            "kinds": [],
            "levels": ["STRATEGIC"],
            "topics": [],
            "minSeverity": None,
            "audience": {"sector": "energy", "partnerKinds": ["FEDERAL", "STATE"]},
            "channel": "EMAIL",
        },
    ],
    "subscriptions": [{"partner": "p1", "topic": "cyber", "sector": None, "minSeverity": "MODERATE"}],
    "products": [
        {
            "id": "prod-1",
            "title": "Grid ransomware campaign",
            "kind": "ALERT",
            "level": "OPERATIONAL",
            "severity": "HIGH",
            "tlp": "AMBER",
            "pcii": False,
            "sectors": ["energy"],
            "topics": ["cyber"],
            "regions": ["ca"],
            "addressedTo": [],
            "issuedBy": "hitrac",
            "publishedAt": "2026-11-25T12:00:00Z",
        }
    ],
}


def sample(prefix: str) -> dict[str, Any]:
    """A fresh copy of the sample with every id and reference prefixed."""
    return add_prefix(copy.deepcopy(_SAMPLE), prefix)
