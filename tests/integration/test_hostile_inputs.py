"""Hostile and malformed requests: each is refused with a 4xx or a coded GraphQL error, never a 500
or a stack trace, and the service answers normally afterwards."""

from __future__ import annotations

import csv
import io
import json
import logging
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import httpx2 as httpx
import pytest
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.settings import Settings
from tests.helpers import data, serving, token, unique_prefix

QUERY = "query($id: ID!) { partner(id: $id) { id name } }"
USER_ERROR_CODES = {
    "BAD_REQUEST",
    "BAD_USER_INPUT",
    "BODY_TOO_LARGE",
    "FORBIDDEN",
    "GRAPHQL_PARSE_FAILED",
    "GRAPHQL_VALIDATION_FAILED",
    "METHOD_NOT_ALLOWED",
    "NOT_FOUND",
    "UNAUTHENTICATED",
    "UNSUPPORTED_MEDIA_TYPE",
}


def _json(document: Any) -> bytes:
    return json.dumps(document).encode()


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


# name -> (body bytes, content type)
HOSTILE_BODIES: dict[str, tuple[bytes, str]] = {
    "5,000-deep JSON array": (_nested(5000).encode(), "application/json"),
    "5,000-deep JSON in variables": (
        b'{"query": "{ __typename }", "variables": {"v": ' + _nested(5000).encode() + b"}}",
        "application/json",
    ),
    "invalid UTF-8": (b'{"query": "{ __typename \xff\xfe\xfd }"}', "application/json"),
    "overlong UTF-8 encoding": (b'{"query": "\xc0\xbc"}', "application/json"),
    "a raw NUL byte in the body": (b'{"query": "{ partner(id: \\"a\x00b\\") { id } }"}', "application/json"),
    "a JSON array of numbers": (b"[1, 2, 3]", "application/json"),
    "a JSON array of operations (batching)": (
        _json([{"query": "{ __typename }"}, {"query": "{ __typename }"}]),
        "application/json",
    ),
    "a JSON string": (b'"{ __typename }"', "application/json"),
    "a JSON number": (b"42", "application/json"),
    "JSON null": (b"null", "application/json"),
    "an empty body": (b"", "application/json"),
    "truncated JSON": (b'{"query": "{ __typename }"', "application/json"),
    "query as an array": (_json({"query": ["{ __typename }"]}), "application/json"),
    "query as an object": (_json({"query": {"text": "{ __typename }"}}), "application/json"),
    "variables as a string": (_json({"query": QUERY, "variables": '{"id": "x"}'}), "application/json"),
    "variables as an array": (_json({"query": QUERY, "variables": [{"id": "x"}]}), "application/json"),
    "extensions as a string": (_json({"query": "{ __typename }", "extensions": "x"}), "application/json"),
    "operationName as a number": (_json({"query": "{ __typename }", "operationName": 7}), "application/json"),
    "an id of the wrong JSON type": (
        _json({"query": QUERY, "variables": {"id": {"$ne": 1}}}),
        "application/json",
    ),
    "no query at all": (_json({"variables": {}}), "application/json"),
    "a form body": (b"query=%7B__typename%7D", "application/x-www-form-urlencoded"),
    "XML": (b"<query>{ __typename }</query>", "application/xml"),
    "10,000 aliases": (
        _json({"query": "{ " + " ".join(f"a{i}: __typename" for i in range(10_000)) + " }"}),
        "application/json",
    ),
    "5,000 fragments": (
        _json(
            {
                "query": "{ ...F0 } "
                + " ".join(f"fragment F{i} on Query {{ ...F{i + 1} }}" for i in range(4999))
                + " fragment F4999 on Query { __typename }"
            }
        ),
        "application/json",
    ),
    "unknown directives": (
        _json({"query": "{ __typename @evil(x: 1) sectors @include(if: true) @nope { id } }"}),
        "application/json",
    ),
    "a deep introspection query": (
        _json({"query": "{ __schema { types { " + "fields { type { " * 20 + "name" + " } }" * 20 + " } } }"}),
        "application/json",
    ),
    "an operation text of 60 MB": (
        _json({"query": "{ __typename }" + " " * (60 * 1024 * 1024)}),
        "application/json",
    ),
    "a 60 MB comment": (
        _json({"query": "#" + "x" * (60 * 1024 * 1024) + "\n{ __typename }"}),
        "application/json",
    ),
    "a mutation hidden in GET-style JSON": (
        _json(
            {"query": 'mutation { disseminate(productId: "x") { newlyDelivered } }', "operationName": "nope"}
        ),
        "application/json",
    ),
}


