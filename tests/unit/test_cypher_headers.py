"""Every Cypher file says in its header whether it may change the partnership graph, and that is
what decides whether a write makes the recipient index out of date."""

from __future__ import annotations

import re

from graph_api.store import statements
from graph_api.store.database import touches_graph

WRITE_CLAUSE = re.compile(r"\b(CREATE|MERGE|SET|DELETE|REMOVE)\b", re.IGNORECASE)


def _body(name: str) -> str:
    text = (statements.CYPHER_DIR / f"{name}.cypher").read_text()
    return "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("//"))


def test_every_cypher_file_says_whether_it_changes_the_partnership_graph() -> None:
    names = statements.statement_names()
    assert len(names) > 100
    unsaid = [name for name in names if statements.header_says(name) is None]
    assert unsaid == [], (
        "each file's leading comment needs exactly one line "
        "'// Changes the partnership graph: yes' or '... no'"
    )


def test_a_statement_that_writes_nothing_says_it_changes_nothing() -> None:
    said_to_change = [
        name
        for name in statements.statement_names()
        if statements.header_says(name) and not WRITE_CLAUSE.search(_body(name))
    ]
    assert said_to_change == []


def test_whether_a_write_touches_the_graph_is_what_its_header_says() -> None:
    assert touches_graph("import/upsert_partners") is True
    assert touches_graph("edit/membership_set") is True
    assert touches_graph("audit/append") is False
    assert touches_graph("delivery/enqueue") is False
    assert touches_graph("import/upsert_products") is False
    for name in statements.statement_names():
        assert touches_graph(name) is statements.header_says(name), name
