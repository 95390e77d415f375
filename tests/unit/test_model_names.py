"""Labels and relationship types are named in the entity model (domain/entities.py) and nowhere
else in Python: the rest of graph_api/ takes them from `Label`, `RelType` and the model's records.
The `.cypher` files are Cypher and name them directly; the model declares every one they use."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from graph_api.domain.entities import LINKS, MODEL, Label, RelType

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "graph_api"
MODEL_FILE = PACKAGE / "domain" / "entities.py"
CYPHER = ROOT / "cypher"

LABELS = {str(label) for label in Label}
TYPES = {str(rel_type) for rel_type in RelType}
NAMES = LABELS | TYPES

# `:Name` as Cypher writes a label or a type: `(x:Partner)`, `-[:MEMBER_OF]->`, `x:Topic`, or an
# f-string's piece that begins with one (`{var}:Council THEN`). Prose puts a space after a colon.
_CYPHER_NAME = re.compile(r"(?:^|(?<=[\w(\[|}\)])):(\w+)")
# Several types in one pattern: `[:MEMBER_OF|IN_SECTOR]`.
_ALTERNATIVES = re.compile(r"\|(\w+)")


def _docstrings(tree: ast.AST) -> set[int]:
    found: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef | ast.AsyncFunctionDef):
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                found.add(id(body[0].value))
    return found


def _constants(node: ast.AST) -> Iterator[str]:
    for inner in ast.walk(node):
        if isinstance(inner, ast.Constant) and isinstance(inner.value, str):
            yield inner.value


def _walk_scope(scope: ast.AST) -> Iterator[ast.AST]:
    """The nodes of a module or function, not descending into the functions a module defines
    (a function's closures are part of it)."""
    pending = list(ast.iter_child_nodes(scope))
    while pending:
        node = pending.pop()
        yield node
        if isinstance(scope, ast.Module) and isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        pending.extend(ast.iter_child_nodes(node))


def _bindings(scope: ast.AST) -> dict[str, list[ast.expr]]:
    """What each name is bound to in a scope (assignments and loops, unpacking included)."""
    bound: dict[str, list[ast.expr]] = {}

    def bind(target: ast.AST, value: ast.expr) -> None:
        for name in ast.walk(target):
            if isinstance(name, ast.Name):
                bound.setdefault(name.id, []).append(value)

    for node in _walk_scope(scope):
        if isinstance(node, ast.Assign):
            for target in node.targets:
                bind(target, node.value)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            bind(node.target, node.value)
        elif isinstance(node, ast.For | ast.AsyncFor | ast.comprehension):
            bind(node.target, node.iter)
    return bound


def _label_constants(expr: ast.expr, scopes: list[dict[str, list[ast.expr]]], seen: set[str]) -> set[str]:
    """The labels written as literals that an expression may evaluate to, following names,
    conditionals and literal containers; a value read from elsewhere (`ENTITIES[x].label`, a
    call) is not a literal."""
    if isinstance(expr, ast.Constant):
        return {expr.value} & LABELS if isinstance(expr.value, str) else set()
    if isinstance(expr, ast.Name):
        if expr.id in seen:
            return set()
        seen.add(expr.id)
        values = [value for scope in scopes for value in scope.get(expr.id, [])]
        return set().union(*(_label_constants(value, scopes, seen) for value in values))
    parts: list[ast.expr] = []
    if isinstance(expr, ast.IfExp):
        parts = [expr.body, expr.orelse]
    elif isinstance(expr, ast.BoolOp):
        parts = expr.values
    elif isinstance(expr, ast.Tuple | ast.List | ast.Set):
        parts = expr.elts
    elif isinstance(expr, ast.Dict):
        parts = expr.values
    elif isinstance(expr, ast.Subscript | ast.Starred):
        parts = [expr.value]  # an element of a literal container
    return set().union(*(_label_constants(part, scopes, seen) for part in parts))


def literals_in(source: str) -> list[tuple[int, str]]:
    """Where a Python module names a label or relationship type of the model as a literal in a
    Cypher position: (line, what)."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    module_scope = _bindings(tree)
    found: list[tuple[int, str]] = []

    # Cypher text: `(x:Partner)`, `[:MEMBER_OF]`; and a relationship type on its own (it means
    # nothing else).
    for node in ast.walk(tree):
        if not isinstance(node, ast.Constant) or not isinstance(node.value, str) or id(node) in docstrings:
            continue
        text = node.value
        named = set(_CYPHER_NAME.findall(text))
        if "[" in text or text.startswith("|"):
            named |= set(_ALTERNATIVES.findall(text))
        if text in TYPES:
            named.add(text)
        found.extend((node.lineno, f"{name} in {text!r}") for name in sorted(named & NAMES))

    # A label given to a Cypher slot: a `/*LABEL*/` fragment of a composed statement
    # (`composed(..., LABEL="Partner")`), or a `:{label}` in an f-string, directly or through a name.
    functions = [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]
    scopes_of: dict[int, list[dict[str, list[ast.expr]]]] = {}
    for function in functions:
        scope = _bindings(function)
        for inner in ast.walk(function):
            scopes_of.setdefault(id(inner), [scope, module_scope])
    for node in ast.walk(tree):
        scopes = scopes_of.get(id(node), [module_scope])
        if isinstance(node, ast.Call):
            for keyword in node.keywords:
                if keyword.arg and keyword.arg.isupper():
                    for label in sorted(_label_constants(keyword.value, scopes, set())):
                        found.append((node.lineno, f"{label} given to the slot {keyword.arg}"))
        if isinstance(node, ast.JoinedStr):
            for before, value in zip(node.values, node.values[1:], strict=False):
                if (
                    isinstance(before, ast.Constant)
                    and isinstance(before.value, str)
                    and before.value.endswith(":")
                    and isinstance(value, ast.FormattedValue)
                ):
                    for label in sorted(_label_constants(value.value, scopes, set())):
                        found.append((node.lineno, f"{label} given to a label slot"))
    return found


def _python_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if p != MODEL_FILE)


def test_python_outside_the_model_names_no_label_or_relationship_type() -> None:
    offences = [
        f"{path.relative_to(ROOT)}:{line}: {what}"
        for path in _python_files()
        for line, what in literals_in(path.read_text())
    ]
    assert offences == [], "\n".join(offences)


@pytest.mark.parametrize(
    "source",
    [
        'def f(x, var):\n    return f"MATCH ({x}:Contact)-[:WORKS_FOR]->({var})"\n',
        'def f(t):\n    return f"CASE WHEN {t}:Topic THEN 1 END"\n',
        'def f(t, name):\n    label = "Topic" if name == "topic" else "Sector"\n    return f"{t}:{label}"\n',
        'def f(x, name):\n    label, link = {"councils": ("Council", "MEMBER_OF")}[name]\n'
        '    return f"({x}:{label})"\n',
        'SEARCHABLE = ("Partner", "Council")\n'
        'def f(n):\n    return [f"WHEN {n}:{s} THEN" for s in SEARCHABLE]\n',
        'def f(tx):\n    return composed("edit/lock", LABEL="Partner")\n',
        'ALL = "MATCH (i:OpenSourceItem)"\n',
        'AUDIENCE_LINKS = frozenset({"IN_SECTOR", "MEMBER_OF"})\n',
        'def f(x):\n    return f"({x})-[:MEMBER_OF|IN_SECTOR]->()"\n',
        'RELATION = ("Partner", "(n)-[:SUBMITTED_BY]->(m:Partner)")\n',
    ],
)
def test_the_check_finds_a_label_or_type_written_into_cypher(source: str) -> None:
    assert literals_in(source), source


@pytest.mark.parametrize(
    "source",
    [
        '"""A Partner works for its Council: see MEMBER_OF in the model."""\n',
        'def f():\n    """Memberships: MEMBER_OF links."""\n    return "Reason: Partner is not eligible"\n',
        "def f(x):\n    return f\"({x}:{ENTITIES['Partner'].label})\"\n",
        'def f(record):\n    return record("Partner", "v", {})\n',
        'NAMES = {"partners": "Partner"}\n',
        'TLP = "TLP:CLEAR"\n',
        "def f(x, t):\n    return f\"{x}:{labelled(t, 'Partner')}\"\n",
    ],
)
def test_the_check_leaves_prose_and_type_names_alone(source: str) -> None:
    assert literals_in(source) == [], source


def _without_comments_and_strings(text: str) -> str:
    text = re.sub(r"//[^\n]*", "", text)
    return re.sub(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"", "''", text)


def _cypher_names(text: str) -> tuple[set[str], set[str]]:
    """The labels and relationship types a Cypher text names."""
    text = _without_comments_and_strings(text)
    names: set[str] = set()
    for group in re.findall(r"\[\s*\w*\s*:\s*([\w|:]+)", text):
        names |= set(re.split(r"[|:]+", group)) - {""}
    # Nodes `(x:A:B)` and predicates `x:A`, `r:TYPE` (a map's `{id: $id}` has a space).
    for group in re.findall(r"(?:\(\w*|\w):(\w+(?::\w+)*)", re.sub(r"\[[^\]]*\]", "[]", text)):
        names |= set(group.split(":"))
    # Labels are written in CamelCase, relationship types in UPPER_CASE.
    return {n for n in names if not n.isupper()}, {n for n in names if n.isupper()}


def test_the_model_declares_every_label_and_type_the_statements_use() -> None:
    labels: set[str] = set()
    types: set[str] = set()
    for path in sorted(CYPHER.rglob("*.cypher")):
        found_labels, found_types = _cypher_names(path.read_text())
        labels |= found_labels
        types |= found_types
    assert labels - LABELS == set(), "labels the model does not declare"
    assert types - TYPES == set(), "relationship types the model does not declare"
    assert LABELS - labels == set(), "labels no statement uses"
    assert TYPES - types == set(), "relationship types no statement uses"


def test_the_model_names_only_declared_labels_and_types() -> None:
    for entity in MODEL.values():
        assert entity.label in LABELS
        assert set(entity.extra_labels) <= LABELS
        for relation in (*entity.relations.values(), *entity.links.values()):
            labels, types = _cypher_names(relation.pattern)
            assert labels <= LABELS and types <= TYPES, relation.pattern
            assert relation.target in MODEL, relation
    for link in LINKS.values():
        assert link.start[1] in MODEL and all(end in MODEL for end in link.ends.values()), link
