"""Every example in the documentation runs as written: the pages of docs/ and the README.

Each page is tested on its own: it starts from the seed network plus what its front matter's
`setup` operations add, and its examples run in the order they are written, each once, whatever
order the tests run in (a test runs the examples above its own first when they have not run).
So `pytest tests/integration/test_docs.py -k graphql-delivery` runs one page alone.

A fenced block is an example when its language is `graphql` (posted to /graphql; a
`subscription` is opened over WebSocket) or `sh` (run by bash against a service the test starts).
Any other fenced block with a language is preceded by `<!-- not run: why -->`, as is an `sh`
block that cannot run here. See docs/development.md, "Examples in the docs".
"""

from __future__ import annotations

import hashlib
import os
import re
import shlex
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml
from starlette.testclient import TestClient

from graph_api.settings import Settings
from tests.helpers import gql, serving, token
from tests.query_counts import QueryCounts

ROOT = Path(__file__).resolve().parents[2]
FENCE = re.compile(r"^```([\w-]*)[^\n]*\n(.*?)^```[ \t]*$", re.S | re.M)
NOT_RUN = re.compile(r"<!--\s*not run:\s*(.+?)\s*-->\s*\Z", re.S)
EXPECT = re.compile(r"<!--\s*expect:\s*(.+?)\s*-->\s*\Z", re.S)
RUN_LANGUAGES = ("graphql", "sh")
# The address the examples are written for, and where the test's own service answers instead.
DOCUMENTED_BASES = ("http://127.0.0.1:8000", "http://localhost:8000")
# What the subscription examples hear about: a new product for fc-ca, disseminated.
NEWS = """mutation($id: ID!) {
  createProduct(input: { id: $id, title: "Docs news", kind: ALERT, level: OPERATIONAL,
    severity: CRITICAL, tlp: CLEAR, sectors: ["energy"], addressedTo: ["fc-ca"] }) { userErrors { message } }
}"""


@dataclass
class Example:
    page: str
    index: int
    language: str
    text: str
    # Why it is not run, for a block marked `<!-- not run: ... -->`.
    not_run: str | None = None
    # Text an `sh` example's output must hold (`<!-- expect: ... -->`): an error it shows on purpose.
    expect: str | None = None

    @property
    def kind(self) -> str:
        if self.language == "graphql" and self.text.lstrip().startswith("subscription"):
            return "subscription"
        return self.language

    @property
    def id(self) -> str:
        return f"{self.page}-{self.index}"


@dataclass
class Page:
    name: str
    path: Path
    setup: list[str]
    examples: list[Example]
    # Filled as the page runs: what each example answered, by index.
    results: dict[int, Any] = field(default_factory=dict)
    set_up: bool = False


def _page_name(path: Path) -> str:
    if path == ROOT / "README.md":
        return "readme"
    return str(path.relative_to(ROOT / "docs").with_suffix("")).replace("/", "-")


def _front_matter(text: str) -> tuple[dict[str, Any], str]:
    if not text.startswith("---\n"):
        return {}, text
    end = text.index("\n---\n", 4)
    meta = yaml.safe_load(text[4:end]) or {}
    assert isinstance(meta, dict)
    return meta, text[end + 5 :]


def read_page(path: Path) -> Page:
    meta, body = _front_matter(path.read_text())
    name = _page_name(path)
    examples = []
    for match in FENCE.finditer(body):
        language, text = match.group(1), match.group(2)
        before = body[: match.start()].rstrip()
        last_line = before.splitlines()[-1] if before else ""
        not_run = NOT_RUN.search(last_line)
        expect = EXPECT.search(last_line)
        examples.append(
            Example(
                name,
                len(examples),
                language,
                text,
                not_run.group(1) if not_run else None,
                expect.group(1) if expect else None,
            )
        )
    setup = meta.get("setup") or []
    assert isinstance(setup, list)
    return Page(name, path, [str(s) for s in setup], examples)


PAGES = {
    page.name: page
    for page in (read_page(p) for p in [ROOT / "README.md", *sorted((ROOT / "docs").rglob("*.md"))])
}
RUN = [e for page in PAGES.values() for e in page.examples if e.language in RUN_LANGUAGES and not e.not_run]
GRAPHQL = [e for e in RUN if e.kind == "graphql"]
SUBSCRIPTIONS = [e for e in RUN if e.kind == "subscription"]
SHELL = [e for e in RUN if e.kind == "sh"]
# Every GraphQL operation the docs show, once (the README repeats some of the pages'), in order.
EXAMPLES = list(dict.fromkeys(e.text for e in GRAPHQL))


