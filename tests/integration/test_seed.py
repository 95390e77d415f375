"""The seed network: loaded by `isegraph seed`, browsable through GraphQL."""

from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

from starlette.testclient import TestClient

from seed.network import build_seed_document
from tests.helpers import data


def test_isegraph_seed_loads_the_seed_network_and_is_idempotent() -> None:
    run = [sys.executable, "-m", "graph_api", "seed"]
    first = subprocess.run(run, capture_output=True, text=True, env=os.environ.copy(), check=True)
    assert "Imported:" in first.stdout
    again = subprocess.run(run, capture_output=True, text=True, env=os.environ.copy(), check=True)
    assert " 0 created       0 updated" in again.stdout and "sectors" in again.stdout


def test_the_18_sectors_each_with_their_councils(client: TestClient, seeded: None) -> None:
    sectors = data(client, "{ sectors { id name sectorSpecificAgency { kind } councils { kind } } }")[
        "sectors"
    ]
    # Other tests add sectors of their own to the shared database: look at the seed's.
    seed_ids = {s["id"] for s in build_seed_document()["sectors"]}
    sectors = [s for s in sectors if s["id"] in seed_ids]
    assert len(seed_ids) == 18 and len(sectors) == 18
    for sector in sectors:
        kinds = {c["kind"] for c in sector["councils"]}
        assert {"SCC", "GCC", "ISWG"} <= kinds, sector["name"]
        assert sector["sectorSpecificAgency"]["kind"] == "FEDERAL"


def test_every_state_and_territory_has_a_primary_fusion_center(client: TestClient, seeded: None) -> None:
    doc = build_seed_document()
    states = {r["id"] for r in doc["regions"] if r["kind"] == "STATE"}
    centers: list[dict[str, Any]] = []
    after = None
    while True:  # page through every fusion center, as a front end would
        page = data(
            client,
            "query($after: String) { partners(first: 100, after: $after, "
            "where: {fusionCenterType_IN: [PRIMARY, RECOGNIZED]}) "
            "{ nodes { kind fusionCenter { type serves { id } } } pageInfo { hasNextPage endCursor } } }",
            after=after,
        )["partners"]
        centers += page["nodes"]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    served = {
        s["id"]
        for c in centers
        if c["fusionCenter"]["type"] == "PRIMARY"
        for s in c["fusionCenter"]["serves"]
    }
    assert states <= served
    assert len(states) == 56  # 50 states, DC and 5 territories


def test_the_seed_covers_every_product_kind_level_severity_tlp_and_pcii() -> None:
    products = build_seed_document()["products"]
    for key, values in (
        ("kind", 9),
        ("level", 3),
        ("severity", 4),
        ("tlp", 5),
        ("pcii", 2),
    ):
        assert len({p[key] for p in products}) == values, key


def test_illustrative_records_say_so() -> None:
    doc = build_seed_document()
    made_up = [p for p in doc["partners"] if p["kind"] == "PRIVATE"]
    assert made_up and all(p["illustrative"] for p in made_up)
    assert all(p["illustrative"] for p in doc["products"])
