"""Limits on what one operation may ask: depth, aliases and tokens of its text, and what it asks
of Neo4j.

Every `where` argument of the operation (literal or variable, in fragments too) and the text of
every `search` is measured against `RequestLimits` once the document is valid and before any
resolver or compiled statement runs. A planner's time grows with a statement's predicates and
Neo4j cannot stop a statement while it plans it, so a filter too large to plan quickly is
refused here, never sent. The measure is generic over the filter language (`AND`, `OR`, `NOT`,
field conditions, relation filters), so every entity's `where` and the recipient filters obey
the same bounds.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    Undefined,
    value_from_ast_untyped,
)
from strawberry.extensions import MaxAliasesLimiter, MaxTokensLimiter, QueryDepthLimiter, SchemaExtension

from graph_api.errors import InvalidInput
from graph_api.settings import RequestLimits

MAX_DEPTH = 10
MAX_ALIASES = 30
MAX_TOKENS = 5000


# Classes, not instances: strawberry makes a fresh one per request, so no state leaks between them.
class DepthLimit(QueryDepthLimiter):
    def __init__(self) -> None:
        super().__init__(max_depth=MAX_DEPTH)


class AliasLimit(MaxAliasesLimiter):
    def __init__(self) -> None:
        super().__init__(max_alias_count=MAX_ALIASES)


class TokenLimit(MaxTokensLimiter):
    def __init__(self) -> None:
        super().__init__(max_token_count=MAX_TOKENS)


_COMBINATORS = ("AND", "OR")


class LimitExceeded(InvalidInput):
    """A request over one of the `RequestLimits`; the message names the bound and its limit."""


def _refuse(path: str, what: str, setting: str, limit: int) -> LimitExceeded:
    return LimitExceeded(
        f"{path}: {what} (limit {limit}, set by {setting}). Ask for less, or split the request."
    )


@dataclass
class _FilterMeasure:
    """Counts the conditions of one `where`, and refuses at the first bound it passes."""

    limits: RequestLimits
    path: str
    conditions: int = 0

    def walk(self, where: Any, path: str, depth: int) -> None:
        limits = self.limits
        if not isinstance(where, Mapping):
            return  # not a filter at all: the schema's coercion reports it
        if depth > limits.filter_depth:
            raise _refuse(
                path,
                f"the filter is nested more than {limits.filter_depth} levels deep",
                "ISEGRAPH_MAX_FILTER_DEPTH",
                limits.filter_depth,
            )
        for key, value in where.items():
            if value is None:
                continue
            here = f"{path}.{key}"
            if key in _COMBINATORS:
                # A single entry stands for a list of one, as GraphQL's input coercion says.
                entries = value if isinstance(value, list) else [value]
                for index, entry in enumerate(entries):
                    self.walk(entry, f"{here}[{index}]", depth + 1)
                continue
            if key == "NOT":
                self.walk(value, here, depth + 1)
                continue
            self.conditions += 1
            if self.conditions > limits.filter_conditions:
                raise _refuse(
                    self.path,
                    f"the filter has more than {limits.filter_conditions} conditions",
                    "ISEGRAPH_MAX_FILTER_CONDITIONS",
                    limits.filter_conditions,
                )
            if isinstance(value, Mapping):  # a relation filter: `sectors_SOME: {...}`
                self.walk(value, here, depth + 1)
            elif isinstance(value, list):
                if len(value) > limits.filter_list_values:
                    raise _refuse(
                        here,
                        f"the list has more than {limits.filter_list_values} values",
                        "ISEGRAPH_MAX_FILTER_LIST_VALUES",
                        limits.filter_list_values,
                    )
                for index, entry in enumerate(value):
                    self.text(entry, f"{here}[{index}]")
            else:
                self.text(value, here)

    def text(self, value: Any, path: str) -> None:
        limit = self.limits.filter_text_chars
        if isinstance(value, str) and len(value) > limit:
            raise _refuse(
                path,
                f"the value is longer than {limit} characters",
                "ISEGRAPH_MAX_FILTER_TEXT_CHARS",
                limit,
            )


class _OperationMeasure:
    """Walks an operation's selections, fragments expanded, and adds up its filters."""

    def __init__(
        self,
        limits: RequestLimits,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: Mapping[str, Any],
    ) -> None:
        self.limits = limits
        self.fragments = fragments
        self.variables = variables
        # A fragment is measured once, however often it is spread; its conditions count every time.
        self._fragment_conditions: dict[str, int] = {}
        self._open: set[str] = set()

    def conditions(self, selections: SelectionSetNode | None, path: str) -> int:
        total = 0
        for selection in selections.selections if selections is not None else ():
            if isinstance(selection, FieldNode):
                name = selection.alias.value if selection.alias else selection.name.value
                here = f"{path}.{name}" if path else name
                total += self._arguments(selection, here)
                total += self.conditions(selection.selection_set, here)
            elif isinstance(selection, InlineFragmentNode):
                total += self.conditions(selection.selection_set, path)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, path)
            self._check_total(total)
        return total

    def _fragment(self, name: str, path: str) -> int:
        if name not in self._fragment_conditions:
            fragment = self.fragments.get(name)
            if fragment is None or name in self._open:
                return 0  # validation reports unknown and circular fragments
            self._open.add(name)
            self._fragment_conditions[name] = self.conditions(fragment.selection_set, path)
            self._open.discard(name)
        return self._fragment_conditions[name]

    def _arguments(self, field: FieldNode, path: str) -> int:
        total = 0
        for argument in field.arguments or ():
            name = argument.name.value
            if name == "where":
                measure = _FilterMeasure(self.limits, f"{path}(where)")
                measure.walk(self._value(argument.value), f"{path}(where)", 1)
                total += measure.conditions
            elif name == "text" and field.name.value == "search":
                text = self._value(argument.value)
                limit = self.limits.search_text_chars
                if isinstance(text, str) and len(text) > limit:
                    raise _refuse(
                        f"{path}(text)",
                        f"the search text is longer than {limit} characters",
                        "ISEGRAPH_MAX_SEARCH_TEXT_CHARS",
                        limit,
                    )
        return total

    def _value(self, node: Any) -> Any:
        value = value_from_ast_untyped(node, dict(self.variables))
        return None if value is Undefined else value

    def _check_total(self, total: int) -> None:
        limit = self.limits.operation_filter_conditions
        if total > limit:
            raise _refuse(
                "operation",
                f"its filters have more than {limit} conditions together",
                "ISEGRAPH_MAX_OPERATION_FILTER_CONDITIONS",
                limit,
            )


def check_operation(
    limits: RequestLimits,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any] | None,
) -> None:
    """Raises `LimitExceeded` for the first bound the operation passes."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    chosen = [o for o in operations if operation_name is None or (o.name and o.name.value == operation_name)]
    measure = _OperationMeasure(limits, fragments, variables or {})
    for operation in chosen[:1]:
        measure.conditions(operation.selection_set, "")


class RequestBounds:
    """One schema's limits; `extension` makes the per-request extension strawberry asks for."""

    def __init__(self, limits: RequestLimits) -> None:
        self.limits = limits

    def extension(self) -> BoundedRequest:
        return BoundedRequest(self.limits)


class BoundedRequest(SchemaExtension):
    def __init__(self, limits: RequestLimits) -> None:
        self.limits = limits

    def on_execute(self) -> Iterator[None]:
        ec = self.execution_context
        if ec.graphql_document is not None and not ec.result:
            try:
                check_operation(self.limits, ec.graphql_document, ec.operation_name, ec.variables)
            except LimitExceeded as exc:
                # Set before execution begins: strawberry then runs no resolver, and the compiled
                # reads send nothing.
                ec.result = ExecutionResult(data=None, errors=[GraphQLError(exc.message, original_error=exc)])
        yield