def operation_key(document: str) -> str:
    """A stable, readable name for an operation: its start and a digest of the whole text."""
    return f"{' '.join(document.split())[:70]} #{hashlib.sha256(document.encode()).hexdigest()[:8]}"


@pytest.fixture(scope="module")
def query_counts() -> Iterator[QueryCounts]:
    counts = QueryCounts()
    yield counts
    counts.save()


@pytest.fixture(scope="module")
def service_url(settings: Settings, neo4j_server: None) -> Iterator[str]:
    """The service on a loopback port, for the `sh` examples' curl and the like."""
    with serving(settings) as url:
        yield url


@pytest.fixture(scope="module")
def shell_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the `sh` examples run: `./dev isegraph ...` there is the project's `isegraph`."""
    home = tmp_path_factory.mktemp("docs-sh")
    dev = home / "dev"
    dev.write_text(
        "#!/usr/bin/env bash\n"
        '[ "$1" = isegraph ] || { echo "only ./dev isegraph runs here" >&2; exit 2; }\n'
        f'shift; exec {shlex.quote(sys.executable)} -m graph_api "$@"\n'
    )
    dev.chmod(0o755)
    return home


class Runner:
    """Runs a page's examples in order, once each, keeping what each answered."""

    def __init__(self, request: pytest.FixtureRequest, client: TestClient, counts: QueryCounts) -> None:
        self.request = request
        self.client = client
        self.counts = counts

    def result(self, example: Example) -> Any:
        page = PAGES[example.page]
        if not page.set_up:
            for operation in page.setup:
                body = gql(self.client, operation)
                assert "errors" not in body, f"{page.name}'s setup failed: {body['errors']}"
                assert not list(_user_errors(body["data"])), f"{page.name}'s setup was refused: {body}"
            page.set_up = True
        for earlier in page.examples[: example.index + 1]:
            if earlier.index not in page.results and earlier in RUN:
                page.results[earlier.index] = self._run(earlier)
        return page.results[example.index]

    def _run(self, example: Example) -> Any:
        if example.kind == "graphql":
            return gql(self.client, example.text, as_token=_signed_in_as(example.text))
        if example.kind == "subscription":
            return _subscribe(self.client, example.text)
        return _shell(
            example, self.request.getfixturevalue("service_url"), self.request.getfixturevalue("shell_home")
        )


@pytest.fixture
def runner(
    request: pytest.FixtureRequest, client: TestClient, seeded: None, query_counts: QueryCounts
) -> Runner:
    return Runner(request, client, query_counts)


def test_the_docs_have_examples_on_many_pages() -> None:
    assert len(GRAPHQL) >= 60 and len(SUBSCRIPTIONS) >= 3 and len(SHELL) >= 6
    assert len({e.page for e in RUN}) >= 15


def test_every_example_is_run_or_says_why_not() -> None:
    """A fenced block in a language the tests do not run is marked, with a reason."""
    unmarked = [
        f"{e.id} ({e.language})"
        for page in PAGES.values()
        for e in page.examples
        if e.language and e.language not in RUN_LANGUAGES and not e.not_run
    ]
    assert not unmarked, f"examples neither run nor marked `<!-- not run: why -->`: {unmarked}"


@pytest.mark.parametrize("page", list(PAGES), ids=list(PAGES))
def test_every_example_of_a_page_has_its_own_key(page: str) -> None:
    documents = [e.text for e in PAGES[page].examples if e.kind == "graphql" and not e.not_run]
    assert len({operation_key(d) for d in documents}) == len(documents)


@pytest.mark.parametrize("example", GRAPHQL, ids=[e.id for e in GRAPHQL])
def test_each_graphql_example_runs(runner: Runner, example: Example) -> None:
    """Each example answers without errors, its edits are made, and it costs the recorded round
    trips."""
    body = runner.result(example)
    assert "errors" not in body, body["errors"]
    assert body["data"]
    refused = list(_user_errors(body["data"]))
    assert not refused, f"an edit in the example was refused: {refused}"
    runner.counts.check(operation_key(example.text), body["extensions"]["cypherRoundTrips"])


