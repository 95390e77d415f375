"""Bad input gets a clear GraphQL error with a code, and changes nothing."""

from __future__ import annotations

import pytest
from starlette.testclient import TestClient

from graph_api.store.database import Database
from tests.helpers import counts, gql

INJECTIONS = [
    "x' WITH true AS ignored MATCH (s) DETACH DELETE s; //",
    'x" WITH true AS ignored MATCH (s) DETACH DELETE s; //',
    "x}) MATCH (s) DETACH DELETE s //",
    "`) DETACH DELETE n //",
    "$productId",
]


def _code(body: dict[str, object]) -> str:
    errors = body["errors"]
    assert isinstance(errors, list) and errors
    code: str = errors[0]["extensions"]["code"]
    return code


def _no_internals(body: dict[str, object]) -> None:
    text = str(body)
    for leak in ("Traceback", "neo4j.exceptions", "Neo.ClientError", "CypherSyntaxError", 'File "'):
        assert leak not in text


def test_malformed_graphql_is_a_parse_error(client: TestClient) -> None:
    body = gql(client, "{ sectors { id ")
    assert _code(body) == "GRAPHQL_PARSE_FAILED"
    assert "Syntax Error" in body["errors"][0]["message"]


def test_an_unknown_field_is_a_validation_error(client: TestClient) -> None:
    body = gql(client, "{ sectors { id password } }")
    assert _code(body) == "GRAPHQL_VALIDATION_FAILED"
    assert "password" in body["errors"][0]["message"]


def test_a_wrong_enum_value_is_refused(client: TestClient) -> None:
    body = gql(client, "query($k: PartnerKind) { partners(where: {kind: $k}) { totalCount } }", k="PIRATE")
    assert _code(body) in ("BAD_USER_INPUT", "GRAPHQL_VALIDATION_FAILED")
    assert "PIRATE" in body["errors"][0]["message"]


@pytest.mark.parametrize(
    ("query", "code"),
    [
        ('{ recipients(productId: "no-such-product") { recipients { channels } } }', "NOT_FOUND"),
        ('{ canShare(productId: "no-such-product", from: "a", to: "b") { allowed } }', "NOT_FOUND"),
        ('{ connection(from: "no-such", to: "also-none") { length } }', "NOT_FOUND"),
        ('{ connection(from: "a", to: "b", maxHops: 11) { length } }', "BAD_USER_INPUT"),
        ('{ neighborhood(partner: "x", depth: 9) { id } }', "BAD_USER_INPUT"),
        ("{ partners(first: 100000) { totalCount } }", "BAD_USER_INPUT"),
        ('{ partners(after: "not-a-cursor") { totalCount } }', "BAD_USER_INPUT"),
        ('{ inbox(partnerId: "nobody") { totalCount } }', "NOT_FOUND"),
    ],
)
def test_user_errors_carry_a_stable_code(client: TestClient, query: str, code: str) -> None:
    body = gql(client, query)
    assert _code(body) == code
    assert body["errors"][0]["message"]
    _no_internals(body)


def test_an_invalid_draft_product_names_each_problem(client: TestClient) -> None:
    body = gql(
        client,
        """{ previewRecipients(product: {title: " ", kind: ALERT, level: STRATEGIC, severity: LOW,
             tlp: CLEAR, sectors: ["no-such-sector"], publishedAt: "yesterday"})
           { recipients { channels } } }""",
    )
    assert _code(body) == "BAD_USER_INPUT"
    message = body["errors"][0]["message"]
    assert "product.title" in message and "product.sectors[0]" in message and "product.publishedAt" in message


