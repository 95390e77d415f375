"""Automatic persisted queries on the real service, as Apollo's client uses them."""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest
from starlette.testclient import TestClient

from tests.helpers import data, serve, token

NEW = "application/graphql-response+json"
OLD = "application/json"


def fresh_document() -> str:
    # A comment makes the text, and so its hash, one this service has never seen.
    return f"""# {uuid.uuid4().hex}
    query Partners($first: Int!) {{ partners(first: $first) {{ totalCount nodes {{ id name }} }} }}"""


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def persisted(sha: str) -> dict[str, Any]:
    return {"persistedQuery": {"version": 1, "sha256Hash": sha}}


def post(client: TestClient, body: dict[str, Any], accept: str) -> tuple[int, dict[str, Any]]:
    response = client.post("/graphql", json=body, headers={"Accept": accept})
    return response.status_code, response.json()


def get(client: TestClient, params: dict[str, Any], accept: str) -> tuple[int, dict[str, Any]]:
    encoded = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    response = client.get("/graphql", params=encoded, headers={"Accept": accept})
    return response.status_code, response.json()


@pytest.mark.parametrize(("accept", "not_found_status"), [(OLD, 200), (NEW, 404)])
def test_a_hash_alone_runs_once_the_document_is_registered(
    client: TestClient, seeded: None, accept: str, not_found_status: int
) -> None:
    document = fresh_document()
    sha, variables = sha256(document), {"first": 3}
    expected = data(client, document, first=3)

    status, unknown = post(client, {"extensions": persisted(sha), "variables": variables}, accept)
    assert status == not_found_status
    assert unknown["errors"] == [
        {"message": "PersistedQueryNotFound", "extensions": {"code": "PERSISTED_QUERY_NOT_FOUND"}}
    ]

    status, registered = post(
        client, {"query": document, "extensions": persisted(sha), "variables": variables}, accept
    )
    assert status == 200 and registered["data"] == expected

    status, by_hash = post(client, {"extensions": persisted(sha), "variables": variables}, accept)
    assert status == 200 and "errors" not in by_hash and by_hash["data"] == expected
    assert expected["partners"]["totalCount"] > 3 and len(expected["partners"]["nodes"]) == 3


def test_a_registered_hash_answers_over_get_too(client: TestClient, seeded: None) -> None:
    document = fresh_document()
    sha = sha256(document)
    params = {"extensions": persisted(sha), "variables": {"first": 2}, "operationName": "Partners"}
    status, unknown = get(client, params, NEW)
    assert status == 404 and unknown["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"

    status, registered = get(client, {**params, "query": document}, NEW)
    assert status == 200 and len(registered["data"]["partners"]["nodes"]) == 2

    status, by_hash = get(client, params, NEW)
    assert status == 200 and by_hash["data"] == registered["data"]


@pytest.mark.parametrize(("accept", "status"), [(OLD, 200), (NEW, 400)])
def test_a_document_that_does_not_match_its_hash_does_not_run(
    client: TestClient, accept: str, status: int
) -> None:
    document = fresh_document()
    wrong = sha256(document + " ")
    answer_status, refused = post(
        client, {"query": document, "extensions": persisted(wrong), "variables": {"first": 1}}, accept
    )
    assert answer_status == status and refused.get("data") is None
    assert refused["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_HASH_MISMATCH"
    assert "does not match" in refused["errors"][0]["message"]
    # And it was not stored under the hash it claimed.
    _, lookup = post(client, {"extensions": persisted(wrong), "variables": {"first": 1}}, accept)
    assert lookup["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"


def test_a_persisted_mutation_is_not_run_over_get(client: TestClient) -> None:
    mutation = f"""# {uuid.uuid4().hex}
    mutation {{ importNetwork(document: {{}}, dryRun: true) {{ ok }} }}"""
    sha = sha256(mutation)
    status, registered = post(client, {"query": mutation, "extensions": persisted(sha)}, NEW)
    assert status == 200 and registered["data"]["importNetwork"]["ok"] is True
    status, refused = get(client, {"extensions": persisted(sha)}, NEW)
    assert status == 405 and refused["errors"][0]["extensions"]["code"] == "METHOD_NOT_ALLOWED"


def test_the_docs_example_runs_as_written(tmp_path: Path, seeded: None) -> None:
    page = (Path(__file__).resolve().parents[2] / "docs" / "graphql" / "http.md").read_text()
    section = page.split("## Automatic persisted queries", 1)[1]
    script = re.search(r"```sh\n(.*?)```", section, re.S)
    assert script is not None
    with serve(tmp_path / "serve.log") as served:
        result = subprocess.run(
            ["bash", "-euo", "pipefail", "-c", script.group(1)],
            capture_output=True,
            text=True,
            timeout=60,
            env={**os.environ, "URL": served.url, "TOKEN": token("ANALYST")},
            check=False,
        )
    assert result.returncode == 0, result.stderr
    unknown, registered, by_post, by_get = (json.loads(line) for line in result.stdout.splitlines())
    assert unknown["errors"][0]["message"] == "PersistedQueryNotFound"
    assert {"id": "energy", "name": "Energy"} in registered["data"]["sectors"]
    assert by_post["data"] == by_get["data"] == registered["data"]
