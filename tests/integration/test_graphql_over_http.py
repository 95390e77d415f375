"""GraphQL over HTTP as the specification says: media types, status codes, malformed requests.

The reference is graphql-http's `serverAudits` (npm), run against `isegraph serve` on a real
socket; the cases below it are the ones a client of ours meets, each on the real app.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from starlette.testclient import TestClient

from tests.helpers import Served, npm_packages, run_node, serve, token

AUDIT_DIR = Path(__file__).resolve().parent / "graphql_over_http"
NEW = "application/graphql-response+json"
OLD = "application/json"


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory, neo4j_server: None) -> Iterator[Served]:
    """The service as an operator starts it: two worker processes, uvloop and httptools."""
    with serve(tmp_path_factory.mktemp("serve") / "serve.log", "--workers", "2") as service:
        yield service


def test_every_graphql_over_http_audit_passes(served: Served) -> None:
    npm_packages(AUDIT_DIR, "graphql-http")
    audits = run_node(AUDIT_DIR, "audit.mjs", served.url, env={"TOKEN": token("ANALYST")})
    print(f"graphql-http serverAudits: {len(audits)} run, {sum(a['status'] == 'ok' for a in audits)} ok")
    not_ok = [a for a in audits if a["status"] != "ok"]
    assert len(audits) >= 50 and not not_ok, not_ok


def _post(client: TestClient, body: object, accept: str | None = NEW) -> tuple[int, str, dict]:
    headers = {"Accept": accept} if accept else {}
    response = client.post("/graphql", content=json.dumps(body), headers=headers | {"Content-Type": OLD})
    return response.status_code, response.headers["content-type"], response.json()


def test_a_client_that_accepts_the_graphql_media_type_gets_it(client: TestClient) -> None:
    status, content_type, body = _post(client, {"query": "{ sectorsConnection(first: 1) { totalCount } }"})
    assert (status, content_type) == (200, f"{NEW}; charset=utf-8")
    assert body["data"]["sectorsConnection"]["totalCount"] >= 0


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, OLD),
        ("*/*", OLD),
        (OLD, OLD),
        (f"{NEW}, {OLD};q=0.9", NEW),
        (f"{OLD}, {NEW};q=0.5", OLD),
        (f"{NEW};q=0, {OLD}", OLD),
    ],
)
def test_the_accept_header_chooses_the_media_type(
    client: TestClient, accept: str | None, expected: str
) -> None:
    status, content_type, _ = _post(client, {"query": "{ __typename }"}, accept)
    assert status == 200 and content_type.startswith(expected)


def test_an_accept_header_naming_no_json_type_is_refused_with_406(client: TestClient) -> None:
    status, _, body = _post(client, {"query": "{ __typename }"}, "application/xml")
    assert status == 406 and body["errors"][0]["extensions"]["code"] == "NOT_ACCEPTABLE"


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ("{ sectors { ", "GRAPHQL_PARSE_FAILED"),
        ("{ sectorz { id } }", "GRAPHQL_VALIDATION_FAILED"),
    ],
)
def test_a_document_that_does_not_parse_or_validate(client: TestClient, query: str, code: str) -> None:
    status, _, body = _post(client, {"query": query})
    # Not understood, so 400 and no data at all.
    assert status == 400 and "data" not in body
    assert body["errors"][0]["extensions"]["code"] == code
    # Clients of the older type get the errors with 200, as before.
    status, _, body = _post(client, {"query": query}, OLD)
    assert status == 200 and body["data"] is None and body["errors"][0]["extensions"]["code"] == code


def test_variables_that_do_not_fit_the_document_are_400(client: TestClient) -> None:
    query = "query($first: Int!) { sectorsConnection(first: $first) { totalCount } }"
    status, _, body = _post(client, {"query": query, "variables": {"first": "many"}})
    assert status == 400 and "data" not in body
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_error_during_execution_keeps_200_and_the_data(client: TestClient) -> None:
    status, _, body = _post(client, {"query": '{ product(id: "no-such-product") { id } }'})
    assert status == 200 and "data" in body


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("{ not json", "not valid JSON"),
        ("", "empty"),
        ("5", "JSON object"),
        ("null", "JSON object"),
        ('[{"query": "{ __typename }"}]', "Batched"),
        ('{"query": 5}', "`query`"),
        ('{"query": "{ __typename }", "operationName": 5}', "`operationName`"),
        ('{"query": "{ __typename }", "variables": "x"}', "`variables`"),
        ('{"query": "{ __typename }", "extensions": []}', "`extensions`"),
        ('{"qeury": "{ __typename }"}', "No GraphQL document"),
        ('{"query": "query A { __typename }", "operationName": "B"}', 'Unknown operation named "B"'),
    ],
)
@pytest.mark.parametrize("accept", [NEW, OLD])
def test_a_malformed_request_is_400_with_a_message(
    client: TestClient, body: str, fragment: str, accept: str
) -> None:
    response = client.post("/graphql", content=body, headers={"Content-Type": OLD, "Accept": accept})
    assert response.status_code == 400, response.text
    assert response.headers["content-type"].startswith(accept)
    error = response.json()["errors"][0]
    assert fragment in error["message"] and error["extensions"]["code"] == "BAD_REQUEST"


def test_a_body_that_is_not_json_is_415(client: TestClient) -> None:
    response = client.post("/graphql", content="{ __typename }", headers={"Content-Type": "text/plain"})
    assert response.status_code == 415
    assert response.json()["errors"][0]["extensions"]["code"] == "UNSUPPORTED_MEDIA_TYPE"


def test_a_mutation_over_get_is_405_and_changes_nothing(client: TestClient) -> None:
    mutation = 'mutation { importNetwork(document: {sectors: [{id: "get-sector", name: "G"}]}) { ok } }'
    response = client.get("/graphql", params={"query": mutation}, headers={"Accept": NEW})
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    assert response.json()["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"
    assert client.post("/graphql", json={"query": '{ sector(id: "get-sector") { id } }'}).json() == {
        "data": {"sector": None},
        "extensions": {"cypherRoundTrips": 1},
    }


def test_queries_over_get_take_variables_as_json(client: TestClient) -> None:
    response = client.get(
        "/graphql",
        params={
            "query": "query($n: Int!) { sectorsConnection(first: $n) { nodes { id } } }",
            "variables": json.dumps({"n": 2}),
        },
        headers={"Accept": NEW},
    )
    assert response.status_code == 200
    assert len(response.json()["data"]["sectorsConnection"]["nodes"]) <= 2


def test_bodies_are_utf8_json_with_text_as_written(client: TestClient) -> None:
    query = "query($n: Int!) { sectorsConnection(first: $n) { totalCount } }"
    response = client.post("/graphql", json={"query": query, "variables": {"n": "zwölf"}})
    # The refused value comes back in the message, in UTF-8 rather than \\u escapes.
    assert "zwölf".encode() in response.content
    assert "zwölf" in response.json()["errors"][0]["message"]
