"""ISE Graph as an Apollo Federation v2 subgraph: composition, a gateway join, batched _entities."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from starlette.testclient import TestClient

from graph_api.http.app import create_app
from graph_api.settings import Settings
from tests.helpers import data, gql, token

NODE_DIR = Path(__file__).resolve().parent / "federation"
ENTITIES = """query($r: [_Any!]!) { _entities(representations: $r) {
  __typename ... on Partner { id name } ... on InformationProduct { id title } } }"""


@pytest.fixture(scope="module")
def node_packages() -> Path:
    """Apollo's composition and gateway packages, installed from npm by the test itself."""
    if shutil.which("npm") is None or shutil.which("node") is None:
        pytest.fail("Node.js and npm are needed for the federation check (apt-get install nodejs npm)")
    if not (NODE_DIR / "node_modules" / "@apollo" / "gateway").exists():
        subprocess.run(
            ["npm", "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=NODE_DIR,
            check=True,
            timeout=600,
        )
    return NODE_DIR


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _node(script: str, *args: str, env: dict[str, str] | None = None) -> dict[str, object]:
    result = subprocess.run(
        ["node", script, *args],
        cwd=NODE_DIR,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    answer: dict[str, object] = json.loads(result.stdout.strip().splitlines()[-1])
    return answer


def test_service_sdl_declares_the_entities_and_their_keys(client: TestClient) -> None:
    sdl = data(client, "{ _service { sdl } }")["_service"]["sdl"]
    for entity in ("Partner", "Council", "Sector", "Region", "InformationProduct"):
        assert f'type {entity} @key(fields: "id")' in sdl


def test_composition_succeeds_without_errors_or_hints(
    client: TestClient, node_packages: Path, tmp_path: Path
) -> None:
    sdl_file = tmp_path / "isegraph.graphql"
    sdl_file.write_text(data(client, "{ _service { sdl } }")["_service"]["sdl"])
    result = _node("compose.mjs", str(sdl_file))
    assert result == {"errors": [], "hints": []}, result


@pytest.fixture(scope="module")
def running_service(settings: Settings) -> Iterator[str]:
    """ISE Graph on a real socket, as a gateway reaches it."""
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(create_app(settings), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.1)
    assert server.started
    yield f"http://127.0.0.1:{port}/graphql"
    server.should_exit = True
    thread.join(timeout=10)


def test_a_gateway_query_joins_both_services(running_service: str, node_packages: Path, seeded: None) -> None:
    port = _free_port()
    incidents = subprocess.Popen(
        ["node", "incidents.mjs", str(port)], cwd=NODE_DIR, stdout=subprocess.PIPE, text=True
    )
    try:
        assert incidents.stdout is not None
        for _ in range(5):  # it may log a line or two before it says it is ready
            if incidents.stdout.readline().strip() == "ready":
                break
        else:
            pytest.fail("the incidents subgraph did not start")
        query = '{ partner(id: "fc-ca") { name memberships { council { id } } openIncidents { title } } }'
        answer = _node(
            "gateway.mjs",
            running_service,
            f"http://127.0.0.1:{port}/",
            query,
            env={"TOKEN": token("ANALYST")},
        )
    finally:
        incidents.terminate()
        incidents.wait(timeout=10)
    assert "errors" not in answer, answer
    partner = answer["data"]["partner"]  # type: ignore[index]
    assert partner["name"] == "California State Threat Assessment Center"
    assert partner["openIncidents"] == [{"title": "Substation intrusion"}, {"title": "Phishing wave"}]
    assert isinstance(partner["memberships"], list)


def test_entities_for_100_partners_cost_one_round_trip(client: TestClient, seeded: None) -> None:
    ids = [p["id"] for p in data(client, "{ partners(first: 100) { nodes { id } } }")["partners"]["nodes"]]
    body = gql(client, ENTITIES, r=[{"__typename": "Partner", "id": i} for i in ids])
    assert "errors" not in body, body["errors"]
    assert [e["id"] for e in body["data"]["_entities"]] == ids
    assert body["extensions"]["cypherRoundTrips"] == 1


def test_entities_obey_the_access_rules(client: TestClient, seeded: None) -> None:
    red = data(
        client,
        '{ products(first: 1, where: {tlp: RED, addressedTo_NONE: {id: "cloudforge"}}) { nodes { id } } }',
    )
    [hidden] = red["products"]["nodes"]
    clear = data(client, "{ products(first: 1, where: {tlp: CLEAR, pcii: false}) { nodes { id } } }")
    [shown] = clear["products"]["nodes"]
    reps = [{"__typename": "InformationProduct", "id": p["id"]} for p in (hidden, shown)]
    as_partner = data(client, ENTITIES, r=reps, as_token=token("PARTNER", "cloudforge"))["_entities"]
    assert as_partner[0] is None and as_partner[1]["id"] == shown["id"]
    as_analyst = data(client, ENTITIES, r=reps, as_token=token("ANALYST"))["_entities"]
    assert [e["id"] for e in as_analyst] == [hidden["id"], shown["id"]]