def assert_refused_cleanly(response: Any) -> list[dict[str, Any]]:
    """A 4xx, or a 200 whose errors all carry a user-facing code; JSON; no traceback."""
    assert response.status_code < 500, response.text[:500]
    assert "Traceback" not in response.text and 'File "' not in response.text
    body = response.json()
    errors: list[dict[str, Any]] = body.get("errors") or []
    assert errors, f"accepted without an error: {response.text[:300]}"
    for error in errors:
        assert error["message"], error
        assert error.get("extensions", {}).get("code") in USER_ERROR_CODES, error
    return errors


def assert_still_healthy(client: TestClient) -> None:
    assert client.get("/healthz").status_code == 200
    answer = client.post("/graphql", json={"query": "{ __typename }"})
    assert answer.status_code == 200 and answer.json()["data"] == {"__typename": "Query"}


@pytest.mark.parametrize("name", list(HOSTILE_BODIES))
def test_a_hostile_body_is_refused_with_a_coded_error(client: TestClient, name: str) -> None:
    body, content_type = HOSTILE_BODIES[name]
    response = client.post("/graphql", content=body, headers={"Content-Type": content_type})
    assert_refused_cleanly(response)
    assert_still_healthy(client)


def test_nul_bytes_in_ids_find_nothing_and_break_nothing(client: TestClient) -> None:
    for value in ("fc-\x00ca", "\x00", "x" * 10 + "\x00" * 100):
        response = client.post("/graphql", json={"query": QUERY, "variables": {"id": value}})
        assert response.status_code == 200, response.text
        assert response.json() == {"data": {"partner": None}, "extensions": response.json()["extensions"]}
        recipients = client.post(
            "/graphql",
            json={
                "query": "query($id: ID!) { recipients(productId: $id) { product { id } } }",
                "variables": {"id": value},
            },
        )
        assert [e["extensions"]["code"] for e in assert_refused_cleanly(recipients)] == ["NOT_FOUND"]
    assert_still_healthy(client)


def _chunks(total: int, size: int = 1 << 20) -> Iterator[bytes]:
    yield b'{"query": "{ __typename }", "variables": {"v": "'
    sent = 0
    while sent < total:
        yield b"x" * size
        sent += size
    yield b'"}}'


def test_a_chunked_body_over_the_limit_is_refused_while_it_streams(
    client: TestClient, settings: Settings
) -> None:
    # No Content-Length: only counting the bytes as they arrive can stop it.
    response = client.post(
        "/graphql",
        content=_chunks(settings.max_import_bytes + 1),
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert [e["extensions"]["code"] for e in assert_refused_cleanly(response)] == ["BODY_TOO_LARGE"]
    assert_still_healthy(client)


def test_hostile_get_requests_are_refused_with_a_coded_error(client: TestClient) -> None:
    for params in (
        {"query": "{ __typename", "variables": "{}"},
        {"query": "{ __typename }", "variables": "not json"},
        {"query": "{ __typename }", "variables": _nested(5000)},
        {"query": 'mutation { disseminate(productId: "x") { newlyDelivered } }'},
    ):
        assert_refused_cleanly(client.get("/graphql", params=params))
    assert_still_healthy(client)


def test_every_refusal_names_its_request(client: TestClient) -> None:
    response = client.post("/graphql", content=b"[[[", headers={"Content-Type": "application/json"})
    assert response.status_code == 400 and len(response.headers["X-Request-Id"]) >= 8
    chosen = client.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "trace-42"})
    assert chosen.headers["X-Request-Id"] == "trace-42"
    odd = client.post("/graphql", json={"query": "{ __typename }"}, headers={"X-Request-Id": "a b\tc" * 30})
    assert odd.headers["X-Request-Id"] != "a b\tc" * 30


def test_user_errors_leave_no_traceback_and_no_error_line_in_the_log(
    client: TestClient, caplog: pytest.LogCaptureFixture
) -> None:
    partner = token("PARTNER", "no-such-partner")
    mistakes: list[tuple[dict[str, Any], dict[str, str] | None]] = [
        ({"query": '{ connection(from: "a", to: "b", maxHops: 11) { length } }'}, None),
        ({"query": '{ recipients(productId: "no-such-product") { product { id } } }'}, None),
        ({"query": '{ connection(from: "no-such", to: "also-none") { length } }'}, None),
        ({"query": "{ sectorz { id } }"}, None),
        ({"query": "{ sectors { id "}, None),
        ({"query": QUERY, "variables": {"id": {"not": "an id"}}}, None),
        ({"query": "{ auditLog { totalCount } }"}, {"Authorization": f"Bearer {partner}"}),
    ]
    caplog.set_level(logging.INFO)
    request_ids = []
    for payload, headers in mistakes:
        response = client.post("/graphql", json=payload, headers=headers)
        assert_refused_cleanly(response)
        request_ids.append(response.headers["X-Request-Id"])
    bad_json = client.post("/graphql", content=b"{", headers={"Content-Type": "application/json"})
    assert bad_json.status_code == 400
    records = [r for r in caplog.records if r.name.startswith(("isegraph", "strawberry"))]
    assert records, "the refusals were not logged at all"
    for record in caplog.records:
        assert record.levelno < logging.ERROR, record.getMessage()
        assert record.exc_info is None and "Traceback" not in record.getMessage(), record.getMessage()
    logged = "\n".join(r.getMessage() for r in records)
    for request_id in request_ids:
        assert f"request {request_id} refused:" in logged, (request_id, logged)
    for code in ("BAD_USER_INPUT", "NOT_FOUND", "GRAPHQL_VALIDATION_FAILED", "GRAPHQL_PARSE_FAILED"):
        assert code in logged


