"""Every entity fact lives in one table (domain/entities.py); the schema and the compilers read it."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import GraphQLInputObjectType, GraphQLObjectType

from graph_api.api import schema
from graph_api.domain.entities import (
    BY_COLLECTION,
    EDITABLE,
    ENTITIES,
    LINKS,
    OPERATORS,
    RECORDS,
    RELATION_OPERATORS,
    Entity,
    Follow,
    Scalar,
)
from graph_api.errors import InvalidInput
from graph_api.store.filters import compile_sort, compile_where

GRAPHQL = schema._schema  # graphql-core's view of the schema we serve


def _input_fields(name: str) -> set[str]:
    found = GRAPHQL.get_type(name)
    assert isinstance(found, GraphQLInputObjectType), name
    return set(found.fields)


def _filters_of(entity: Entity) -> set[str]:
    scalars = {name + op for name, scalar in entity.scalars.items() for op in OPERATORS[scalar.kind]}
    relations = {name + op for name in entity.relations for op in RELATION_OPERATORS}
    return scalars | relations | {"AND", "OR", "NOT"}


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=lambda e: e.name)
def test_the_graphql_where_and_sort_inputs_are_the_model(entity: Entity) -> None:
    assert _input_fields(f"{entity.name}Where") == _filters_of(entity)
    assert _input_fields(f"{entity.name}Sort") == set(entity.scalars)


def _sample_value(scalar: Scalar) -> Any:
    if scalar.enum is not None:
        return next(iter(scalar.enum)).value
    return {"id": "x", "string": "x", "bool": True, "datetime": "2026-01-01T00:00:00Z"}[scalar.kind]


@pytest.mark.parametrize("entity", ENTITIES.values(), ids=lambda e: e.name)
def test_the_filter_compiler_accepts_exactly_the_model(entity: Entity) -> None:
    for name, scalar in entity.scalars.items():
        for op in OPERATORS[scalar.kind]:
            value = _sample_value(scalar)
            text, params = compile_where(entity.name, {name + op: [value] if op.endswith("_IN") else value})
            assert f"n.{scalar.prop}" in text and len(params) == 1
    for name, relation in entity.relations.items():
        for op in RELATION_OPERATORS:
            text, _ = compile_where(entity.name, {name + op: {}})
            assert f":{ENTITIES[relation.target].label})" in text
    with pytest.raises(InvalidInput):
        compile_where(entity.name, {"notAField": 1})
    for name, scalar in entity.scalars.items():
        assert compile_sort(entity.name, [{name: "ASC"}]).startswith(f"n.{scalar.prop} ASC")


def test_every_relation_targets_an_entity_and_names_it_by_its_label() -> None:
    for entity in ENTITIES.values():
        for relation in entity.relations.values():
            target = ENTITIES[relation.target]
            assert f"(m:{target.label})" in relation.pattern
            assert "(n)" in relation.pattern


def test_the_edit_mutations_and_payloads_come_from_the_model() -> None:
    mutation = GRAPHQL.mutation_type
    assert isinstance(mutation, GraphQLObjectType)
    for collection in EDITABLE:
        entity = BY_COLLECTION[collection]
        assert entity.noun and entity.field
        title = entity.field[0].upper() + entity.field[1:]
        for verb in ("create", "update", "delete"):
            assert f"{verb}{title}" in mutation.fields, (verb, title)
        assert mutation.fields[f"create{title}"].type.of_type.name == f"{entity.name}Payload"  # type: ignore[attr-defined]
        assert (f"deactivate{title}" in mutation.fields) == entity.deactivatable


def test_collections_and_type_names_are_one_to_one() -> None:
    assert {e.collection for e in ENTITIES.values()} == set(BY_COLLECTION)
    for name, entity in ENTITIES.items():
        assert entity.name == name
        assert GRAPHQL.get_type(name) is not None


def _object_fields(name: str) -> set[str]:
    found = GRAPHQL.get_type(name)
    assert isinstance(found, GraphQLObjectType), name
    return set(found.fields)


@pytest.mark.parametrize("record", [*ENTITIES.values(), *RECORDS.values()], ids=lambda e: e.name)
def test_the_model_describes_every_field_of_a_record(record: Entity) -> None:
    assert set(record.fields) <= _object_fields(record.name)
    if record.name in RECORDS:
        assert set(record.fields) == _object_fields(record.name)
        for projection in record.fields.values():
            if isinstance(projection, Follow):
                assert record.link(projection.relation).target in {*ENTITIES, *RECORDS}


def test_the_relationship_records_are_their_graphql_types() -> None:
    for link in LINKS.values():
        start_field = {link.start[0]} - {None}
        assert {*link.fields, *link.ends, *start_field} == _object_fields(link.name), link.name
