"""Projections: a record's selected fields as one Cypher map, keyed by response names.

Each field prints its own fragment from the entity model (`domain/entities.py`): a property
read, a `COLLECT {}` subquery for a relation, a nested connection, or one of the derived shapes
below (memberships, subscriptions, a fusion center, a requirement's audience). `__typename` is a
literal. Anything the model does not describe is not compiled.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from graph_api import domain
from graph_api.compiler.context import CypherContext, Printed, finish_list, map_of
from graph_api.compiler.pagination import Source, keyset_connection
from graph_api.compiler.plan import Field, NotCompilable
from graph_api.domain.entities import (
    MEMBERSHIP,
    MODEL,
    REQUIREMENT_AUDIENCE,
    ROUTE,
    SUBSCRIPTION,
    Derived,
    Entity,
    Follow,
    Link,
    Prop,
    Relation,
    Timestamp,
)
from graph_api.rules import access

Fields = dict[str, Field]


def literal(value: bool | int | str | list[str] | None) -> str:
    """Cypher text of a fixed default (never input)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        assert value.isidentifier(), value
        return f"'{value}'"
    assert value == [], value
    return "[]"


def labelled(var: str, entity: str) -> str:
    """`var:Label`: a variable with the label of a record of the model."""
    return f"{var}:{MODEL[entity].label}"


def read(var: str, prop: Prop) -> Printed:
    """A property of a node or relationship, or its default when it has none."""
    text = f"{var}.{prop.prop}"
    return Printed(text if prop.default is None else f"coalesce({text}, {literal(prop.default)})")


