"""The pipeline: operation → plan → one Cypher statement and its parameters → the answer.

`QueryCompiler.compile` plans a validated query operation (cached), prints it for this request's
variables and principal, and returns None for what it leaves to the resolvers (mutations,
introspection, the domain operations). `run` sends the statement in one round trip; the
statement returns the answer's `data` in its final shape, and only cursors are finished in
Python.
"""

from __future__ import annotations

import hashlib
import logging
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any, LiteralString, cast

from graphql import DocumentNode, FieldNode, GraphQLSchema, is_non_null_type
from graphql.execution.values import VariableValues, get_variable_values

from graph_api.compiler.context import CypherContext, Finish, map_of
from graph_api.compiler.plan import NotCompilable, Plan, Planner, directive_variables, operation_of
from graph_api.compiler.projection import Projector
from graph_api.compiler.references import Wanted, references
from graph_api.compiler.roots import Roots
from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.store.database import Database

log = logging.getLogger("isegraph.compiler")
PLAN_CACHE_SIZE = 1000
# A plan the compiler could not make is remembered too, so resolvers take it at once next time.
_UNCOMPILABLE = object()


@dataclass(frozen=True)
class Root:
    """A root field of the answer: how to finish it, and where an error in it goes."""

    response: str
    node: FieldNode
    finish: Finish
    nullable: bool


@dataclass(frozen=True)
class AnswerError:
    """A rule refused a field of the answer: the error, the field's node and its response path."""

    error: ServiceError
    node: FieldNode
    path: list[str | int]


@dataclass(frozen=True)
class Answer:
    data: dict[str, Any] | None
    errors: list[AnswerError]


@dataclass(frozen=True)
class Compiled:
    text: str
    params: dict[str, Any]
    roots: list[Root]
    # The whole answer, when it needs nothing from the graph (`{ __typename }`, a health probe).
    constant: dict[str, Any] | None = None

    def debug(self) -> str:
        """The statement with its parameters, for logs and tests."""
        return f"{self.text}\n// params: {self.params}"


class QueryCompiler:
    """Compiles the read operations of one schema; plans are kept in a bounded LRU keyed by
    (document hash, operation name, role, and the values of `@include`/`@skip` variables)."""

    def __init__(
        self, schema: GraphQLSchema, sdl: str | None = None, cache_size: int = PLAN_CACHE_SIZE
    ) -> None:
        self.schema = schema
        self.sdl = sdl
        self.cache_size = cache_size
        self._plans: OrderedDict[tuple[Any, ...], Any] = OrderedDict()

    def compile(
        self,
        document: DocumentNode,
        source: str | None,
        operation_name: str | None,
        raw_variables: dict[str, Any] | None,
        principal: Principal,
    ) -> Compiled | None:
        try:
            operation = operation_of(document, operation_name)
        except NotCompilable:
            return None
        coerced = get_variable_values(self.schema, operation.variable_definitions or [], raw_variables or {})
        if isinstance(coerced, list):
            return None  # the resolvers report bad variables as the spec says
        plan = self._plan(document, source, operation_name, principal, coerced)
        if plan is None:
            return None
        try:
            return translate(plan, principal, coerced, self.sdl)
        except NotCompilable as exc:
            log.debug("not compiled: %s", exc)
            return None

    def _plan(
        self,
        document: DocumentNode,
        source: str | None,
        operation_name: str | None,
        principal: Principal,
        variables: VariableValues,
    ) -> Plan | None:
        operation = operation_of(document, operation_name)
        switches = tuple(
            sorted((n, bool(variables.coerced.get(n))) for n in directive_variables(operation, document))
        )
        digest = hashlib.sha256((source or repr(document.to_dict())).encode()).hexdigest()
        key = (digest, operation_name, principal.role, switches)
        cached = self._plans.get(key)
        if cached is not None:
            self._plans.move_to_end(key)
            return None if cached is _UNCOMPILABLE else cast(Plan, cached)
        try:
            plan: Any = Planner(self.schema, document, variables).plan(operation)
        except NotCompilable as exc:
            log.debug("not compiled: %s", exc)
            plan = _UNCOMPILABLE
        self._plans[key] = plan
        if len(self._plans) > self.cache_size:
            self._plans.popitem(last=False)
        return None if plan is _UNCOMPILABLE else cast(Plan, plan)

    @property
    def cached_plans(self) -> int:
        return len(self._plans)


def translate(
    plan: Plan, principal: Principal, variables: VariableValues, sdl: str | None = None
) -> Compiled:
    if all(f.name == "__typename" for f in plan.roots.values()):
        return Compiled("", {}, [], constant={f.response: "Query" for f in plan.roots.values()})
    ctx = CypherContext(principal, variables, sdl)
    printer = Roots(Projector(ctx))
    printed = [(f, printer.field(f)) for f in plan.roots.values()]
    data = map_of([(f.response, p) for f, p in printed])
    roots = [Root(f.response, f.node, p.finish, not is_non_null_type(f.definition.type)) for f, p in printed]
    # The access rules' preludes bind what they know of the user before the answer is built.
    preludes = "".join(f"{p}\n" for p in ctx.preludes)
    return Compiled(f"{preludes}RETURN {data.text} AS data", ctx.params, roots)


async def run(db: Database, compiled: Compiled) -> Answer:
    """The answer in one round trip. An error in a root field nulls it, and the whole answer
    when the field may not be null, as GraphQL's null propagation says."""
    if compiled.constant is not None:
        return Answer(dict(compiled.constant), [])
    # The text is printed from the entity model's allow-lists only; every value is a parameter.
    text = cast(LiteralString, compiled.text)  # type: ignore[redundant-cast]
    try:
        rows = await db.read_text(text, **compiled.params)
    except ServiceError as exc:
        first = compiled.roots[0]
        return Answer(None, [AnswerError(exc, first.node, [first.response])])
    data: dict[str, Any] = rows[0]["data"]
    errors: list[AnswerError] = []
    nulled = False
    for root in compiled.roots:
        if root.finish is None:
            continue
        try:
            data[root.response] = root.finish(data[root.response])
        except ServiceError as exc:
            errors.append(AnswerError(exc, root.node, [root.response]))
            data[root.response] = None
            nulled = nulled or not root.nullable
    return Answer(None if nulled else data, errors)


async def project(
    db: Database, principal: Principal, variables: VariableValues, wanted: list[Wanted]
) -> list[Any]:
    """The records `wanted` names, each with its selection (the fields selected of its type, as
    planned), in one round trip: the same projection and access rules as the root reads, in the
    order given, null for one that is gone or hidden."""
    if not wanted:
        return []
    ctx = CypherContext(principal, variables)
    roots = Roots(Projector(ctx))
    printed = references(roots.projector, roots.guard, wanted)
    preludes = "".join(f"{p}\n" for p in ctx.preludes)
    # Printed from the entity model's allow-lists only; every value is a parameter.
    text = cast(LiteralString, f"{preludes}RETURN {printed.text} AS data")  # type: ignore[redundant-cast]
    rows = await db.read_text(text, **ctx.params)
    found: list[Any] = rows[0]["data"]
    return found if printed.finish is None else list(printed.finish(found))
