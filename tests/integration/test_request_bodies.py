"""Request bodies by operation kind: only an import may be large, a larger body of any other
operation is refused from its operation's text before its variables are decoded, and a large
import is decoded and checked without holding up the requests of others."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx2 as httpx
from starlette.testclient import TestClient

from graph_api.settings import Settings
from seed.synthetic import generate
from tests.helpers import serve, token

SEARCH = "query($t: String!) { search(text: $t) { totalCount } }"
IMPORT = "mutation($d: JSON!) { importNetwork(document: $d, dryRun: true) { ok dryRun } }"
JSON_HEADERS = {"Content-Type": "application/json"}


def _body(*members: tuple[str, Any]) -> bytes:
    """A request body whose members come in the given order."""
    return ("{" + ",".join(f"{json.dumps(k)}:{json.dumps(v)}" for k, v in members) + "}").encode()


def _refused_for_size(response: Any, settings: Settings) -> str:
    assert response.status_code == 413, response.text[:300]
    error = response.json()["errors"][0]
    assert error["extensions"]["code"] == "BODY_TOO_LARGE"
    message: str = error["message"]
    assert "ISEGRAPH_MAX_OPERATION_BYTES" in message and str(settings.limits.operation_body_bytes) in message
    return message


def test_a_huge_search_variable_is_refused_from_its_operation_alone(
    client: TestClient, settings: Settings
) -> None:
    huge = "grid " * (4 * 1024 * 1024 // 5)
    for order in (
        (("query", SEARCH), ("variables", {"t": huge})),
        (("variables", {"t": huge}), ("query", SEARCH)),
    ):
        _refused_for_size(client.post("/graphql", content=_body(*order), headers=JSON_HEADERS), settings)
    # Just under the limit, the operation runs and its own bounds speak.
    limit = settings.limits.operation_body_bytes
    under = _body(("query", SEARCH), ("variables", {"t": "g" * (limit - 200)}))
    assert len(under) <= limit
    answered = client.post("/graphql", content=under, headers=JSON_HEADERS).json()
    assert answered["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert "ISEGRAPH_MAX_SEARCH_TEXT_CHARS" in answered["errors"][0]["message"]


def test_an_import_may_send_a_body_over_the_operation_limit_with_its_query_first(
    client: TestClient, settings: Settings
) -> None:
    document = generate(3000, 7)
    first = _body(("query", IMPORT), ("variables", {"d": document}))
    assert len(first) > settings.limits.operation_body_bytes
    response = client.post("/graphql", content=first, headers=JSON_HEADERS)
    assert response.status_code == 200, response.text[:300]
    assert response.json()["data"]["importNetwork"] == {"ok": True, "dryRun": True}
    # Sent variables first, the operation is not known before them: refused, with the way to send it.
    last = _body(("variables", {"d": document}), ("query", IMPORT))
    message = _refused_for_size(client.post("/graphql", content=last, headers=JSON_HEADERS), settings)
    assert "`query` comes before its `variables`" in message
    # An import hidden among other fields does not make the body an import's.
    mixed = (
        "mutation($d: JSON!) { importNetwork(document: $d, dryRun: true) { ok } "
        'disseminate(productId: "x") { newlyDelivered } }'
    )
    _refused_for_size(
        client.post(
            "/graphql", content=_body(("query", mixed), ("variables", {"d": document})), headers=JSON_HEADERS
        ),
        settings,
    )


def test_a_typename_is_answered_while_a_large_import_is_decoded_and_checked(
    tmp_path: Path, neo4j_server: None
) -> None:
    body = _body(("query", IMPORT), ("variables", {"d": generate(8000, 3)}))
    headers = {"Authorization": f"Bearer {token('ADMIN')}", **JSON_HEADERS}
    events: list[str] = []
    lock = threading.Lock()
    body_sent = threading.Event()
    import_answer: list[Any] = []

    def note(event: str) -> None:
        with lock:
            events.append(event)

    def chunks() -> Iterator[bytes]:
        for start in range(0, len(body), 256 * 1024):
            yield body[start : start + 256 * 1024]
        note("import body sent")
        body_sent.set()

    with serve(tmp_path / "serve.log") as served:

        def send_import() -> None:
            with httpx.Client(timeout=300) as importer:
                import_answer.append(importer.post(served.url, content=chunks(), headers=headers))
            note("import answered")

        importing = threading.Thread(target=send_import)
        importing.start()
        assert body_sent.wait(120), "the import's body was never sent"
        with httpx.Client(headers=headers, timeout=60) as client:
            while importing.is_alive():
                response = client.post(served.url, json={"query": "{ __typename }"})
                assert response.json()["data"] == {"__typename": "Query"}
                note("typename answered")
        importing.join()
    assert import_answer[0].status_code == 200, import_answer[0].text[:300]
    assert import_answer[0].json()["data"]["importNetwork"]["ok"] is True
    # Every typename was sent after the whole import was on the wire; one answered before the
    # import's answer shows the service answering while it decoded and checked the import.
    assert (
        events.index("import body sent") < events.index("typename answered") < events.index("import answered")
    ), events
