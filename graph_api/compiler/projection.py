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
from graph_api.domain.entities import ENTITIES, Derived, Entity, Follow, Prop, Relation, Timestamp
from graph_api.rules import access

Fields = dict[str, Field]


def literal(value: bool | list[str] | None) -> str:
    """Cypher text of a fixed default (never input)."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    assert value == [], value
    return "[]"


def pattern_between(relation: Relation, source: str, target: str) -> str:
    return relation.pattern.replace("(n)", f"({source})").replace("(m:", f"({target}:")


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
        }

    # -- records ---------------------------------------------------------------------------

    def record(self, type_name: str, var: str, fields: Fields) -> Printed:
        entity = ENTITIES.get(type_name)
        if entity is None:
            raise NotCompilable(type_name)
        return map_of([(f.response, self.field(entity, var, f)) for f in fields.values()])

    def field(self, entity: Entity, var: str, f: Field) -> Printed:
        if f.name == "__typename":
            return Printed(f"'{entity.name}'")
        projection = entity.fields.get(f.name)
        if isinstance(projection, Prop):
            read = f"{var}.{projection.prop}"
            if projection.default is None:
                return Printed(read)
            return Printed(f"coalesce({read}, {literal(projection.default)})")
        if isinstance(projection, Timestamp):
            return Printed(f"toString({var}.{projection.prop})")
        if isinstance(projection, Follow):
            return self.follow(entity.link(projection.relation), var, f, many=projection.many)
        if isinstance(projection, Derived):
            return self.derived[projection.rule](entity, var, f)
        relation = f.name.removesuffix("Connection")
        if f.name.endswith("Connection") and relation in entity.connections:
            link = entity.relations[relation]
            target = self.ctx.var()
            source = Source(link.target, target, f"MATCH {pattern_between(link, var, target)}")
            return keyset_connection(self.ctx, self.record, f, source)
        raise NotCompilable(f"{entity.name}.{f.name}")

    def follow(self, relation: Relation, var: str, f: Field, *, many: bool, where: str = "") -> Printed:
        """Related records ordered by id (the order of the record's own lists), or the one."""
        target = self.ctx.var()
        inner = self.record(relation.target, target, f.of(relation.target))
        match = f"MATCH {pattern_between(relation, var, target)}{where}"
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

    def membership(self, fields: Fields, partner: str, council: str, link: str) -> Printed:
        entries: list[tuple[str, Printed]] = []
        for sub in fields.values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'Membership'")))
            elif sub.name == "role":
                entries.append((sub.response, Printed(f"coalesce({link}.role, 'MEMBER')")))
            elif sub.name == "version":
                entries.append((sub.response, Printed(f"{link}.version")))
            elif sub.name == "council":
                entries.append((sub.response, self.record("Council", council, sub.of("Council"))))
            elif sub.name == "partner":
                entries.append((sub.response, self.record("Partner", partner, sub.of("Partner"))))
            else:
                raise NotCompilable(f"Membership.{sub.name}")
        return map_of(entries)

    def _memberships(self, entity: Entity, var: str, f: Field) -> Printed:
        council, link = self.ctx.var(), self.ctx.var("r")
        item = self.membership(f.of("Membership"), var, council, link)
        text = (
            f"COLLECT {{ MATCH ({var})-[{link}:MEMBER_OF]->({council}:Council) "
            f"WITH {link}, {council} ORDER BY {council}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _members(self, entity: Entity, var: str, f: Field) -> Printed:
        partner, link = self.ctx.var(), self.ctx.var("r")
        item = self.membership(f.of("Membership"), partner, var, link)
        text = (
            f"COLLECT {{ MATCH ({partner}:Partner)-[{link}:MEMBER_OF]->({var}) "
            f"WITH {link}, {partner} ORDER BY {partner}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def subscription(self, fields: Fields, partner: str, link: str, target: str) -> Printed:
        entries: list[tuple[str, Printed]] = []
        for sub in fields.values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'PartnerSubscription'")))
            elif sub.name == "minSeverity":
                entries.append((sub.response, Printed(f"{link}.minSeverity")))
            elif sub.name == "delivery":
                entries.append((sub.response, Printed(f"coalesce({link}.delivery, 'IMMEDIATE')")))
            elif sub.name == "version":
                entries.append((sub.response, Printed(f"{link}.version")))
            elif sub.name == "partner":
                entries.append((sub.response, self.record("Partner", partner, sub.of("Partner"))))
            elif sub.name in ("topic", "sector"):
                label = "Topic" if sub.name == "topic" else "Sector"
                inner = self.record(label, target, sub.of(label))
                entries.append(
                    (sub.response, Printed(f"CASE WHEN {target}:{label} THEN {inner.text} END", inner.finish))
                )
            else:
                raise NotCompilable(f"PartnerSubscription.{sub.name}")
        return map_of(entries)

    def _subscriptions(self, entity: Entity, var: str, f: Field) -> Printed:
        target, link = self.ctx.var(), self.ctx.var("r")
        item = self.subscription(f.of("PartnerSubscription"), var, link, target)
        # Topic subscriptions first (by topic id), then sector ones: nulls sort last.
        text = (
            f"COLLECT {{ MATCH ({var})-[{link}:SUBSCRIBES_TO]->({target}) "
            f"WITH {link}, {target} ORDER BY CASE WHEN {target}:Topic THEN {target}.id END, "
            f"CASE WHEN {target}:Sector THEN {target}.id END RETURN {item.text} AS r }}"
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
        item = self.record("Contact", contact, f.of("Contact"))
        text = (
            f"COLLECT {{ MATCH ({contact}:Contact)-[:WORKS_FOR]->({var}){guard} "
            f"WITH {contact} ORDER BY {contact}.name, {contact}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _audience(self, entity: Entity, var: str, f: Field) -> Printed:
        target = self.ctx.var()
        entries: list[tuple[str, Printed]] = []
        for sub in f.of("RequirementAudience").values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'RequirementAudience'")))
            elif sub.name == "partnerKinds":
                kinds = (
                    f"CASE WHEN {target}:Council THEN [] ELSE coalesce({var}.audiencePartnerKinds, []) END"
                )
                entries.append((sub.response, Printed(kinds)))
            elif sub.name in ("council", "sector"):
                label = "Council" if sub.name == "council" else "Sector"
                inner = self.record(label, target, sub.of(label))
                entries.append(
                    (sub.response, Printed(f"CASE WHEN {target}:{label} THEN {inner.text} END", inner.finish))
                )
            else:
                raise NotCompilable(f"RequirementAudience.{sub.name}")
        value = map_of(entries)
        text = f"COLLECT {{ MATCH ({var})-[:AUDIENCE]->({target}) RETURN {value.text} AS r }}[0]"
        return Printed(text, value.finish)

    # -- reports ---------------------------------------------------------------------------

    def _source_report(self, entity: Entity, var: str, f: Field) -> Printed:
        """The report a product came from, only if this user may see the report."""
        report = self.ctx.var()
        visible = access.report_visibility(self.ctx.principal, report)
        self.ctx.shared(visible)
        item = self.report(report, f.of("Report"))
        text = (
            f"COLLECT {{ MATCH ({var})-[:FROM_REPORT]->({report}:Report) WHERE {visible.text} "
            f"RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _reported_by(self, entity: Entity, var: str, f: Field) -> Printed:
        """The submitting organisation, only when the reviewer chose to name it."""
        partner = self.ctx.var()
        item = self.record("Partner", partner, f.of("Partner"))
        text = (
            f"COLLECT {{ MATCH ({var})-[:FROM_REPORT]->(:Report)-[:SUBMITTED_BY]->({partner}:Partner) "
            f"WHERE coalesce({var}.revealSubmitter, false) RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def report(self, var: str, fields: Fields) -> Printed:
        entries: list[tuple[str, Printed]] = []
        for sub in fields.values():
            name = sub.name
            if name == "__typename":
                entries.append((sub.response, Printed("'Report'")))
            elif name in REPORT_PROPERTIES:
                entries.append((sub.response, Printed(f"{var}.{name}")))
            elif name in ("observedAt", "submittedAt"):
                entries.append((sub.response, Printed(f"toString({var}.{name})")))
            elif name == "submitter":
                relation = Relation("Partner", "(n)-[:SUBMITTED_BY]->(m:Partner)")
                entries.append((sub.response, self.follow(relation, var, sub, many=False)))
            elif name in ("sectors", "regions"):
                label = "Sector" if name == "sectors" else "Region"
                relation = Relation(label, f"(n)-[:REPORT_{label.upper()}]->(m:{label})")
                entries.append((sub.response, self.follow(relation, var, sub, many=True)))
            elif name == "product":
                entries.append((sub.response, self._report_product(var, sub)))
            elif name == "routedTo":
                entries.append((sub.response, self._routes(var, sub)))
            elif name == "history":
                entries.append((sub.response, Printed(f"{var}.history", _history(sub.of("ReportStep")))))
            else:
                raise NotCompilable(f"Report.{name}")
        return map_of(entries)

    def _report_product(self, var: str, f: Field) -> Printed:
        product = self.ctx.var()
        visible = access.product_visibility(self.ctx.principal, product)
        guard = ""
        if visible is not None:
            self.ctx.shared(visible)
            guard = f" WHERE ({visible.text})"
        item = self.record("InformationProduct", product, f.of("InformationProduct"))
        text = (
            f"COLLECT {{ MATCH ({product}:InformationProduct)-[:FROM_REPORT]->({var}){guard} "
            f"RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _routes(self, var: str, f: Field) -> Printed:
        route, partner, reason = self.ctx.var("r"), self.ctx.var(), self.ctx.var("x")
        entries: list[tuple[str, Printed]] = []
        for sub in f.of("Route").values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'Route'")))
            elif sub.name == "partner":
                entries.append((sub.response, self.record("Partner", partner, sub.of("Partner"))))
            elif sub.name == "reasons":
                parts: list[tuple[str, Printed]] = []
                for leaf in sub.of("RouteReason").values():
                    if leaf.name == "__typename":
                        parts.append((leaf.response, Printed("'RouteReason'")))
                    elif leaf.name == "source":
                        parts.append((leaf.response, Printed(f"split({reason}, '|')[0]")))
                    elif leaf.name == "ref":
                        ref = f"split({reason}, '|')[1]"
                        parts.append(
                            (leaf.response, Printed(f"CASE WHEN {ref} = '' THEN null ELSE {ref} END"))
                        )
                    else:
                        raise NotCompilable(f"RouteReason.{leaf.name}")
                reasons = map_of(parts)
                entries.append((sub.response, Printed(f"[{reason} IN {route}.reasons | {reasons.text}]")))
            else:
                raise NotCompilable(f"Route.{sub.name}")
        item = map_of(entries)
        text = (
            f"COLLECT {{ MATCH ({var})-[{route}:ROUTED_TO]->({partner}:Partner) "
            f"WITH {route}, {partner} ORDER BY {partner}.name, {partner}.id RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))


# Report fields read straight from the node.
REPORT_PROPERTIES = ("id", "title", "summary", "kind", "tlp", "state", "pciiStatus", "submittedBy", "version")
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
