"""The exclusion rules of a recipient list, over every combination of the facts they read: the
rule (`domain/eligibility.py`), the in-process index that calls it, the Cypher statement that
resolves a list without the index (cypher/recipients/resolve.cypher, on the real Neo4j) and the
reference of the design all exclude the same candidates for the same reasons.

One network holds a partner for every combination of the partner's facts (active or not, each
kind, addressed or not, each set of contacts), every one a candidate through a subscription; one
product for every combination of the product's facts (each TLP level, PCII or not) is resolved
over them all."""

from __future__ import annotations

import itertools
from dataclasses import replace
from typing import Any

from graph_api import audience, domain
from graph_api.domain import eligibility
from graph_api.rules import recipients
from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests import reference
from tests.helpers import unique_prefix

# The contacts a partner may have, as (active, PCII-authorized); a partner has any subset of them.
CONTACT_KINDS = ((True, True), (False, True), (True, False))
CONTACT_SETS = [
    subset for size in range(len(CONTACT_KINDS) + 1) for subset in itertools.combinations(CONTACT_KINDS, size)
]
PARTNER_FACTS = list(itertools.product((True, False), domain.PARTNER_KINDS, (True, False), CONTACT_SETS))
PRODUCT_FACTS = list(itertools.product(domain.TLP_LEVELS, (False, True)))


def _network(prefix: str) -> dict[str, Any]:
    topic = f"{prefix}topic"
    partners: list[dict[str, Any]] = []
    contacts: list[dict[str, Any]] = []
    addressed: list[str] = []
    for n, (active, kind, is_addressed, contact_set) in enumerate(PARTNER_FACTS):
        partner_id = f"{prefix}p{n:03d}"
        partners.append({"id": partner_id, "name": f"Partner {n:03d}", "kind": kind, "active": active})
        if is_addressed:
            addressed.append(partner_id)
        for m, (contact_active, authorized) in enumerate(contact_set):
            contacts.append(
                {
                    "id": f"{partner_id}-c{m}",
                    "partner": partner_id,
                    "name": f"Contact {m}",
                    "email": f"c{m}@p{n}.example.org",
                    "pciiAuthorized": authorized,
                    "channels": ["EMAIL"],
                    "active": contact_active,
                }
            )
    products = [
        {
            "id": f"{prefix}{tlp.lower()}-{'pcii' if pcii else 'plain'}",
            "title": f"{tlp} {pcii}",
            "kind": "ALERT",
            "level": "OPERATIONAL",
            "severity": "HIGH",
            "tlp": tlp,
            "pcii": pcii,
            "sectors": [],
            "topics": [topic],
            "regions": [],
            "addressedTo": addressed,
            "publishedAt": "2026-11-25T12:00:00Z",
        }
        for tlp, pcii in PRODUCT_FACTS
    ]
    return {
        "topics": [{"id": topic, "name": "Everyone's topic"}],
        "partners": partners,
        "contacts": contacts,
        "subscriptions": [
            {"partner": p["id"], "topic": topic, "sector": None, "minSeverity": "LOW"} for p in partners
        ],
        "products": products,
    }


def _ruled(doc: dict[str, Any], product: dict[str, Any]) -> dict[str, str | None]:
    """Each partner's exclusion as the rule decides it from the partner's facts."""
    addressed = set(product["addressedTo"])
    decided: dict[str, str | None] = {}
    for partner in doc["partners"]:
        own = [c for c in doc["contacts"] if c["partner"] == partner["id"]]
        decided[partner["id"]] = eligibility.exclusion(
            active=partner["active"],
            tlp=product["tlp"],
            addressed=partner["id"] in addressed,
            pcii=product["pcii"],
            government=partner["kind"] in domain.GOVERNMENT_KINDS,
            authorized_contact=any(c["active"] and c["pciiAuthorized"] for c in own),
        )
    return decided


async def test_the_index_the_cypher_statement_and_the_reference_exclude_as_the_rule_does(
    db: Database,
) -> None:
    prefix = unique_prefix("elig")
    doc = _network(prefix)
    assert (await import_network(db, doc)).ok
    ids = [p["id"] for p in doc["partners"]]
    db = replace(db, recipient_index=True, recipient_index_reload_seconds=0.0)
    index = await audience.current_index(db)
    assert index is not None

    differences: list[str] = []
    combinations = 0
    for product_doc in doc["products"]:
        product = await recipients.load_product(db, product_doc["id"])
        ruled = _ruled(doc, product_doc)
        by_reference = {p["id"]: reference.exclusion_reason(doc, product_doc, p) for p in doc["partners"]}
        by_index = {row[0]: row[4] for row in index.candidates(product, ids)}
        by_cypher: dict[str, str | None] = {}
        async for record in db.stream("recipients/resolve", **recipients.parameters(product, ids)):
            by_cypher.update({row[0]: row[4] for row in record["rows"]})
        for partner_id, facts in zip(ids, PARTNER_FACTS, strict=True):
            combinations += 1
            answers = {
                "rule": ruled[partner_id],
                "index": by_index.get(partner_id, "not a candidate"),
                "cypher": by_cypher.get(partner_id, "not a candidate"),
                "reference": by_reference[partner_id],
            }
            if len(set(answers.values())) != 1:
                differences.append(f"{product_doc['tlp']} pcii={product_doc['pcii']} {facts}: {answers}")

    assert combinations == len(PARTNER_FACTS) * len(PRODUCT_FACTS) == 2 * 8 * 2 * 8 * 5 * 2
    assert differences == []
    # Every rule of a recipient list is met somewhere (the onward-only ones, §4's canShare rules on
    # a fusion center's onward list, are not rules of this list), and every combination was
    # answered by all four.
    assert {r for rs in (_ruled(doc, p) for p in doc["products"]) for r in rs.values()} == {
        None,
        *(set(domain.ExclusionReason) - domain.ONWARD_EXCLUSIONS),
    }
