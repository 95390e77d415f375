"""Recipient lists read in pages, at a glance and as files, on the seed network.

A national draft (every sector and topic, PCII) gives a long list with every kind of exclusion;
the same answers come from `recipients` of a saved product. Pages walked by cursor must give the
whole list in order, the summary must count what the list holds, and the downloads must carry
exactly the rows the command line writes.
"""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from collections import Counter
from typing import Any

import pytest
from starlette.testclient import TestClient

from seed.network import SECTOR_IDS, build_seed_document
from tests.helpers import data, token

NATIONAL_DRAFT = {
    "title": "National critical alert (draft)",
    "kind": "ALERT",
    "level": "OPERATIONAL",
    "severity": "CRITICAL",
    "tlp": "AMBER",
    "pcii": True,
    "sectors": list(SECTOR_IDS),
    "topics": [t["id"] for t in build_seed_document()["topics"]],
}
RECIPIENT = "partner { id name kind } reasons { source ref } channels contacts { id name email }"
EXCLUSION = "partner { id name kind } reason"
SUMMARY = """summary { recipients contacts excluded byReasonSource { source count }
  byPartnerKind { kind count } byChannel { channel count } byExclusionReason { reason count } }"""
WHOLE = f"recipients {{ {RECIPIENT} }} excluded {{ {EXCLUSION} }} {SUMMARY}"
PAGE = """{field}(first: {size}, after: $after, where: $where) {{ totalCount
  pageInfo {{ hasNextPage hasPreviousPage endCursor }} edges {{ cursor node {{ {selection} }} }} }}"""


def _list(client: TestClient, selection: str, source: str, **variables: Any) -> dict[str, Any]:
    """`selection` of the national draft's preview, or of a saved product's `recipients`; the
    variables, if any, are a page's `$after` and `$where`."""
    where_type = "ExclusionWhere" if "excludedConnection" in selection else "RecipientWhere"
    declared = f", $after: String, $where: {where_type}" if variables else ""
    if source == "preview":
        field, argument, variables = "previewRecipients", "product: $p", {"p": NATIONAL_DRAFT, **variables}
        declared = "$p: ProductInput!" + declared
    else:
        field, argument, variables = "recipients", "productId: $id", {"id": source, **variables}
        declared = "$id: ID!" + declared
    query = f"query({declared}) {{ {field}({argument}) {{ {selection} }} }}"
    answer: dict[str, Any] = data(client, query, **variables)[field]
    return answer


def _walk(client: TestClient, source: str, field: str, selection: str, where: Any = None) -> list[Any]:
    """Every node of a connection, page by page, following endCursor."""
    nodes: list[Any] = []
    after = None
    while True:
        page = _list(
            client, PAGE.format(field=field, size=25, selection=selection), source, after=after, where=where
        )[field]
        assert page["pageInfo"]["hasPreviousPage"] == (after is not None)
        nodes += [edge["node"] for edge in page["edges"]]
        assert page["totalCount"] >= len(nodes)
        if not page["pageInfo"]["hasNextPage"]:
            assert page["totalCount"] == len(nodes)
            return nodes
        after = page["pageInfo"]["endCursor"]


SOURCES = [pytest.param("preview", id="national draft"), pytest.param("prod-001", id="saved product")]


@pytest.mark.parametrize("source", SOURCES)
def test_walking_the_pages_by_cursor_gives_the_whole_list_in_order(
    client: TestClient, seeded: None, source: str
) -> None:
    whole = _list(client, WHOLE, source)
    assert whole["recipients"], "the list under test must not be empty"
    assert _walk(client, source, "recipientsConnection", RECIPIENT) == whole["recipients"]
    assert _walk(client, source, "excludedConnection", EXCLUSION) == whole["excluded"]


def test_the_national_draft_has_every_kind_of_exclusion_to_page_through(
    client: TestClient, seeded: None
) -> None:
    reasons = {e["reason"] for e in _list(client, WHOLE, "preview")["excluded"]}
    assert {"INACTIVE", "PCII_NOT_GOVERNMENT"} <= reasons


