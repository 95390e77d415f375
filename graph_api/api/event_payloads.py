"""A subscription event's payload through the compiler: one Cypher statement per event and plan.

The event's own fields (its sequence, kind, ids, a delivery's channels) are the values the
subscription yielded, and the records it names (the product, the partner) are read as
`Query.product(id:)` / `Query.partner(id:)` read them, with the same selection and the user's
access rules, all in one statement: the event is shaped as any computed answer is
(`api/shaping.py`, records read by `compiler.project`). A selection with anything else (a
delivery's messages) is not compilable and is executed on the resolvers instead.
"""

from __future__ import annotations

from typing import Any

from graphql import get_named_type
from graphql.execution.values import VariableValues

from graph_api.api.shaping import Fallback, Shaper, shaped
from graph_api.compiler.plan import NotCompilable, Plan
from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.store.database import Database


async def compiled_payload(
    db: Database, plan: Plan, principal: Principal, variables: VariableValues, event: Any
) -> dict[str, Any] | None:
    """The event's `data` for this plan in one round trip (none when it names no record); None
    when only the resolvers can answer it exactly."""
    (root,) = plan.roots.values()
    shaper = Shaper()
    try:
        value = shaper.object(get_named_type(root.definition.type).name, event, root.of(root.type_name))
        return {root.response: await shaped(db, principal, variables, shaper, value)}
    except (NotCompilable, Fallback, ServiceError):
        return None