# A name a spreadsheet would run as a formula, one for each character that starts one (a carriage
# return is refused in a name when it enters; the renderer's own test covers it).
FORMULAS = ['=HYPERLINK("http://evil.example","x")', "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(A1:A9)", "\t=1+1"]


def test_names_that_start_a_formula_are_quoted_in_the_downloaded_csv(client: TestClient) -> None:
    prefix = unique_prefix("formula")
    partners = [
        {"id": f"{prefix}p{i}", "name": formula, "kind": "STATE", "regions": []}
        for i, formula in enumerate(FORMULAS)
    ]
    contacts = [
        {
            "id": f"{prefix}c{i}",
            "partner": f"{prefix}p{i}",
            "name": formula,
            "email": f"c{i}@formula.example.org",
            "channels": ["EMAIL"],
        }
        for i, formula in enumerate(FORMULAS)
    ]
    product = {
        "id": f"{prefix}prod",
        "title": "Formulas",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "LOW",
        "tlp": "CLEAR",
        "addressedTo": [p["id"] for p in partners],
        # A region of its own: no fusion center elsewhere is a candidate.
        "regions": [f"{prefix}island"],
        "publishedAt": "2026-11-20T08:00:00Z",
    }
    imported = data(
        client,
        "mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path code } } }",
        d={
            "regions": [{"id": f"{prefix}island", "name": "Island", "kind": "OTHER"}],
            "partners": partners,
            "contacts": contacts,
            "products": [product],
        },
    )["importNetwork"]
    assert imported == {"ok": True, "errors": []}

    response = client.get(
        f"/recipients/{product['id']}.csv", headers={"Authorization": f"Bearer {token('ANALYST')}"}
    )
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert sorted((row["partner"], row["contact"]) for row in rows) == sorted(
        ("'" + f, "'" + f) for f in FORMULAS
    )
    assert all(row["partner_id"].startswith(prefix) for row in rows)


# -- text fields: control characters are refused where text enters -----------------------------

IMPORT = """mutation($d: JSON!) { importNetwork(document: $d) { ok errors { path code message } } }"""
SUBMIT_REPORT = """mutation($input: SubmitReportInput!) { submitReport(input: $input) {
  report { id } userErrors { field code message } } }"""
CREATE_PARTNER = """mutation($input: CreatePartnerInput!) { createPartner(input: $input) {
  partner { id } userErrors { field code message } } }"""
CREATE_CONTACT = """mutation($input: CreateContactInput!) { createContact(input: $input) {
  contact { id } userErrors { field code message } } }"""


def _import_problems(client: TestClient, document: dict[str, Any]) -> set[tuple[str, str]]:
    answer = client.post("/graphql", json={"query": IMPORT, "variables": {"d": document}}).json()
    report = answer["data"]["importNetwork"]
    return {(e["path"], e["code"]) for e in report["errors"]}


