"""Subscription fan-out: each event's payload computed once per plan, shared by its subscribers.

A plan is what decides a subscription's payloads: its document, operation name and variables, and
what its user may see. Every access rule (`rules/access.py`) depends on the user's role and, for a
PARTNER user, its organisation, and on nothing else of the user: two subscribers that agree on
those and on the operation hear of the same events (the hub's match and visibility depend on
nothing more) and must receive the same payload for each. So the first of them to reach an event
computes it, through the compiler as one Cypher statement where the selection
compiles (`event_payloads`), else by executing the selection set on the resolvers; the others
take that result, and the `next` message's JSON of it is
encoded once (`SharedData.encoded`) and sent to each with its own operation id.

Two users whose access differs never share: the role and the organisation are part of the key.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections import OrderedDict
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

import orjson
from graphql import DocumentNode, ExecutionResult

from graph_api.api.event_payloads import compiled_payload
from graph_api.api.projected import ProjectedExecutionContext
from graph_api.compiler.plan import NotCompilable, Planner
from graph_api.compiler.plan import Plan as CompilerPlan
from graph_api.identity import Principal

# Plans remembered at once; one with live subscribers is used every event, so stays recent.
PLANS_KEPT = 1000
# Results remembered per plan: the events its subscribers are still being sent.
RESULTS_KEPT = 64


@dataclass(frozen=True)
class PlanKey:
    """The operation (its text, name and variables) and the access that decide the payloads."""

    schema: int  # the schema's id: the reference schema (resolvers only) shares with none other
    document: str
    operation_name: str | None
    variables: str
    role: str
    partner: str | None

    @staticmethod
    def of(
        schema: object, document: str, operation_name: str | None, variables: Any, principal: Principal
    ) -> PlanKey:
        return PlanKey(
            id(schema),
            hashlib.sha256(document.encode()).hexdigest(),
            operation_name,
            json.dumps(variables, sort_keys=True, default=str),
            principal.role.value,
            principal.partner,
        )


class SharedData(dict[str, Any]):
    """An event's `data`, shared by every subscriber of its plan; its JSON is encoded once."""

    _json: bytes | None = None

    @property
    def json(self) -> bytes:
        if self._json is None:
            try:
                self._json = orjson.dumps(self)
            except TypeError:  # orjson refuses integers beyond 64 bits, which a JSON scalar may carry
                self._json = json.dumps(self, separators=(",", ":"), ensure_ascii=False).encode()
        return self._json


def encode_next(message: Any) -> bytes | None:
    """The `next` message's JSON, its shared `data` spliced in as already encoded; None when the
    message carries no shared data (it is then encoded as any other)."""
    if message.get("type") != "next":
        return None
    payload = message.get("payload") or {}
    data = payload.get("data")
    if not isinstance(data, SharedData):
        return None
    parts = [b'{"id":', orjson.dumps(message["id"]), b',"type":"next","payload":{"data":', data.json]
    for key, value in payload.items():
        if key != "data":
            parts.append(b"," + orjson.dumps(key) + b":" + orjson.dumps(value))
    parts.append(b"}}")
    return b"".join(parts)


@dataclass
class Plan:
    """The results of one plan's recent events, by event sequence: computed once, by a task of
    its own (a subscriber leaving meanwhile does not cancel it for the others), awaited by all."""

    results: OrderedDict[int, asyncio.Future[ExecutionResult]] = field(default_factory=OrderedDict)
    computed: int = 0  # how many events' payloads were computed
    # The compiler's plan of the selection, once made; False: only the resolvers answer it.
    selection: CompilerPlan | bool | None = None

    def result(
        self, sequence: int, compute: Callable[[], Coroutine[Any, Any, ExecutionResult]]
    ) -> asyncio.Future[ExecutionResult]:
        found = self.results.get(sequence)
        if found is None:
            found = self.results[sequence] = asyncio.ensure_future(compute())
            while len(self.results) > RESULTS_KEPT:
                self.results.popitem(last=False)
            self.computed += 1
        return found


class Plans:
    """The process's plans, most recently used last."""

    def __init__(self, kept: int = PLANS_KEPT) -> None:
        self.kept = kept
        self._plans: OrderedDict[PlanKey, Plan] = OrderedDict()

    def __call__(self, key: PlanKey) -> Plan:
        plan = self._plans.get(key)
        if plan is None:
            plan = self._plans[key] = Plan()
            while len(self._plans) > self.kept:
                self._plans.popitem(last=False)
        else:
            self._plans.move_to_end(key)
        return plan


PLANS = Plans()


class _Replay:
    """Stands in for graphql-core's per-event executor: the plan's result for the event."""

    def __init__(self, executor: SharedEventExecutor, event: Any) -> None:
        self.executor = executor
        self.event = event

    def execute_operation(self, _incremental: bool) -> Any:
        return self.executor.shared_result(self.event)


class SharedEventExecutor(ProjectedExecutionContext):
    """The schema's executor (a value the compiler finished is taken as complete), with each
    subscription event executed once per plan.

    Every root value a subscription yields carries the `sequence` of its event; the result of
    executing the selection set on it is kept in the plan and shared."""

    _plan: Plan | None = None
    compiled = True  # False: every payload from the resolvers (the reference schema)

    def build_per_event_executor(self, payload: Any) -> Any:
        principal = getattr(self.context_value, "principal", None)
        if getattr(payload, "sequence", None) is None or principal is None:
            return super().build_per_event_executor(payload)
        return _Replay(self, payload)

    def plan(self) -> Plan:
        if self._plan is None:
            source = self.operation.loc.source.body if self.operation.loc else repr(self.operation.to_dict())
            name = self.operation.name.value if self.operation.name else None
            key = PlanKey.of(
                self.schema, source, name, self.variable_values.coerced, self.context_value.principal
            )
            self._plan = PLANS(key)
        return self._plan

    def _selection(self) -> CompilerPlan | None:
        plan = self.plan()
        if plan.selection is None:
            plan.selection = False
            if self.compiled:
                document = DocumentNode(definitions=(self.operation, *self.fragment_definitions.values()))
                with contextlib.suppress(NotCompilable):
                    planner = Planner(self.schema, document, self.variable_values)
                    plan.selection = planner.subscription(self.operation)
        return plan.selection if isinstance(plan.selection, CompilerPlan) else None

    async def shared_result(self, event: Any) -> ExecutionResult:
        return await asyncio.shield(self.plan().result(int(event.sequence), lambda: self._execute(event)))

    async def _execute(self, event: Any) -> ExecutionResult:
        selection = self._selection()
        if selection is not None:
            context = self.context_value
            data = await compiled_payload(
                context.db, selection, context.principal, self.variable_values, event
            )
            if data is not None:
                return ExecutionResult(SharedData(data), None)
        result = super().build_per_event_executor(event).execute_operation(False)
        if self.is_awaitable(result):
            result = await result
        assert isinstance(result, ExecutionResult)
        return ExecutionResult(None if result.data is None else SharedData(result.data), result.errors)


class ResolvedEventExecutor(SharedEventExecutor):
    """Each plan's payloads from the resolvers only: the reference the compiled ones are tested
    against."""

    compiled = False
