"""Compiled reads: a query of the directory and products skips graphql-core's execution.

The extension asks the query compiler for the operation; when it compiles, the answer comes from
one Cypher statement and is set as the execution result before graphql-core would run a single
resolver. Recipient lists (`recipients`, `previewRecipients`) are resolved by their rules and
shaped from the operation's plan in one pass (`compiler/recipient_lists.py`). Anything else
(mutations, introspection, the other domain operations) runs on the resolvers; the root reads
beside the domain operations of a query are still answered by the compiler, in one statement,
before graphql-core runs the others (`ProjectedExecutionContext` takes their values as they are).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema

from graph_api.compiler import Answer, Compiled, QueryCompiler, run
from graph_api.compiler.recipient_lists import RecipientLists
from graph_api.errors import ServiceError

_compilers: dict[int, QueryCompiler] = {}
_recipient_lists: dict[int, RecipientLists] = {}


def compiler_for(schema: Any) -> QueryCompiler:
    """One compiler, and so one plan cache, per schema; the federation SDL is a constant."""
    key = id(schema)
    if key not in _compilers:
        _compilers[key] = QueryCompiler(schema._schema, sdl=print_schema(schema))
    return _compilers[key]


def recipient_lists_for(schema: Any) -> RecipientLists:
    key = id(schema)
    if key not in _recipient_lists:
        _recipient_lists[key] = RecipientLists(schema._schema)
    return _recipient_lists[key]


class CompiledReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        ec = self.execution_context
        context = ec.context
        if context is not None and hasattr(context, "answered_roots"):
            context.answered_roots = {}  # a WebSocket's context outlives one operation
        if ec.graphql_document is not None and context is not None and not ec.result:
            ec.result = await self._answer(ec, context)
        yield

    async def _answer(self, ec: Any, context: Any) -> ExecutionResult | None:
        lists = recipient_lists_for(ec.schema)
        prepared = lists.prepare(ec.graphql_document, ec.operation_name, ec.variables, context.principal)
        if prepared is not None:
            try:
                return _result(await lists.answer(context.db, context.principal, prepared))
            except Exception as exc:
                # A fault of ours: reported, masked and logged as a resolver's would be.
                root = next(iter(prepared.roots.values()))
                error = GraphQLError(str(exc), nodes=[root.node], path=[root.response], original_error=exc)
                return ExecutionResult(data=None, errors=[error])
        compiler = compiler_for(ec.schema)
        args = (ec.graphql_document, ec.query, ec.operation_name, ec.variables, context.principal)
        try:
            compiled = compiler.compile(*args)
            if compiled is None:
                await _answer_roots(context, compiler.compile(*args, partial=True))
                return None
        except ServiceError:
            # Bad arguments: the resolvers report them where they are, with the spec's paths.
            return None
        return _result(await run(context.db, compiled))


async def _answer_roots(context: Any, compiled: Compiled | None) -> None:
    """The root reads of the operation, answered now; graphql-core runs the rest. Any that a rule
    refused leaves them all to the resolvers, which report the error where it is."""
    if compiled is None:
        return
    answer = await run(context.db, compiled)
    if answer.data is not None and not answer.errors:
        context.answered_roots = answer.data


def _result(answer: Answer) -> ExecutionResult:
    errors = [
        GraphQLError(str(e.error), nodes=[e.node], path=e.path, original_error=e.error) for e in answer.errors
    ]
    return ExecutionResult(data=answer.data, errors=errors or None)
