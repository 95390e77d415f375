"""Compiled reads: a query of the directory and products skips graphql-core's execution.

The extension asks the query compiler for the operation; when it compiles, the answer comes from
one Cypher statement and is set as the execution result before graphql-core would run a single
resolver. Anything else (mutations, introspection, the domain operations) runs on the resolvers.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import Any

from graphql import ExecutionResult, GraphQLError
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema

from graph_api.compiler import QueryCompiler, run
from graph_api.errors import ServiceError

_compilers: dict[int, QueryCompiler] = {}


def compiler_for(schema: Any) -> QueryCompiler:
    """One compiler, and so one plan cache, per schema; the federation SDL is a constant."""
    key = id(schema)
    if key not in _compilers:
        _compilers[key] = QueryCompiler(schema._schema, sdl=print_schema(schema))
    return _compilers[key]


class CompiledReads(SchemaExtension):
    async def on_execute(self) -> AsyncIterator[None]:
        ec = self.execution_context
        context = ec.context
        if ec.graphql_document is not None and context is not None and not ec.result:
            ec.result = await self._answer(ec, context)
        yield

    async def _answer(self, ec: Any, context: Any) -> ExecutionResult | None:
        try:
            compiled = compiler_for(ec.schema).compile(
                ec.graphql_document, ec.query, ec.operation_name, ec.variables, context.principal
            )
        except ServiceError:
            # Bad arguments: the resolvers report them where they are, with the spec's paths.
            return None
        if compiled is None:
            return None
        answer = await run(context.db, compiled)
        errors = [
            GraphQLError(str(e.error), nodes=[e.node], path=e.path, original_error=e.error)
            for e in answer.errors
        ]
        return ExecutionResult(data=answer.data, errors=errors or None)