class Projector:
    def __init__(self, ctx: CypherContext) -> None:
        self.ctx = ctx
        self.derived: dict[str, Callable[[Entity, str, Field], Printed]] = {
            "isGovernment": self._is_government,
            "fusionCenter": self._fusion_center,
            "memberships": self._memberships,
            "members": self._members,
            "subscriptions": self._subscriptions,
            "contacts": self._contacts,
            "audience": self._audience,
            "sourceReport": self._source_report,
            "reportedBy": self._reported_by,
            "reportProduct": self._report_product,
            "routes": self._routes,
            "history": self._history,
        }

    # -- records ---------------------------------------------------------------------------

    def record(self, type_name: str, var: str, fields: Fields) -> Printed:
        entity = MODEL.get(type_name)
        if entity is None:
            raise NotCompilable(type_name)
        return map_of([(f.response, self.field(entity, var, f)) for f in fields.values()])

    def field(self, entity: Entity, var: str, f: Field) -> Printed:
        if f.name == "__typename":
            return Printed(f"'{entity.name}'")
        projection = entity.fields.get(f.name)
        if isinstance(projection, Prop):
            return read(var, projection)
        if isinstance(projection, Timestamp):
            return Printed(f"toString({var}.{projection.prop})")
        if isinstance(projection, Follow):
            return self.follow(entity.link(projection.relation), var, f, many=projection.many)
        if isinstance(projection, Derived) and projection.rule in self.derived:
            return self.derived[projection.rule](entity, var, f)
        relation = f.name.removesuffix("Connection")
        if f.name.endswith("Connection") and relation in entity.connections:
            link = entity.relations[relation]
            target = self.ctx.var()
            source = Source(link.target, target, f"MATCH {link.between(var, target)}")
            return keyset_connection(self.ctx, self.record, f, source)
        raise NotCompilable(f"{entity.name}.{f.name}")

    def follow(self, relation: Relation, var: str, f: Field, *, many: bool, where: str = "") -> Printed:
        """Related records ordered by id (the order of the record's own lists), or the one."""
        target = self.ctx.var()
        inner = self.record(relation.target, target, f.of(relation.target))
        match = f"MATCH {relation.between(var, target)}{where}"
        if many:
            text = (
                f"COLLECT {{ {match} WITH DISTINCT {target} ORDER BY {target}.id RETURN {inner.text} AS r }}"
            )
            return Printed(text, finish_list(inner.finish))
        text = f"COLLECT {{ {match} WITH {target} ORDER BY {target}.id LIMIT 1 RETURN {inner.text} AS r }}[0]"
        return Printed(text, inner.finish)

    # -- derived shapes --------------------------------------------------------------------

    def _is_government(self, entity: Entity, var: str, f: Field) -> Printed:
        return Printed(f"{var}.kind IN {self.ctx.param(sorted(domain.GOVERNMENT_KINDS))}")

    def _fusion_center(self, entity: Entity, var: str, f: Field) -> Printed:
        entries: list[tuple[str, Printed]] = []
        for sub in f.of("FusionCenter").values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'FusionCenter'")))
            elif sub.name == "type":
                entries.append((sub.response, Printed(f"{var}.fusionCenterType")))
            elif sub.name == "serves":
                entries.append((sub.response, self.follow(entity.relations["serves"], var, sub, many=True)))
            else:
                raise NotCompilable(f"FusionCenter.{sub.name}")
        value = map_of(entries)
        text = f"CASE WHEN {var}.fusionCenterType IS NULL THEN null ELSE {value.text} END"
        return Printed(text, value.finish)

    def link(
        self,
        kind: Link,
        fields: Fields,
        start: str,
        link: str,
        end: str,
        derived: dict[str, Callable[[Field], Printed]] | None = None,
    ) -> Printed:
        """A relationship record (a membership, a subscription, an audience): its properties,
        the record it starts from, and the one it leads to. When it may lead to records of
        several kinds, each field of those is null unless the end is of its kind. `derived`
        answers the fields that are none of these."""
        entries: list[tuple[str, Printed]] = []
        start_field, start_type = kind.start
        for sub in fields.values():
            projection = kind.fields.get(sub.name)
            if derived and sub.name in derived:
                entries.append((sub.response, derived[sub.name](sub)))
            elif sub.name == "__typename":
                entries.append((sub.response, Printed(f"'{kind.name}'")))
            elif isinstance(projection, Prop):
                entries.append((sub.response, read(link, projection)))
            elif sub.name == start_field:
                entries.append((sub.response, self.record(start_type, start, sub.of(start_type))))
            elif sub.name in kind.ends:
                end_type = kind.ends[sub.name]
                inner = self.record(end_type, end, sub.of(end_type))
                if len(kind.ends) > 1:
                    inner = Printed(
                        f"CASE WHEN {labelled(end, end_type)} THEN {inner.text} END", inner.finish
                    )
                entries.append((sub.response, inner))
            else:
                raise NotCompilable(f"{kind.name}.{sub.name}")
        return map_of(entries)

    def membership(self, fields: Fields, partner: str, council: str, link: str) -> Printed:
        return self.link(MEMBERSHIP, fields, partner, link, council)

    def _memberships(self, entity: Entity, var: str, f: Field) -> Printed:
        council, link = self.ctx.var(), self.ctx.var("r")
        item = self.membership(f.of(MEMBERSHIP.name), var, council, link)
        text = (
            f"COLLECT {{ MATCH {MEMBERSHIP.pattern(var, link, labelled(council, 'Council'))} "
            f"WITH {link}, {council} ORDER BY {council}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _members(self, entity: Entity, var: str, f: Field) -> Printed:
        partner, link = self.ctx.var(), self.ctx.var("r")
        item = self.membership(f.of(MEMBERSHIP.name), partner, var, link)
        text = (
            f"COLLECT {{ MATCH {MEMBERSHIP.pattern(labelled(partner, 'Partner'), link, var)} "
            f"WITH {link}, {partner} ORDER BY {partner}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def subscription(self, fields: Fields, partner: str, link: str, target: str) -> Printed:
        return self.link(SUBSCRIPTION, fields, partner, link, target)

    def _subscriptions(self, entity: Entity, var: str, f: Field) -> Printed:
        target, link = self.ctx.var(), self.ctx.var("r")
        item = self.subscription(f.of(SUBSCRIPTION.name), var, link, target)
        # Topic subscriptions first (by topic id), then sector ones: nulls sort last.
        order = ", ".join(
            f"CASE WHEN {labelled(target, kind)} THEN {target}.id END" for kind in SUBSCRIPTION.ends.values()
        )
        text = (
            f"COLLECT {{ MATCH {SUBSCRIPTION.pattern(var, link, target)} "
            f"WITH {link}, {target} ORDER BY {order} RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _contacts(self, entity: Entity, var: str, f: Field) -> Printed:
        # Contact details are personal: a PARTNER user sees only its own organisation's.
        contact = self.ctx.var()
        visible = access.contact_visibility(self.ctx.principal, var)
        guard = ""
        if visible is not None:
            self.ctx.shared(visible)
            guard = f" WHERE {visible.text}"
        relation = entity.link("contacts")
        item = self.record(relation.target, contact, f.of(relation.target))
        text = (
            f"COLLECT {{ MATCH {relation.between(var, contact)}{guard} "
            f"WITH {contact} ORDER BY {contact}.name, {contact}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _audience(self, entity: Entity, var: str, f: Field) -> Printed:
        target = self.ctx.var()
        # The partner kinds narrow a sector's audience; a council's is all its members.
        council = labelled(target, "Council")
        kinds = Printed(f"CASE WHEN {council} THEN [] ELSE coalesce({var}.audiencePartnerKinds, []) END")
        fields = f.of(REQUIREMENT_AUDIENCE.name)
        value = self.link(REQUIREMENT_AUDIENCE, fields, var, "", target, {"partnerKinds": lambda _: kinds})
        text = (
            f"COLLECT {{ MATCH {REQUIREMENT_AUDIENCE.pattern(var, '', target)} RETURN {value.text} AS r }}[0]"
        )
        return Printed(text, value.finish)

    # -- reports ---------------------------------------------------------------------------

    def _source_report(self, entity: Entity, var: str, f: Field) -> Printed:
        """The report a product came from, only if this user may see the report."""
        report = self.ctx.var()
        visible = access.report_visibility(self.ctx.principal, report)
        self.ctx.shared(visible)
        relation = entity.link("sourceReport")
        item = self.record(relation.target, report, f.of(relation.target))
        text = (
            f"COLLECT {{ MATCH {relation.between(var, report)} WHERE {visible.text} "
            f"RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _reported_by(self, entity: Entity, var: str, f: Field) -> Printed:
        """The submitting organisation, only when the reviewer chose to name it."""
        partner = self.ctx.var()
        relation = entity.link("reportedBy")
        item = self.record(relation.target, partner, f.of(relation.target))
        text = (
            f"COLLECT {{ MATCH {relation.between(var, partner)} "
            f"WHERE coalesce({var}.revealSubmitter, false) RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _report_product(self, entity: Entity, var: str, f: Field) -> Printed:
        product = self.ctx.var()
        visible = access.product_visibility(self.ctx.principal, product)
        guard = ""
        if visible is not None:
            self.ctx.shared(visible)
            guard = f" WHERE ({visible.text})"
        relation = entity.link("product")
        item = self.record(relation.target, product, f.of(relation.target))
        text = (
            f"COLLECT {{ MATCH {relation.between(var, product)}{guard} RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _routes(self, entity: Entity, var: str, f: Field) -> Printed:
        route, partner, reason = self.ctx.var("r"), self.ctx.var(), self.ctx.var("x")
        item = self.link(
            ROUTE,
            f.of(ROUTE.name),
            var,
            route,
            partner,
            {"reasons": lambda sub: self._reasons(route, reason, sub)},
        )
        text = (
            f"COLLECT {{ MATCH {ROUTE.pattern(var, route, labelled(partner, ROUTE.ends['partner']))} "
            f"WITH {route}, {partner} ORDER BY {partner}.name, {partner}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _reasons(self, route: str, reason: str, f: Field) -> Printed:
        """A route's reasons, kept on it as `source|ref` text."""
        parts: list[tuple[str, Printed]] = []
        for leaf in f.of("RouteReason").values():
            if leaf.name == "__typename":
                parts.append((leaf.response, Printed("'RouteReason'")))
            elif leaf.name == "source":
                parts.append((leaf.response, Printed(f"split({reason}, '|')[0]")))
            elif leaf.name == "ref":
                ref = f"split({reason}, '|')[1]"
                parts.append((leaf.response, Printed(f"CASE WHEN {ref} = '' THEN null ELSE {ref} END")))
            else:
                raise NotCompilable(f"RouteReason.{leaf.name}")
        reasons = ROUTE.fields["reasons"]
        assert isinstance(reasons, Prop)
        return Printed(f"[{reason} IN {read(route, reasons).text} | {map_of(parts).text}]")

    def _history(self, entity: Entity, var: str, f: Field) -> Printed:
        return Printed(f"{var}.history", _history(f.of("ReportStep")))


_STEP_FIELDS = ("at", "by", "state", "note")


def _history(fields: Fields) -> Callable[[Any], Any]:
    """A report's steps are kept as JSON text; the selected fields are read from it here."""
    for sub in fields.values():
        if sub.name not in (*_STEP_FIELDS, "__typename"):
            raise NotCompilable(f"ReportStep.{sub.name}")
    chosen = [(sub.response, sub.name) for sub in fields.values()]

    def finish(values: Any) -> Any:
        steps = [json.loads(v) for v in values or []]
        return [
            {response: "ReportStep" if name == "__typename" else step[name] for response, name in chosen}
            for step in steps
        ]

    return finish
