"""What a statement collects while it is printed: parameters, fresh variable names, and the
Python finishing its answer still needs (cursors are encoded outside Cypher)."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql.execution.values import VariableValues

from graph_api.identity import Principal
from graph_api.rules.access import Predicate
from graph_api.store.filters import compile_where

# Turns the value Cypher returned for a field into the value of the answer; None: as returned.
Finish = Callable[[Any], Any] | None


@dataclass
class Printed:
    """A Cypher expression and how to finish its value."""

    text: str
    finish: Finish = None


@dataclass
class CypherContext:
    principal: Principal
    variables: VariableValues
    sdl: str | None = None  # the federation SDL, answered as a constant
    params: dict[str, Any] = field(default_factory=dict)
    preludes: list[str] = field(default_factory=list)
    _counter: itertools.count[int] = field(default_factory=itertools.count)

    def param(self, value: Any) -> str:
        name = f"p{next(self._counter)}"
        self.params[name] = value
        return f"${name}"

    def shared(self, rule: Predicate) -> None:
        """An access rule joins the statement: its parameters have fixed names (the same name
        always has one value), and its prelude runs once, at the start of the statement."""
        for name, value in rule.params.items():
            assert self.params.get(name, value) == value, name
            self.params[name] = value
        if rule.prelude and rule.prelude not in self.preludes:
            self.preludes.append(rule.prelude)

    def var(self, stem: str = "v") -> str:
        return f"{stem}{next(self._counter)}"

    def where(self, entity: str, where: dict[str, Any] | None, var: str) -> str:
        text, params = compile_where(entity, where, var, prefix=f"w{next(self._counter)}_")
        self.params.update(params)
        return text


def map_of(entries: list[tuple[str, Printed]]) -> Printed:
    """A Cypher map of the entries, keyed by response names, finishing those that need it."""
    text = "{" + ", ".join(f"`{name}`: {printed.text}" for name, printed in entries) + "}"
    finishers = {name: printed.finish for name, printed in entries if printed.finish is not None}
    return Printed(text, finish_object(finishers))


def finish_object(finishers: dict[str, Callable[[Any], Any]]) -> Finish:
    """Finishes the fields that need it, in place; a null object stays null."""
    if not finishers:
        return None
    items = list(finishers.items())

    def finish(value: Any) -> Any:
        if value is not None:
            for key, function in items:
                value[key] = function(value[key])
        return value

    return finish


def finish_list(item: Finish) -> Finish:
    if item is None:
        return None
    inner = item

    def finish(values: Any) -> Any:
        return None if values is None else [inner(v) for v in values]

    return finish
