"""Operation → plan: the fields an operation selects, per object type, with fragments merged.

Like graphql-core's field collection, but done once for the whole operation: fragments and
inline fragments are folded into the object types they apply to, `@include`/`@skip` are decided,
and fields with the same response name are merged. A field returning a union or an interface
gets one selection per possible object type.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLField,
    GraphQLIncludeDirective,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLSkipDirective,
    GraphQLUnionType,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    get_named_type,
)
from graphql.execution.values import VariableValues, get_argument_values, get_directive_values
from graphql.type.introspection import TypeNameMetaFieldDef


class NotCompilable(Exception):
    """The operation asks for something the compiler leaves to the resolvers."""


@dataclass
class Field:
    response: str  # the response name (the alias, or the field name)
    name: str
    node: FieldNode
    definition: GraphQLField
    # The fields selected under this one, per concrete object type it may return.
    children: dict[str, dict[str, Field]] = field(default_factory=dict)

    def arguments(self, variables: VariableValues) -> dict[str, Any]:
        return get_argument_values(self.definition, self.node, variables)

    def of(self, type_name: str) -> dict[str, Field]:
        return self.children.get(type_name, {})

    @property
    def type_name(self) -> str:
        return get_named_type(self.definition.type).name


@dataclass
class Plan:
    """The root fields of a query operation, in response order."""

    operation: OperationDefinitionNode
    roots: dict[str, Field]


def operation_of(document: DocumentNode, name: str | None) -> OperationDefinitionNode:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    for operation in operations:
        if name is None or (operation.name is not None and operation.name.value == name):
            return operation
    raise NotCompilable(f"no operation named {name!r}")


def directive_variables(operation: OperationDefinitionNode, document: DocumentNode) -> frozenset[str]:
    """The variables `@include`/`@skip` read: the plan depends on their values."""
    names: set[str] = set()

    def visit(node: Any) -> None:
        for directive in getattr(node, "directives", None) or ():
            for argument in directive.arguments:
                if argument.value.kind == "variable":
                    names.add(argument.value.name.value)
        selection_set = getattr(node, "selection_set", None)
        for child in selection_set.selections if selection_set else ():
            visit(child)

    visit(operation)
    for definition in document.definitions:
        if isinstance(definition, FragmentDefinitionNode):
            visit(definition)
    return frozenset(names)


class Planner:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode | None,
        variables: VariableValues,
        fragments: dict[str, FragmentDefinitionNode] | None = None,
    ) -> None:
        """The fragments are the document's, or given (a resolver's `info.fragments`)."""
        self.schema = schema
        self.variables = variables
        self.fragments = dict(fragments or {})
        if document is not None:
            self.fragments.update(
                (d.name.value, d) for d in document.definitions if isinstance(d, FragmentDefinitionNode)
            )

    def plan(self, operation: OperationDefinitionNode) -> Plan:
        if operation.operation != OperationType.QUERY:
            raise NotCompilable("only queries are compiled")
        query = self.schema.query_type
        assert query is not None
        return Plan(operation, self.fields(query, [operation.selection_set]))

    def selections(
        self, returned: GraphQLOutputType, selection_sets: list[SelectionSetNode]
    ) -> dict[str, dict[str, Field]]:
        """The fields selected under a field returning `returned`, per concrete object type."""
        named = get_named_type(returned)
        if isinstance(named, GraphQLObjectType):
            return {named.name: self.fields(named, selection_sets)}
        if isinstance(named, GraphQLUnionType | GraphQLInterfaceType):
            return {
                possible.name: self.fields(possible, selection_sets)
                for possible in self.schema.get_possible_types(named)
            }
        return {}

    def subscription(self, operation: OperationDefinitionNode) -> Plan:
        """A subscription's fields: what each of its events selects (see `references`)."""
        root = self.schema.subscription_type
        if operation.operation != OperationType.SUBSCRIPTION or root is None:
            raise NotCompilable("not a subscription")
        return Plan(operation, self.fields(root, [operation.selection_set]))

    def fields(self, parent: GraphQLObjectType, selection_sets: list[SelectionSetNode]) -> dict[str, Field]:
        grouped: dict[str, list[FieldNode]] = {}
        for selection_set in selection_sets:
            self._collect(parent, selection_set, grouped)
        fields: dict[str, Field] = {}
        for response, nodes in grouped.items():
            name = nodes[0].name.value
            if name == "__typename":
                definition = TypeNameMetaFieldDef
            elif name.startswith("__") or name not in parent.fields:
                raise NotCompilable(f"{parent.name}.{name}")
            else:
                definition = parent.fields[name]
            planned = Field(response, name, nodes[0], definition)
            inner = [n.selection_set for n in nodes if n.selection_set is not None]
            planned.children = self.selections(definition.type, inner)
            fields[response] = planned
        return fields

    def _collect(
        self, parent: GraphQLObjectType, selection_set: SelectionSetNode, grouped: dict[str, list[FieldNode]]
    ) -> None:
        for selection in selection_set.selections:
            if not self._included(selection):
                continue
            if isinstance(selection, FieldNode):
                response = selection.alias.value if selection.alias else selection.name.value
                grouped.setdefault(response, []).append(selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                if condition is None or self._applies(condition.name.value, parent):
                    self._collect(parent, selection.selection_set, grouped)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments[selection.name.value]
                if self._applies(fragment.type_condition.name.value, parent):
                    self._collect(parent, fragment.selection_set, grouped)

    def _included(self, node: Any) -> bool:
        skip = get_directive_values(GraphQLSkipDirective, node, self.variables)
        if skip and skip["if"]:
            return False
        include = get_directive_values(GraphQLIncludeDirective, node, self.variables)
        return not (include and not include["if"])

    def _applies(self, condition: str, parent: GraphQLObjectType) -> bool:
        target = self.schema.get_type(condition)
        if target is parent:
            return True
        if isinstance(target, GraphQLUnionType | GraphQLInterfaceType):
            return self.schema.is_sub_type(target, parent)
        return False