@pytest.mark.parametrize("source", SOURCES)
def test_the_summary_counts_what_the_list_holds(client: TestClient, seeded: None, source: str) -> None:
    whole = _list(client, WHOLE, source)
    recipients, excluded, summary = whole["recipients"], whole["excluded"], whole["summary"]
    assert summary["recipients"] == len(recipients)
    assert summary["excluded"] == len(excluded)
    assert summary["contacts"] == sum(len(r["contacts"]) for r in recipients)
    by_source = Counter(s for r in recipients for s in {x["source"] for x in r["reasons"]})
    assert {c["source"]: c["count"] for c in summary["byReasonSource"]} == {
        s: by_source[s]
        for s in ("REQUIREMENT", "SUBSCRIPTION", "FUSION_CENTER", "ADDRESSED", "AREA", "CLIENT")
    }
    kinds = {c["kind"]: c["count"] for c in summary["byPartnerKind"]}
    assert kinds == {k: sum(r["partner"]["kind"] == k for r in recipients) for k in kinds}
    assert sum(kinds.values()) == len(recipients)
    channels = {c["channel"]: c["count"] for c in summary["byChannel"]}
    assert list(channels) == ["HSIN", "EMAIL", "PHONE", "WATCH_CENTER"]
    assert channels == {ch: sum(ch in r["channels"] for r in recipients) for ch in channels}
    reasons = {c["reason"]: c["count"] for c in summary["byExclusionReason"]}
    assert reasons == {reason: sum(e["reason"] == reason for e in excluded) for reason in reasons}
    assert sum(reasons.values()) == len(excluded)


def _sectors_of(client: TestClient) -> dict[str, set[str]]:
    rows = data(client, "{ sectors { id partnersConnection(first: 500) { nodes { id } } } }")["sectors"]
    members: dict[str, set[str]] = {}
    for sector in rows:
        for partner in sector["partnersConnection"]["nodes"]:
            members.setdefault(partner["id"], set()).add(sector["id"])
    return members