@pytest.mark.parametrize("example", SUBSCRIPTIONS, ids=[e.id for e in SUBSCRIPTIONS])
def test_each_subscription_example_runs(runner: Runner, example: Example) -> None:
    message = runner.result(example)
    assert message["type"] == "next" and "errors" not in message["payload"], message
    (result,) = message["payload"]["data"].values()
    assert result["sequence"] > 0


@pytest.mark.parametrize("example", SHELL, ids=[e.id for e in SHELL])
def test_each_shell_example_runs(runner: Runner, example: Example) -> None:
    """Exit status 0, and no GraphQL error in what it prints unless the page shows one on
    purpose (`<!-- expect: ... -->`, whose text must then be printed)."""
    completed = runner.result(example)
    assert completed.returncode == 0, f"exit {completed.returncode}\n{completed.stdout}\n{completed.stderr}"
    if example.expect:
        assert example.expect in completed.stdout, completed.stdout
        assert '"errors"' not in completed.stdout.strip().splitlines()[-1], "its last step must answer"
    else:
        assert '"errors"' not in completed.stdout, completed.stdout


PARTNER_PRODUCTS = "{ products(first: 20) { totalCount edges { node { id title sectors { name } } } } }"


def test_a_partner_reading_products_costs_the_recorded_round_trips(
    client: TestClient, seeded: None, query_counts: QueryCounts
) -> None:
    body = gql(client, PARTNER_PRODUCTS, as_token=token("PARTNER", "cloudforge"))
    assert "errors" not in body, body["errors"]
    assert body["data"]["products"]["edges"], "the seed partner sees some products"
    query_counts.check("PARTNER " + operation_key(PARTNER_PRODUCTS), body["extensions"]["cypherRoundTrips"])


def test_every_root_operation_has_an_example() -> None:
    from graph_api.api import schema

    graphql = schema._schema
    roots = (
        set(graphql.query_type.fields)
        | set(graphql.mutation_type.fields)  # type: ignore[union-attr]
        | set(graphql.subscription_type.fields)  # type: ignore[union-attr]
    )
    text = "\n".join(e.text for e in GRAPHQL + SUBSCRIPTIONS)
    missing = {name for name in roots if not re.search(rf"\b{name}\b\s*[({{}}]", text)}
    assert not missing, f"the docs have no example for: {sorted(missing)}"


def _signed_in_as(example: str) -> str | None:
    """An example that begins `# As a PARTNER user of <partner id>` runs with that user's token,
    holding the scopes the line names after `with scope` (`KIND:id`, separated by commas); any
    other runs as ADMIN."""
    found = re.match(r"\s*# As a PARTNER user of ([\w-]+)(?: with scopes? ([\w:, -]+))?", example)
    if not found:
        return None
    scopes = tuple(s.strip() for s in (found.group(2) or "").split(",") if s.strip())
    return token("PARTNER", found.group(1), scopes)


def _subscribe(client: TestClient, example: str) -> Any:
    """Over WebSocket, as GraphiQL sends it: the token in connection_init, then the example; a
    product disseminated meanwhile is what it must hear of. Returns the first `next` message."""
    admin = client.headers["Authorization"]
    with client.websocket_connect("/graphql", subprotocols=["graphql-transport-ws"]) as ws:
        ws.send_json({"type": "connection_init", "payload": {"Authorization": admin}})
        assert ws.receive_json()["type"] == "connection_ack"
        ws.send_json({"id": "1", "type": "subscribe", "payload": {"query": example}})
        product = f"docs-news-{uuid.uuid4().hex[:8]}"
        assert not list(_user_errors(gql(client, NEWS, id=product)["data"]))
        gql(client, "mutation($id: ID!) { disseminate(productId: $id) { newlyDelivered } }", id=product)
        message = ws.receive_json()
        while message["type"] == "ping":
            message = ws.receive_json()
        return message


def _shell(example: Example, service_url: str, home: Path) -> subprocess.CompletedProcess[str]:
    script = example.text
    for base in DOCUMENTED_BASES:
        script = script.replace(base, service_url)
    environment = {k: v for k, v in os.environ.items() if k not in ("TOKEN", "URL")}
    return subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=home,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _user_errors(value: object) -> Iterator[object]:
    """Every non-empty `userErrors` in an answer: an edit example must do what it says."""
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "userErrors" and item:
                yield item
            else:
                yield from _user_errors(item)
    elif isinstance(value, list):
        for item in value:
            yield from _user_errors(item)