def test_control_characters_in_text_are_refused_with_the_fields_path_on_every_write_path(
    client: TestClient,
) -> None:
    prefix = unique_prefix("ctl")
    partner = {"id": f"{prefix}org", "name": "Harbor Utility", "kind": "LOCAL"}
    product = {
        "id": f"{prefix}p",
        "title": "Grid advisory",
        "kind": "ALERT",
        "level": "OPERATIONAL",
        "severity": "HIGH",
        "tlp": "GREEN",
        "publishedAt": "2026-11-25T10:00:00Z",
        "summary": "First line.\nSecond line.\r\n\tIndented third line.",
    }
    # Import (and so `isegraph taxii pull`, whose reports become an import): a title with a line
    # break, a name with an escape, an address ending in a line feed are each refused at their path.
    problems = _import_problems(
        client,
        {
            "partners": [{**partner, "name": "Harbor\x1b[2J Utility"}],
            "contacts": [
                {"id": f"{prefix}c1", "partner": f"{prefix}org", "name": "Ann", "email": "ann@example.org\n"},
                {
                    "id": f"{prefix}c2",
                    "partner": f"{prefix}org",
                    "name": "Bob",
                    "email": "bob..x@example.org",
                },
            ],
            "products": [{**product, "title": "Grid advisory\r\nBcc: everyone@example.org"}],
        },
    )
    assert problems == {
        ("$.partners[0].name", "CONTROL_CHARACTER"),
        ("$.contacts[0].email", "CONTROL_CHARACTER"),
        ("$.contacts[1].email", "BAD_EMAIL"),
        ("$.products[0].title", "CONTROL_CHARACTER"),
    }
    assert data(client, QUERY, id=f"{prefix}org")["partner"] is None, "a refused import writes nothing"
    # Line breaks and tabs are text in a summary; a NUL is not.
    assert _import_problems(client, {"partners": [partner], "products": [product]}) == set()
    assert _import_problems(client, {"products": [{**product, "summary": "a\x00b"}]}) == {
        ("$.products[0].summary", "CONTROL_CHARACTER")
    }

    # GraphQL edits.
    edit = data(client, CREATE_PARTNER, input={**partner, "id": f"{prefix}o2", "name": "Evil\nCorp"})
    assert edit["createPartner"]["partner"] is None
    assert [(e["field"], e["code"]) for e in edit["createPartner"]["userErrors"]] == [
        (["input", "name"], "CONTROL_CHARACTER")
    ]
    contact = {"id": f"{prefix}c3", "partner": f"{prefix}org", "name": "Cy", "email": "cy@example.org\r\n"}
    edit = data(client, CREATE_CONTACT, input=contact)["createContact"]
    assert edit["contact"] is None and edit["userErrors"][0]["field"] == ["input", "email"]

    # Reports, as a PARTNER submits them.
    as_partner = token("PARTNER", f"{prefix}org")
    submission = {"title": "Drone\r\nover the tank farm", "summary": "Seen at noon.", "kind": "INCIDENT"}
    answer = data(client, SUBMIT_REPORT, as_token=as_partner, input=submission)["submitReport"]
    assert answer["report"] is None
    assert [(e["field"], e["code"]) for e in answer["userErrors"]] == [
        (["input", "title"], "CONTROL_CHARACTER")
    ]
    assert (
        "line feed" in answer["userErrors"][0]["message"]
        or "carriage return" in answer["userErrors"][0]["message"]
    )
    answer = data(
        client,
        SUBMIT_REPORT,
        as_token=as_partner,
        input={**submission, "title": "Drone", "summary": "a\x07b"},
    )["submitReport"]
    assert [(e["field"], e["code"]) for e in answer["userErrors"]] == [
        (["input", "summary"], "CONTROL_CHARACTER")
    ]
    # A note recorded with a delivery done by hand.
    done = client.post(
        "/graphql",
        json={
            "query": "mutation($n: String) { "
            'completeManualDelivery(messageId: "msg-none", note: $n) { id } }',
            "variables": {"n": "called\x1b[2J"},
        },
    )
    [error] = assert_refused_cleanly(done)
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and "note" in error["message"]
    assert_still_healthy(client)


# -- DNS rebinding and proxies: what trusts "the request came from this machine" ----------------


def test_a_rebinding_request_with_a_foreign_host_gets_no_development_token_and_no_metrics(
    settings: Settings,
) -> None:
    """A web page whose name resolves to 127.0.0.1 reaches the service from loopback, but its
    requests name the page's host; a proxy on this machine adds X-Forwarded-For."""
    with serving(settings) as base:
        port = base.rsplit(":", 1)[1]

        def sign_in(host: str, **headers: str) -> httpx.Response:
            return httpx.post(
                f"{base}/console/dev/sign-in", json={"role": "ADMIN"}, headers={"Host": host, **headers}
            )

        def metrics(host: str, **headers: str) -> httpx.Response:
            return httpx.get(f"{base}/metrics", headers={"Host": host, **headers})

        for foreign in (f"rebind.example:{port}", "rebind.example", f"127.0.0.1.nip.io:{port}", ""):
            refused = sign_in(foreign)
            assert refused.status_code == 403 and "token" not in refused.json(), foreign
            assert "localhost" in refused.json()["error"]
            assert metrics(foreign).status_code == 403, foreign
        proxied = {"X-Forwarded-For": "203.0.113.7"}
        assert sign_in(f"127.0.0.1:{port}", **proxied).status_code == 403
        assert metrics(f"127.0.0.1:{port}", **proxied).status_code == 403
        for own in (f"127.0.0.1:{port}", f"localhost:{port}", "localhost"):
            minted = sign_in(own)
            assert minted.status_code == 200 and minted.json()["token"], own
            assert metrics(own).status_code == 200, own


def test_without_isegraph_env_set_there_is_no_development_sign_in(settings: Settings) -> None:
    unset = replace(settings, environment="development", environment_setting=None)
    with TestClient(create_app(unset)) as web:
        assert web.post("/console/dev/sign-in", json={"role": "ADMIN"}).status_code == 404
        assert "data-dev-sign-in" not in web.get("/console/").text
