"""Root fields of the directory and products, each printed as one Cypher expression.

Root lists are keyset-paged connections (or whole reference lists); single records are looked
up by id. The access rules join the statement as predicates from `rules/access.py`: a PARTNER
user's products and contacts are narrowed inside the query, never afterwards. Search and the
relationship lists (memberships, subscriptions) keep their offset cursors.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph_api.compiler.context import Printed, finish_list, map_of
from graph_api.compiler.pagination import Offsets, Source, connection, keyset_connection, plain
from graph_api.compiler.plan import Field, NotCompilable
from graph_api.compiler.projection import Projector, labelled
from graph_api.compiler.references import references, representation
from graph_api.domain.entities import ENTITIES, MEMBERSHIP, SUBSCRIPTION, Label, RelType
from graph_api.rules import access
from graph_api.rules.search import SEARCHABLE_LABELS, lucene_query, not_partners
from graph_api.store.filters import compile_sort
from graph_api.store.paging import window_of

# Root connections: field → entity (their sort and filters come from the entity model).
ROOT_CONNECTIONS = {
    "partners": "Partner",
    "councils": "Council",
    "products": "InformationProduct",
    "contacts": "Contact",
    "requirements": "Requirement",
    "sectorsConnection": "Sector",
    "regionsConnection": "Region",
    "topicsConnection": "Topic",
}
ROOT_LISTS = {"sectors": "Sector", "regions": "Region", "topics": "Topic"}
ROOT_RECORDS = {
    "sector": "Sector",
    "region": "Region",
    "partner": "Partner",
    "council": "Council",
    "product": "InformationProduct",
    "topic": "Topic",
    "requirement": "Requirement",
    "contact": "Contact",
}
FEDERATED = ("Sector", "Region", "Partner", "Council", "InformationProduct")


class Roots:
    def __init__(self, projector: Projector) -> None:
        self.projector = projector
        self.ctx = projector.ctx
        self.special: dict[str, Callable[[Field], Printed]] = {
            "search": self._search,
            "memberships": self._memberships,
            "subscriptions": self._subscriptions,
            "_entities": self._entities,
            "_service": self._service,
            "sharedMemberships": self._shared_memberships,
            "report": self._report,
        }

    def field(self, f: Field) -> Printed:
        if f.name == "__typename":
            return Printed("'Query'")
        if f.name in ROOT_CONNECTIONS:
            entity = ROOT_CONNECTIONS[f.name]
            x = self.ctx.var()
            return keyset_connection(
                self.ctx,
                self.projector.record,
                f,
                Source(entity, x, f"MATCH ({x}:{ENTITIES[entity].label})", self.guard(entity, x)),
            )
        if f.name in ROOT_LISTS:
            return self._list(f, ROOT_LISTS[f.name])
        if f.name in ROOT_RECORDS:
            return self._record(f, ROOT_RECORDS[f.name])
        if f.name in self.special:
            return self.special[f.name](f)
        raise NotCompilable(f"Query.{f.name}")

    def guard(self, entity: str, var: str) -> str | None:
        """The access rule a record of `entity` bound to `var` must meet for this user."""
        if entity == "InformationProduct":
            visible = access.product_visibility(self.ctx.principal, var)
        elif entity == "Report":
            visible = access.report_visibility(self.ctx.principal, var)
        elif entity == "Contact":
            partner = self.ctx.var()
            visible = access.contact_visibility(self.ctx.principal, partner)
            if visible is not None:
                self.ctx.shared(visible)
                works_for = ENTITIES[entity].relations["partner"].between(var, partner)
                return f"EXISTS {{ MATCH {works_for} WHERE {visible.text} }}"
        else:
            visible = None
        if visible is None:
            return None
        self.ctx.shared(visible)
        return f"({visible.text})"

    def _report(self, f: Field) -> Printed:
        """A report by id, only if this user may see it."""
        x = self.ctx.var()
        visible = access.report_visibility(self.ctx.principal, x)
        self.ctx.shared(visible)
        item = self.projector.record("Report", x, f.of("Report"))
        wanted = self.ctx.param(str(f.arguments(self.ctx.variables)["id"]))
        text = (
            f"COLLECT {{ MATCH ({labelled(x, 'Report')} {{id: {wanted}}}) WHERE {visible.text} "
            f"RETURN {item.text} AS r LIMIT 1 }}[0]"
        )
        return Printed(text, item.finish)

    def _where(self, entity: str, var: str) -> str:
        guard = self.guard(entity, var)
        return "" if guard is None else f" WHERE {guard}"

    def _list(self, f: Field, entity: str) -> Printed:
        args = f.arguments(self.ctx.variables)
        x = self.ctx.var()
        predicate = self.ctx.where(entity, plain(args.get("where")), x)
        order = compile_sort(entity, plain(args.get("sort")), x)
        item = self.projector.record(entity, x, f.of(entity))
        label = ENTITIES[entity].label
        text = (
            f"COLLECT {{ MATCH ({x}:{label}) WHERE {predicate} WITH {x} ORDER BY {order} "
            f"RETURN {item.text} AS r }}"
        )
        return Printed(text, finish_list(item.finish))

    def _one(self, entity: str, match: str, x: str, f: Field, type_name: str | None = None) -> Printed:
        item = self.projector.record(entity, x, f.of(type_name or entity))
        return Printed(
            f"COLLECT {{ {match}{self._where(entity, x)} RETURN {item.text} AS r LIMIT 1 }}[0]", item.finish
        )

    def _record(self, f: Field, entity: str) -> Printed:
        record_id = self.ctx.param(str(f.arguments(self.ctx.variables)["id"]))
        label = ENTITIES[entity].label
        x = self.ctx.var()
        found = self._one(entity, f"MATCH ({x}:{label} {{id: {record_id}}})", x, f)
        if entity != "Partner":
            return found
        # The id of a partner merged into another answers the other.
        alias = f"(:{Label.PARTNER_ALIAS} {{id: {record_id}}})-[:{RelType.ALIAS_OF}]->({x}:{label})"
        merged = self._one(entity, f"MATCH {alias}", x, f)
        return Printed(f"coalesce({found.text}, {merged.text})", found.finish)

    def _entities(self, f: Field) -> Printed:
        given = f.arguments(self.ctx.variables)["representations"]
        refs = [representation(i, value, FEDERATED) for i, value in enumerate(given)]
        return references(self.projector, self.guard, [(r, f.of(r.type_name)) for r in refs])

    def _service(self, f: Field) -> Printed:
        if self.ctx.sdl is None:
            raise NotCompilable("Query._service")
        entries: list[tuple[str, Printed]] = []
        for sub in f.of("_Service").values():
            value = "'_Service'" if sub.name == "__typename" else self.ctx.param(self.ctx.sdl)
            entries.append((sub.response, Printed(value)))
        return map_of(entries)

    def _shared_memberships(self, f: Field) -> Printed:
        """The councils both partners sit on and the sectors both work in, by id."""
        args = f.arguments(self.ctx.variables)
        a_id, b_id = str(args["a"]), str(args["b"])
        a, b = self.ctx.param(a_id), self.ctx.param(b_id)
        of_a, of_b = (f"(:{ENTITIES['Partner'].label} {{id: {p}}})" for p in (a, b))
        entries: list[tuple[str, Printed]] = []
        for sub in f.of("SharedMemberships").values():
            if sub.name == "__typename":
                entries.append((sub.response, Printed("'SharedMemberships'")))
                continue
            # The partner's own relation of the same name: its councils, its sectors.
            relation = ENTITIES["Partner"].relations[sub.name]
            target, link = relation.target, relation.type
            x = self.ctx.var()
            item = self.projector.record(target, x, sub.of(target))
            text = (
                f"COLLECT {{ MATCH {of_a}-[:{link}]->({labelled(x, target)})"
                f"<-[:{link}]-{of_b} WITH {x} ORDER BY {x}.id RETURN {item.text} AS r }}"
            )
            entries.append((sub.response, Printed(text, finish_list(item.finish))))
        value = map_of(entries)
        both = f"EXISTS {{ MATCH {of_a} }} AND EXISTS {{ MATCH {of_b} }}"
        inner = value.finish

        def finish(found: Any) -> Any:
            if found is None:
                raise not_partners(a_id, b_id)
            return found if inner is None else inner(found)

        return Printed(f"CASE WHEN {both} THEN {value.text} END", finish)

    # -- offset-paged lists ------------------------------------------------------------------

    def _search(self, f: Field) -> Printed:
        ctx = self.ctx
        args = f.arguments(ctx.variables)
        query = ctx.param(lucene_query(args["text"]))
        offset, first = window_of(args.get("first"), args.get("after")).forward()
        size = first or 0
        node, hits, bounds, index = ctx.var("node"), ctx.var("hits"), ctx.var("w"), ctx.var("i")
        visible = access.product_visibility(ctx.principal, node)
        conditions: list[str] = []
        if visible is not None:
            ctx.shared(visible)
            conditions.append(f"(NOT {labelled(node, 'InformationProduct')} OR ({visible.text}))")
        if args.get("only") is not None:
            # The schema's SearchKind values are labels; the allow-list still decides what is printed.
            # An empty list matches nothing, as the resolver's does.
            labels = [label for label in SEARCHABLE_LABELS if label in {k.value for k in args["only"]}]
            conditions.append("(" + (" OR ".join(labelled(node, label) for label in labels) or "false") + ")")
        guard = _where(conditions)
        matches = (
            f"CALL db.index.fulltext.queryNodes('name_search', {query}) YIELD node AS {node}, score{guard}"
        )
        start = ctx.param(offset)
        limit = ctx.param(size)

        def page_of(f_nodes: Field) -> Printed:
            cases: list[str] = []
            for name in SEARCHABLE_LABELS:
                projected = self.projector.record(name, node, f_nodes.of(name))
                if projected.finish is not None:
                    raise NotCompilable("a search hit with nested connections")
                cases.append(f"WHEN {labelled(node, name)} THEN {projected.text}")
            text = (
                f"COLLECT {{ UNWIND range({bounds}[0], {bounds}[1] - 1) AS {index} "
                f"MATCH ({node}) WHERE elementId({node}) = {hits}[{index}] "
                f"RETURN {{k: {start} + {index}, v: CASE {' '.join(cases)} END}} AS r }}"
            )
            return Printed(text)

        body = connection(
            f,
            Offsets(
                page_of,
                has_next=f"size({hits}) > {limit}",
                has_previous=f"{start} > 0",
                total=f"COUNT {{ {matches} RETURN {node} }}",
            ),
        )
        fetched = (
            f"COLLECT {{ {matches} WITH {node}, score ORDER BY score DESC, {node}.id "
            f"SKIP {start} LIMIT {ctx.param(size + 1)} RETURN elementId({node}) }}"
        )
        stop = f"CASE WHEN size({hits}) > {limit} THEN {limit} ELSE size({hits}) END"
        text = f"[{hits} IN [{fetched}] | [{bounds} IN [[0, {stop}]] | {body.text}][0]][0]"
        return Printed(text, body.finish)

    def _memberships(self, f: Field) -> Printed:
        args = f.arguments(self.ctx.variables)
        partner, link, council = self.ctx.var(), self.ctx.var("r"), self.ctx.var()
        conditions = []
        if args.get("partner") is not None:
            conditions.append(f"{partner}.id = {self.ctx.param(str(args['partner']))}")
        if args.get("council") is not None:
            conditions.append(f"{council}.id = {self.ctx.param(str(args['council']))}")
        if args.get("role") is not None:
            conditions.append(f"{link}.role = {self.ctx.param(plain(args['role']))}")
        (council_type,) = MEMBERSHIP.ends.values()
        pattern = MEMBERSHIP.pattern(
            labelled(partner, MEMBERSHIP.start[1]), link, labelled(council, council_type)
        )
        match = f"MATCH {pattern}{_where(conditions)}"
        order = f"{council}.name, {council}.id, {partner}.name, {partner}.id"
        return self._relationship_page(
            f,
            args,
            match,
            order,
            [partner, link, council],
            lambda fields: self.projector.membership(fields, partner, council, link),
        )

    def _subscriptions(self, f: Field) -> Printed:
        args = f.arguments(self.ctx.variables)
        partner, link, target = self.ctx.var(), self.ctx.var("r"), self.ctx.var()
        conditions = []
        if args.get("partner") is not None:
            conditions.append(f"{partner}.id = {self.ctx.param(str(args['partner']))}")
        for name, kind in SUBSCRIPTION.ends.items():
            if args.get(name) is not None:
                wanted = self.ctx.param(str(args[name]))
                conditions.append(f"({labelled(target, kind)} AND {target}.id = {wanted})")
        pattern = SUBSCRIPTION.pattern(labelled(partner, SUBSCRIPTION.start[1]), link, target)
        match = f"MATCH {pattern}{_where(conditions)}"
        order = f"{partner}.name, {partner}.id, {target}.id"
        return self._relationship_page(
            f,
            args,
            match,
            order,
            [partner, link, target],
            lambda fields: self.projector.subscription(fields, partner, link, target),
        )

    def _relationship_page(
        self,
        f: Field,
        args: dict[str, Any],
        match: str,
        order: str,
        variables: list[str],
        project: Callable[[dict[str, Field]], Printed],
    ) -> Printed:
        """A window of a list of relationships (which have no ids), by offsets as the
        resolvers count them: the ordered list of relationship ids is collected, then sliced,
        and the page's relationships are found again by id."""
        ctx = self.ctx
        window = window_of(args.get("first"), args.get("after"), args.get("last"), args.get("before"))
        rows, bounds, index = ctx.var("rows"), ctx.var("w"), ctx.var("i")
        total = f"size({rows})"
        low = ctx.param(0 if window.after is None else window.after + 1)
        high = total
        if window.before is not None:
            before = ctx.param(window.before)
            high = f"CASE WHEN {before} > {total} THEN {total} ELSE {before} END"
        high = f"CASE WHEN {high} < {low} THEN {low} ELSE {high} END"
        stop = high
        if window.first is not None:
            first = ctx.param(window.first)
            stop = f"CASE WHEN {low} + {first} > {high} THEN {high} ELSE {low} + {first} END"
        start = low
        if window.last is not None:
            last = ctx.param(window.last)
            start = f"CASE WHEN {stop} - {last} < {low} THEN {low} ELSE {stop} - {last} END"
        start_node, link, end_node = variables

        def page_of(f_nodes: Field) -> Printed:
            item = project(f_nodes.of(f_nodes.type_name))
            text = (
                f"COLLECT {{ UNWIND range({bounds}[0], {bounds}[1] - 1) AS {index} "
                f"MATCH ({start_node})-[{link}]->({end_node}) WHERE elementId({link}) = {rows}[{index}] "
                f"RETURN {{k: {index}, v: {item.text}}} AS r }}"
            )
            return Printed(text, item.finish)

        body = connection(
            f,
            Offsets(page_of, has_next=f"{bounds}[1] < {total}", has_previous=f"{bounds}[0] > 0", total=total),
        )
        listed = ", ".join(variables)
        fetched = f"COLLECT {{ {match} WITH {listed} ORDER BY {order} RETURN elementId({link}) AS r }}"
        text = f"[{rows} IN [{fetched}] | [{bounds} IN [[{start}, {stop}]] | {body.text}][0]][0]"
        return Printed(text, body.finish)


def _where(conditions: list[str]) -> str:
    return " WHERE " + " AND ".join(conditions) if conditions else ""
