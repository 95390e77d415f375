"""Dissemination is recorded once per recipient; inboxes show it; the CSV opens as a table."""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys

from starlette.testclient import TestClient

from graph_api.rules.importer import import_network
from graph_api.store.database import Database
from tests.helpers import data, unique_prefix
from tests.sample import sample

DISSEMINATE = """
mutation($id: ID!) { disseminate(productId: $id) {
  newlyDelivered alreadyDelivered recipients { recipients { partner { id } channels } } } }
"""


async def test_disseminating_twice_records_each_delivery_once(client: TestClient, db: Database) -> None:
    prefix = unique_prefix("dis")
    await import_network(db, sample(prefix))
    product = f"{prefix}prod-1"
    first = data(client, DISSEMINATE, id=product)["disseminate"]
    recipients = [r["partner"]["id"] for r in first["recipients"]["recipients"]]
    ours = [r for r in recipients if r.startswith(prefix)]
    assert ours == [f"{prefix}fc-ca", f"{prefix}p1"]
    assert first["newlyDelivered"] == len(recipients) and first["alreadyDelivered"] == 0
    second = data(client, DISSEMINATE, id=product)["disseminate"]
    assert second["newlyDelivered"] == 0 and second["alreadyDelivered"] == len(recipients)

    deliveries = data(
        client,
        """query($id: ID!) { deliveries(productId: $id, first: 500) {
             totalCount nodes { partner { id } channels deliveredBy } } }""",
        id=product,
    )["deliveries"]
    assert deliveries["totalCount"] == len(recipients)
    assert sorted(d["partner"]["id"] for d in deliveries["nodes"]) == sorted(recipients)
    mine = {"partner": {"id": f"{prefix}p1"}, "channels": ["HSIN"], "deliveredBy": "admin:local"}
    assert mine in deliveries["nodes"]
    first_page = data(
        client,
        "query($id: ID!) { deliveries(productId: $id, first: 1) { totalCount nodes { channels } "
        "pageInfo { hasNextPage } } }",
        id=product,
    )["deliveries"]
    assert len(first_page["nodes"]) == 1 and first_page["pageInfo"]["hasNextPage"] == (len(recipients) > 1)

    inbox = data(
        client,
        "query($p: ID!) { inbox(partnerId: $p) { totalCount nodes { product { id title } channels } } }",
        p=f"{prefix}p1",
    )["inbox"]
    assert inbox["totalCount"] == 1
    assert inbox["nodes"] == [
        {"product": {"id": product, "title": "Grid ransomware campaign"}, "channels": ["HSIN"]}
    ]


def test_the_csv_has_one_row_per_recipient_contact(seeded: None) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "graph_api", "recipients", "prod-001", "--format", "csv"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert rows and list(rows[0]) == ["partner_id", "partner", "contact", "email", "channels", "reasons"]
    as_json = subprocess.run(
        [sys.executable, "-m", "graph_api", "recipients", "prod-001", "--format", "json"],
        capture_output=True,
        text=True,
        env=os.environ.copy(),
        check=True,
    )
    import json

    answer = json.loads(as_json.stdout)
    expected = [
        (r["partner"]["id"], c["email"])
        for r in answer["recipients"]
        for c in r["contacts"] or [{"email": ""}]
    ]
    assert [(row["partner_id"], row["email"]) for row in rows] == expected
    assert all(row["reasons"] and row["partner"] for row in rows)