def test_pages_narrowed_by_where_keep_exactly_the_matching_entries(client: TestClient, seeded: None) -> None:
    whole = _list(client, WHOLE, "preview")
    recipients, excluded = whole["recipients"], whole["excluded"]
    sectors = _sectors_of(client)
    prefix = recipients[len(recipients) // 2]["partner"]["name"][:3]
    cases: list[tuple[dict[str, Any], Any]] = [
        ({"source_IN": ["SUBSCRIPTION"]}, lambda r: any(x["source"] == "SUBSCRIPTION" for x in r["reasons"])),
        ({"partnerKind_IN": ["FEDERAL", "STATE"]}, lambda r: r["partner"]["kind"] in ("FEDERAL", "STATE")),
        ({"channel_IN": ["PHONE"]}, lambda r: "PHONE" in r["channels"]),
        ({"sector_IN": ["energy"]}, lambda r: "energy" in sectors.get(r["partner"]["id"], set())),
        ({"partnerName_STARTS_WITH": prefix}, lambda r: r["partner"]["name"].startswith(prefix)),
        (
            {"source_IN": ["REQUIREMENT"], "partnerKind_IN": ["FEDERAL"]},
            lambda r: (
                r["partner"]["kind"] == "FEDERAL" and any(x["source"] == "REQUIREMENT" for x in r["reasons"])
            ),
        ),
    ]
    for where, keeps in cases:
        expected = [r for r in recipients if keeps(r)]
        assert expected, f"{where} keeps nobody: the case proves nothing"
        assert _walk(client, "preview", "recipientsConnection", RECIPIENT, where) == expected, where
    narrowed = _walk(
        client, "preview", "excludedConnection", EXCLUSION, {"reason_IN": ["PCII_NOT_GOVERNMENT"]}
    )
    assert narrowed == [e for e in excluded if e["reason"] == "PCII_NOT_GOVERNMENT"] != []


def test_a_cursor_the_api_never_gave_is_refused(client: TestClient, seeded: None) -> None:
    from tests.helpers import gql

    body = gql(
        client,
        'query { recipients(productId: "prod-001") { recipientsConnection(after: "bogus") { totalCount } } }',
    )
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


# --------------------------------------------------------------------------- downloads


def _cli(product: str, fmt: str) -> str:
    """What `isegraph recipients` writes, byte for byte (CSV rows end in CR LF)."""
    return subprocess.run(
        [sys.executable, "-m", "graph_api", "recipients", product, "--format", fmt],
        capture_output=True,
        env=os.environ.copy(),
        check=True,
    ).stdout.decode()


def test_the_csv_download_is_one_row_per_recipient_contact_as_the_cli_writes_it(
    client: TestClient, seeded: None
) -> None:
    analyst = token("ANALYST")
    response = client.get("/recipients/prod-001.csv", headers={"Authorization": f"Bearer {analyst}"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert 'filename="recipients-prod-001.csv"' in response.headers["content-disposition"]
    assert response.text == _cli("prod-001", "csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    whole = _list(client, WHOLE, "prod-001")
    expected = [
        (r["partner"]["id"], c["email"])
        for r in whole["recipients"]
        for c in r["contacts"] or [{"email": ""}]
    ]
    assert [(row["partner_id"], row["email"]) for row in rows] == expected


def test_the_ndjson_download_holds_every_entry_in_list_order(client: TestClient, seeded: None) -> None:
    response = client.get("/recipients/prod-001.ndjson")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/x-ndjson")
    lines = [json.loads(line) for line in response.text.splitlines()]
    assert response.text == _cli("prod-001", "ndjson")
    whole = _list(client, WHOLE, "prod-001")
    got = [
        (line["recipient"]["partner"]["id"], None)
        if "recipient" in line
        else (line["excluded"]["partner"]["id"], line["excluded"]["reason"])
        for line in lines
    ]
    expected = [(r["partner"]["id"], None) for r in whole["recipients"]] + [
        (e["partner"]["id"], e["reason"]) for e in whole["excluded"]
    ]
    assert sorted(got, key=str) == sorted(expected, key=str)
    names = [line.get("recipient", line.get("excluded"))["partner"] for line in lines]
    assert names == sorted(names, key=lambda p: (p["name"], p["id"]))
    first = next(line["recipient"] for line in lines if "recipient" in line)
    assert first == {
        "partner": first["partner"],
        "reasons": [{"source": x["source"], "ref": x["ref"]} for x in first["reasons"]],
        "contacts": first["contacts"],
        "channels": first["channels"],
    }


def test_a_partner_may_not_download_a_recipient_list(client: TestClient, seeded: None) -> None:
    partner = token("PARTNER", "prod-001")
    for fmt in ("csv", "ndjson"):
        response = client.get(f"/recipients/prod-001.{fmt}", headers={"Authorization": f"Bearer {partner}"})
        assert response.status_code == 403
        assert response.headers["content-type"].startswith("application/json")
        body = response.json()
        assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
        assert "PARTNER" in body["errors"][0]["message"]
    missing = client.get("/recipients/prod-001.csv", headers={"Authorization": ""})
    assert missing.status_code == 401


def test_a_download_of_an_unknown_product_is_a_json_404(client: TestClient, seeded: None) -> None:
    response = client.get("/recipients/no-such-product.csv")
    assert response.status_code == 404
    assert response.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"


def test_a_download_is_audited_like_the_graphql_operation(client: TestClient, seeded: None) -> None:
    analyst = token("ANALYST")
    assert (
        client.get("/recipients/prod-002.ndjson", headers={"Authorization": f"Bearer {analyst}"}).status_code
        == 200
    )
    entries = data(
        client,
        '{ auditLog(first: 20, operation: "recipients") { nodes { role operation arguments outcome } } }',
    )["auditLog"]["nodes"]
    mine = [e for e in entries if json.loads(e["arguments"]) == {"productId": "prod-002", "format": "ndjson"}]
    assert mine and mine[0]["role"] == "ANALYST" and mine[0]["outcome"] == "OK"


def test_the_cli_streams_the_table_and_counts_at_the_end(seeded: None) -> None:
    table = _cli("prod-001", "table")
    assert table.startswith("prod-001: ")
    last = table.rstrip("\n").splitlines()[-1]
    recipients, excluded = int(last.split()[0]), int(last.split(", ")[1].split()[0])
    assert recipients == table.count("      because ")
    assert excluded == table.count("  EXCLUDED: ")


def test_a_list_entry_s_partner_is_the_directory_s_whatever_is_asked_of_it(
    client: TestClient, seeded: None
) -> None:
    """What the list holds of a partner (id, name, kind) is answered from the list; any other field
    is read from the directory; either way the values are the directory's."""
    fields = "id name kind active version isGovernment sectors { id }"
    asked = f"partner {{ {fields} }}"
    wide = _list(client, f"recipients {{ {asked} }} excluded {{ {asked} }}", "prod-002")
    narrow = _list(client, WHOLE, "prod-002")
    entries = wide["recipients"] + wide["excluded"]
    assert entries
    assert [e["partner"]["id"] for e in entries] == [
        e["partner"]["id"] for e in narrow["recipients"] + narrow["excluded"]
    ]
    for entry, listed in zip(entries, narrow["recipients"] + narrow["excluded"], strict=True):
        partner_id = entry["partner"]["id"]
        directory = data(client, f"query($id: ID!) {{ partner(id: $id) {{ {fields} }} }}", id=partner_id)[
            "partner"
        ]
        assert entry["partner"] == directory
        assert listed["partner"] == {k: directory[k] for k in ("id", "name", "kind")}
