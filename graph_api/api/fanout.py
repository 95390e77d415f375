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

Over a WebSocket, a subscription whose selection compiles is served directly
(`DirectSubscriber`): once it has caught up, the event hub's tailer hands it each live event in
its own turn of the loop, the plan's payload is computed once, and the `next` message is put on
the connection's outbox, so no task is woken per subscriber and event. An event whose payload
only the resolvers can give (or that would carry errors) is given back to the subscription's
ordinary stream, with every later one, in order.
"""

from __future__ import annotations

import asyncio
import contextlib
import hashlib
import json
from collections import OrderedDict, deque
from collections.abc import Callable, Coroutine, Mapping
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, TypeVar

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    FragmentDefinitionNode,
    GraphQLField,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLSchema,
    OperationDefinitionNode,
)
from graphql.execution.values import VariableValues
from graphql.pyutils import Path

from graph_api.api.context import Context
from graph_api.api.event_payloads import compiled_payload
from graph_api.api.extensions.round_trips import round_trip_extensions
from graph_api.api.projected import ProjectedExecutionContext
from graph_api.compiler.plan import NotCompilable, Planner
from graph_api.compiler.plan import Plan as CompilerPlan
from graph_api.events import Event
from graph_api.identity import Principal

# Plans remembered at once; one with live subscribers is used every event, so stays recent.
PLANS_KEPT = 1000
# Results remembered per plan: the events its subscribers are still being sent.
RESULTS_KEPT = 64
Computed = TypeVar("Computed")
# The graphql-transport-ws operation the current task runs (set by the WebSocket handler).
RUNNING_OPERATION: ContextVar[str | None] = ContextVar("isegraph_running_operation", default=None)
# The executor of the subscription whose resolver the current task is calling.
SUBSCRIBING: ContextVar[SharedEventExecutor | None] = ContextVar("isegraph_subscribing", default=None)


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
    # The compiled payloads of the subscribers served directly (None: the resolvers must answer).
    direct_results: OrderedDict[int, asyncio.Future[SharedData | None]] = field(default_factory=OrderedDict)
    computed: int = 0  # how many events' payloads were computed
    # The compiler's plan of the selection, once made; False: only the resolvers answer it.
    selection: CompilerPlan | bool | None = None

    def result(
        self, sequence: int, compute: Callable[[], Coroutine[Any, Any, ExecutionResult]]
    ) -> asyncio.Future[ExecutionResult]:
        return self._once(self.results, sequence, compute)

    def direct_result(
        self, sequence: int, compute: Callable[[], Coroutine[Any, Any, SharedData | None]]
    ) -> asyncio.Future[SharedData | None]:
        return self._once(self.direct_results, sequence, compute)

    def _once(
        self,
        kept: OrderedDict[int, asyncio.Future[Computed]],
        sequence: int,
        compute: Callable[[], Coroutine[Any, Any, Computed]],
    ) -> asyncio.Future[Computed]:
        found = kept.get(sequence)
        if found is None:
            found = kept[sequence] = asyncio.ensure_future(compute())
            while len(kept) > RESULTS_KEPT:
                kept.popitem(last=False)
            self.computed += 1
        return found

    def compiled_selection(
        self,
        schema: GraphQLSchema,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        variables: VariableValues,
    ) -> CompilerPlan | None:
        """The compiler's plan of the subscription's selection (made once); None when only the
        resolvers can answer it."""
        if self.selection is None:
            self.selection = False
            document = DocumentNode(definitions=(operation, *fragments.values()))
            with contextlib.suppress(NotCompilable):
                self.selection = Planner(schema, document, variables).subscription(operation)
        return self.selection if isinstance(self.selection, CompilerPlan) else None


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


def plan_of(
    schema: GraphQLSchema, operation: OperationDefinitionNode, variables: VariableValues, principal: Principal
) -> Plan:
    source = operation.loc.source.body if operation.loc else repr(operation.to_dict())
    name = operation.name.value if operation.name else None
    return PLANS(PlanKey.of(schema, source, name, variables.coerced, principal))


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
            self._plan = plan_of(
                self.schema, self.operation, self.variable_values, self.context_value.principal
            )
        return self._plan

    def build_resolve_info(
        self,
        field_def: GraphQLField,
        field_nodes: list[FieldNode],
        parent_type: GraphQLObjectType,
        path: Path,
    ) -> GraphQLResolveInfo[Any]:
        if path.prev is None and parent_type is self.schema.subscription_type:
            SUBSCRIBING.set(self)  # the subscription's resolver may serve it directly
        return super().build_resolve_info(field_def, field_nodes, parent_type, path)

    def compiled_selection(self) -> CompilerPlan | None:
        if not self.compiled:
            return None
        return self.plan().compiled_selection(
            self.schema, self.operation, self.fragment_definitions, self.variable_values
        )

    async def shared_result(self, event: Any) -> ExecutionResult:
        return await asyncio.shield(self.plan().result(int(event.sequence), lambda: self._execute(event)))

    async def _execute(self, event: Any) -> ExecutionResult:
        selection = self.compiled_selection()
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


class DirectSubscriber:
    """One subscription served from the tailer's turn of the loop: each live event it is handed is
    answered from its plan's compiled payload (computed once for the plan) and its `next`
    message put on the connection's outbox, in the order of the events. The first event the
    compiled payload cannot answer exactly, and every later one, are given back to the
    subscription's ordinary stream (`give_back`), which answers them as any subscriber's."""

    def __init__(
        self,
        plan: Plan,
        selection: CompilerPlan,
        context: Context,
        operation_id: str,
        variables: VariableValues,
        root_value: Callable[[Event], Any],
    ) -> None:
        self.plan = plan
        self.selection = selection
        self.context = context
        self.operation_id = operation_id
        self.variables = variables
        self.root_value = root_value
        self.pending: deque[tuple[Event, asyncio.Future[SharedData | None]]] = deque()
        self.give_back: Callable[[Event], None] | None = None
        self.stopped = False

    def taker(self, give_back: Callable[[Event], None]) -> Callable[[Event], bool]:
        self.give_back = give_back
        return self.take

    def take(self, event: Event) -> bool:
        if self.stopped:
            return False
        future = self.plan.direct_result(event.sequence, lambda: self._compute(event))
        self.pending.append((event, future))
        future.add_done_callback(self._flush)
        return True

    def stop(self) -> None:
        """The subscription ended: nothing more is sent for it."""
        self.stopped = True
        self.pending.clear()

    async def _compute(self, event: Event) -> SharedData | None:
        context = self.context
        data = await compiled_payload(
            context.db, self.selection, context.principal, self.variables, self.root_value(event)
        )
        return None if data is None else SharedData(data)

    def _flush(self, _done: object = None) -> None:
        connection = self.context.connection
        while self.pending and self.pending[0][1].done():
            event, future = self.pending.popleft()
            data = None if future.cancelled() or future.exception() is not None else future.result()
            if data is not None and connection is not None:
                message = {
                    "id": self.operation_id,
                    "type": "next",
                    # As strawberry's `next`: the data, then the extensions of its per-result hooks.
                    "payload": {"data": data, "extensions": round_trip_extensions(self.context)},
                }
                encoded = encode_next(message)
                if encoded is not None and connection.send_soon(encoded.decode("utf-8")):
                    continue
            self._give_back_from(event)
            return

    def _give_back_from(self, event: Event) -> None:
        rest = [event, *(later for later, _ in self.pending)]
        self.stop()
        assert self.give_back is not None
        for each in rest:
            self.give_back(each)


def direct_subscriber(
    info: GraphQLResolveInfo[Any], root_value: Callable[[Event], Any]
) -> DirectSubscriber | None:
    """A direct subscriber for the subscription being resolved, when it runs over a WebSocket on
    the compiled schema and its selection compiles; None otherwise."""
    executor = SUBSCRIBING.get()
    context = info.context
    operation_id = RUNNING_OPERATION.get()
    if (
        executor is None
        or executor.operation is not info.operation
        or not isinstance(context, Context)
        or context.connection is None
        or operation_id is None
    ):
        return None
    selection = executor.compiled_selection()
    if selection is None:
        return None
    return DirectSubscriber(
        executor.plan(), selection, context, operation_id, executor.variable_values, root_value
    )