async def test_injection_payloads_in_every_string_argument_change_nothing(
    client: TestClient, db: Database
) -> None:
    before = await counts(db)
    for payload in INJECTIONS:
        operations = [
            ("query($v: ID!) { recipients(productId: $v) { excluded { reason } } }", "NOT_FOUND"),
            ("query($v: ID!) { canShare(productId: $v, from: $v, to: $v) { allowed } }", "NOT_FOUND"),
            ("query($v: ID!) { connection(from: $v, to: $v) { length } }", "NOT_FOUND"),
            ("query($v: ID!) { partner(id: $v) { id } }", None),
            (
                "query($v: String) { partners(where: {name_CONTAINS: $v, name_STARTS_WITH: $v}) "
                "{ totalCount } }",
                None,
            ),
            (
                "query($v: ID) { partners(where: {sectors_SOME: {id: $v}, OR: [{id: $v}]}) { totalCount } }",
                None,
            ),
            (
                "query($v: String) { products(where: {title_CONTAINS: $v, NOT: {title: $v}}) "
                "{ totalCount } }",
                None,
            ),
            ("query($v: String) { products(where: {publishedAt_GT: $v}) { totalCount } }", "BAD_USER_INPUT"),
            ("query($v: String!) { search(text: $v) { totalCount } }", None),
            ("query($v: String) { auditLog(operation: $v) { totalCount } }", None),
            ("mutation($v: ID!) { disseminate(productId: $v) { newlyDelivered } }", "NOT_FOUND"),
        ]
        for query, code in operations:
            body = gql(client, query, v=payload)
            _no_internals(body)
            if code is None:
                assert "errors" not in body, body
            else:
                assert _code(body) == code
        document = {"partners": [{"id": payload, "name": payload, "kind": "PRIVATE", "sectors": [payload]}]}
        body = gql(
            client,
            "mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path code } } }",
            d=document,
        )
        assert body["data"]["importNetwork"] == {
            "ok": False,
            "errors": [{"path": "$.partners[0].sectors[0]", "code": "UNKNOWN_REFERENCE"}],
        }
    assert await counts(db) == before


def test_an_oversized_body_is_refused_before_it_is_read(client: TestClient) -> None:
    from graph_api.settings import load_settings

    limit = load_settings().max_import_bytes
    response = client.post(
        "/graphql", content=b"x" * (limit + 1), headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "BODY_TOO_LARGE"
    assert client.get("/healthz").status_code == 200


def test_mutations_are_never_run_over_get(client: TestClient) -> None:
    response = client.get(
        "/graphql", params={"query": 'mutation { disseminate(productId: "prod-001") { newlyDelivered } }'}
    )
    assert response.status_code in (400, 405)


def test_too_deep_and_too_many_aliases_are_refused(client: TestClient) -> None:
    nested = "parent { " * 12 + "id" + " }" * 12
    deep = gql(client, '{ region(id: "ca") { ' + nested + " } }")
    assert "exceeds maximum operation depth" in deep["errors"][0]["message"]
    aliases = " ".join(f"a{i}: sectors {{ id }}" for i in range(40))
    many = gql(client, "{ " + aliases + " }")
    assert "aliases" in many["errors"][0]["message"]
    fragment = "fragment F on Query { " + " ".join(f"b{i}: topics {{ id }}" for i in range(40)) + " }"
    through_fragment = gql(client, "{ ...F } " + fragment)
    assert "aliases" in through_fragment["errors"][0]["message"]
    circular = gql(client, "{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }")
    assert circular["errors"]


async def test_import_over_graphql_reports_paths_and_dry_run_writes_nothing(
    client: TestClient, db: Database
) -> None:
    from tests.helpers import unique_prefix
    from tests.sample import sample

    document = sample(unique_prefix("gqlimport"))
    before = await counts(db)
    query = """mutation($d: JSON!, $dry: Boolean) { importNetwork(document: $d, dryRun: $dry) {
      ok dryRun errors { path code message } counts { collection created updated unchanged } } }"""
    dry = gql(client, query, d=document, dry=True)["data"]["importNetwork"]
    assert dry["ok"] and dry["dryRun"] and sum(c["created"] for c in dry["counts"]) == 17
    assert await counts(db) == before
    document["products"][0]["severity"] = "APOCALYPTIC"
    refused = gql(client, query, d=document, dry=False)["data"]["importNetwork"]
    assert refused["ok"] is False
    assert refused["errors"][0]["path"] == "$.products[0].severity"
    assert "APOCALYPTIC" in refused["errors"][0]["message"]
    assert await counts(db) == before


def test_batched_requests_are_refused(client: TestClient) -> None:
    response = client.post("/graphql", json=[{"query": "{ sectors { id } }"}, {"query": "{ topics { id } }"}])
    assert response.status_code == 400


def test_production_mode_hides_the_schema() -> None:
    from graph_api.api import build_schema

    production = build_schema(production=True)
    introspection = production.execute_sync("{ __schema { types { name } } }")
    assert introspection.errors and "introspection" in introspection.errors[0].message.lower()
    typo = production.execute_sync("{ sectorz { id } }")
    assert typo.errors and "Did you mean" not in typo.errors[0].message
    development = build_schema(production=False).execute_sync("{ sectorz { id } }")
    assert development.errors and "Did you mean" in development.errors[0].message
