"""Records by reference: what a write, an event or a domain operation has settled, projected by
the compiler.

A mutation's payload (read after its write commits), federation's `_entities`, a subscription
event's records and the records a domain operation's answer names are given by reference, a type
and its key, each with the selection asked of it. Every reference is looked up under the access
rule of the root reads and projected by the same projection (`projection.py`); all of them in
one Cypher expression, in the order given, with null for a reference that no longer exists or
that this user may not see. This is the one reader of records by reference.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from dataclasses import dataclass
from typing import Any

from graph_api.compiler.context import Printed
from graph_api.compiler.plan import Field
from graph_api.compiler.projection import Projector, labelled
from graph_api.domain.entities import ENTITIES, MEMBERSHIP, SUBSCRIPTION
from graph_api.errors import InvalidInput

Fields = dict[str, Field]
# The access rule a record of an entity bound to a variable must meet (None: none), as the root
# reads print it.
Guard = Callable[[str, str], str | None]


@dataclass(frozen=True)
class Reference:
    """A record named by its type and key: an entity's id; a membership's (partner, council);
    a subscription's (partner, topic, sector), one of the last two None; a report's id."""

    type_name: str
    key: tuple[str | None, ...]

    @staticmethod
    def of(type_name: str, *key: str | None) -> Reference:
        return Reference(type_name, tuple(key))


def representation(index: int, value: Any, entities: Collection[str]) -> Reference:
    """Federation's representation `representations[index]` of one of `entities`, which are
    keyed by `id` alone: so that is all a representation may carry. A gateway's always is one;
    anyone else's may not be, and that is the caller's mistake, not a fault."""
    valid = (
        isinstance(value, dict)
        and set(value) == {"__typename", "id"}
        and value["__typename"] in entities
        and isinstance(value["id"], str)
    )
    if not valid:
        raise InvalidInput(
            f"representations[{index}] must be an object of a string `id` and a __typename, one of "
            f"{', '.join(sorted(entities))}."
        )
    return Reference.of(value["__typename"], value["id"])


# Types looked up by a key of their own rather than an entity's id.
KEYED = ("Membership", "PartnerSubscription", "Report")


def referable(type_name: str) -> bool:
    return type_name in ENTITIES or type_name in KEYED


# A reference and the fields selected of its record.
Wanted = tuple[Reference, Fields]


def references(projector: Projector, guard: Guard, wanted: list[Wanted]) -> Printed:
    """The records `wanted` names, each projected with its selection, as one list in the order
    given. The references of one type and selection are looked up in one subquery (`UNWIND`)."""
    ctx = projector.ctx
    groups: dict[tuple[str, int], tuple[Fields, list[dict[str, Any]]]] = {}
    for index, (ref, fields) in enumerate(wanted):
        # References come from our own code, never from input: an unknown type is a bug.
        assert referable(ref.type_name), ref.type_name
        group = groups.setdefault((ref.type_name, id(fields)), (fields, []))
        group[1].append({"i": index, "k": list(ref.key)})
    texts: list[str] = []
    finishers: list[Callable[[Any], Any] | None] = []
    for (type_name, _), (fields, rows) in groups.items():
        each, x = ctx.var("ref"), ctx.var()
        match, item = _lookup(projector, guard, type_name, fields, each, x)
        texts.append(
            f"COLLECT {{ UNWIND {ctx.param(rows)} AS {each} {match} "
            f"RETURN {{i: {each}.i, v: {item.text}}} AS r }}"
        )
        finishers.append(item.finish)
    size = len(wanted)

    def finish(groups_found: Any) -> Any:
        answer: list[Any] = [None] * size
        for found, finisher in zip(groups_found, finishers, strict=True):
            for row in found:
                value = row["v"]
                answer[row["i"]] = value if finisher is None else finisher(value)
        return answer

    return Printed("[" + ", ".join(texts) + "]", finish)


def _lookup(
    projector: Projector, guard: Guard, type_name: str, fields: Fields, ref: str, x: str
) -> tuple[str, Printed]:
    """The MATCH that finds one reference's record (bound to `x`), and its projection."""
    ctx = projector.ctx
    if type_name == "Membership":
        partner, council = ctx.var(), ctx.var()
        (council_type,) = MEMBERSHIP.ends.values()
        pattern = MEMBERSHIP.pattern(
            f"{labelled(partner, MEMBERSHIP.start[1])} {{id: {ref}.k[0]}}",
            x,
            f"{labelled(council, council_type)} {{id: {ref}.k[1]}}",
        )
        match = f"MATCH {pattern}"
        return match, projector.membership(fields, partner, council, x)
    if type_name == "PartnerSubscription":
        partner, target = ctx.var(), ctx.var()
        # The key is (partner, topic, sector): the target is whichever of the two ends is set.
        ends = " OR ".join(
            f"({labelled(target, kind)} AND {target}.id = {ref}.k[{i}])"
            for i, kind in enumerate(SUBSCRIPTION.ends.values(), start=1)
        )
        pattern = SUBSCRIPTION.pattern(
            f"{labelled(partner, SUBSCRIPTION.start[1])} {{id: {ref}.k[0]}}", x, target
        )
        match = f"MATCH {pattern} WHERE {ends}"
        return match, projector.subscription(fields, partner, x, target)
    rule = guard(type_name, x)
    where = "" if rule is None else f" WHERE {rule}"
    match = f"MATCH ({labelled(x, type_name)} {{id: {ref}.k[0]}}){where}"
    return match, projector.record(type_name, x, fields)
