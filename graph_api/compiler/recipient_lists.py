"""Recipient lists answered without graphql-core's per-field execution.

`recipients` and `previewRecipients` are domain operations: their lists are resolved in Python
(`rules/recipients.py`), under the same access rule and audit entry as their resolvers. What a
national list costs over GraphQL is the shaping of 90,000 entries field by field; here the
operation is planned once (`plan.py`: fragments merged, `@include`/`@skip` decided) and each
list is shaped straight from the plan into plain dicts, in one pass over the entries asked for.
Counts, narrowing and pages work on the resolution's rows; entries are made only for the rows an
answer shows.

A list entry's partner is answered from the list when only id, name and kind are asked; any other
field of it is read for every partner of the answer at once, in one Cypher statement printed by
the query compiler's projection. Whatever this module does not know (a product's relations, a
field added to the schema later) sends the whole operation to the resolvers, before anything
runs.
"""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, LiteralString, cast

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLSchema,
    InlineFragmentNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
)
from graphql.execution.values import VariableValues, get_variable_values

from graph_api.compiler.context import CypherContext, Finish
from graph_api.compiler.pagination import connection
from graph_api.compiler.plan import Field, NotCompilable, Planner, operation_of
from graph_api.compiler.projection import Projector, labelled
from graph_api.compiler.translate import Answer, AnswerError
from graph_api.errors import ServiceError
from graph_api.identity import Principal
from graph_api.rules import access, onward
from graph_api.rules import recipients as recipient_rules
from graph_api.rules.audit import audited
from graph_api.rules.recipients import CandidateRow
from graph_api.store.database import Database, Record
from graph_api.store.paging import encode_cursor, window_of

ROOTS = frozenset({"recipients", "previewRecipients", "onwardRecipients"})
# What a list already holds of each partner on it: its place in a candidate row.
LISTED_PARTNER_FIELDS = {"id": 0, "name": 1, "kind": 2}
# Product fields read from the list's own product record (a draft's is in no database).
PRODUCT_FIELDS = {
    "id": "id",
    "title": "title",
    "kind": "kind",
    "level": "level",
    "severity": "severity",
    "tlp": "tlp",
    "pcii": "pcii",
    "publishedAt": "publishedAt",
    "illustrative": "illustrative",
    "summary": "summary",
    "link": "link",
    "version": "version",
}
CONTACT_FIELDS = frozenset({"id", "name", "email", "pciiAuthorized", "channels", "active", "version"})
# Contact fields answered with the contact's own value (its channels are a list of its own).
PLAIN_CONTACT_FIELDS = CONTACT_FIELDS - {"channels"}
SUMMARY_COUNTS = frozenset({"recipients", "contacts", "excluded"})
# Summary breakdowns: field → (the rule's count map, the key's field name).
BREAKDOWNS = {
    "byReasonSource": ("by_reason_source", "source"),
    "byPartnerKind": ("by_partner_kind", "kind"),
    "byChannel": ("by_channel", "channel"),
    "byExclusionReason": ("by_exclusion_reason", "reason"),
}

# Entries shaped between two turns of the event loop: a couple of milliseconds' work.
SHAPED_PER_TURN = 200
Json = dict[str, Any]
Shape = Callable[[Any], Any]


class Refused(Exception):
    """A rule refused part of the operation: the error goes to the field at `path`."""

    def __init__(self, error: ServiceError, node: FieldNode, path: list[str | int]) -> None:
        super().__init__(str(error))
        self.error, self.node, self.path = error, node, path


@dataclass
class PartnerReads:
    """The partner selections that need more than the list holds: one projection each, and
    the partners the answer's entries name, read for all of them in one statement."""

    ctx: CypherContext
    projections: list[tuple[str, Finish]] = field(default_factory=list)
    wanted: list[dict[str, Json]] = field(default_factory=list)  # per projection: id → slot

    def add(self, fields: dict[str, Field]) -> int:
        var = self.ctx.var("x")
        printed = Projector(self.ctx).record("Partner", var, fields)
        partner = labelled(var, "Partner")
        text = (
            f"COLLECT {{ UNWIND $partners{len(self.projections)} AS pid MATCH ({partner} {{id: pid}}) "
            f"RETURN {{k: pid, v: {printed.text}}} AS r }}"
        )
        self.projections.append((text, printed.finish))
        self.wanted.append({})
        return len(self.projections) - 1

    def slot(self, projection: int, partner_id: str) -> Json:
        """The object the partner's fields will fill; one per partner and selection."""
        slots = self.wanted[projection]
        found = slots.get(partner_id)
        if found is None:
            found = slots[partner_id] = {}
        return found

    async def read(self, db: Database) -> None:
        if not any(self.wanted):
            return
        params = dict(self.ctx.params)
        entries = []
        for index, (text, _) in enumerate(self.projections):
            params[f"partners{index}"] = sorted(self.wanted[index])
            entries.append(f"`{index}`: {text}")
        preludes = "".join(f"{p}\n" for p in self.ctx.preludes)
        statement = f"{preludes}RETURN {{{', '.join(entries)}}} AS data"
        # Printed from the entity model's allow-lists; every value is a parameter.
        rows = await db.read_text(cast(LiteralString, statement), **params)  # type: ignore[redundant-cast]
        data = rows[0]["data"]
        for index, (_, finish) in enumerate(self.projections):
            slots = self.wanted[index]
            for row in data[str(index)]:
                value = row["v"] if finish is None else finish(row["v"])
                slots[row["k"]].update(value)


@dataclass
class Prepared:
    """An operation planned for this request, with its partner projections printed: nothing has
    run yet, so a refusal to shape it can still leave it to the resolvers."""

    roots: dict[str, Field]
    variables: VariableValues
    partners: PartnerReads
    shapes: dict[int, Shape]  # id(Field) → the shape of the values of that field


def root_names(operation: OperationDefinitionNode, document: DocumentNode) -> set[str]:
    """The root field names an operation may select, through fragments too."""
    fragments = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    names: set[str] = set()

    def visit(selection_set: SelectionSetNode, seen: frozenset[str]) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                names.add(selection.name.value)
            elif isinstance(selection, InlineFragmentNode):
                visit(selection.selection_set, seen)
            elif isinstance(selection, FragmentSpreadNode) and selection.name.value not in seen:
                fragment = fragments.get(selection.name.value)
                if fragment is not None:
                    visit(fragment.selection_set, seen | {selection.name.value})

    visit(operation.selection_set, frozenset())
    return names


class RecipientLists:
    """Answers query operations whose root fields are recipient lists (and `__typename`)."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema

    def prepare(
        self,
        document: DocumentNode,
        operation_name: str | None,
        raw_variables: dict[str, Any] | None,
        principal: Principal,
    ) -> Prepared | None:
        try:
            operation = operation_of(document, operation_name)
        except NotCompilable:
            return None
        if operation.operation != OperationType.QUERY:
            return None
        names = root_names(operation, document)
        if not names & ROOTS or not names <= ROOTS | {"__typename"}:
            return None
        coerced = get_variable_values(self.schema, operation.variable_definitions or [], raw_variables or {})
        if isinstance(coerced, list):
            return None  # the resolvers report bad variables as the spec says
        try:
            roots = Planner(self.schema, document, coerced).plan(operation).roots
            prepared = Prepared(roots, coerced, PartnerReads(CypherContext(principal, coerced)), {})
            for f in roots.values():
                if f.name in ROOTS:
                    self._plan_list(prepared, f)
        except (NotCompilable, ServiceError):
            # Arguments the projection refused: the resolvers report them where they are.
            return None
        return prepared

    # -- planning: every selection gets its shape before anything runs ------------------

    def _plan_list(self, prepared: Prepared, f: Field) -> None:
        for sub in f.of("RecipientList").values():
            if sub.name == "product":
                unknown = [
                    s.name for s in sub.of("InformationProduct").values() if s.name not in PRODUCT_FIELDS
                ]
                unknown = [n for n in unknown if n != "__typename"]
                if unknown:
                    raise NotCompilable(f"InformationProduct.{unknown[0]}")
            elif sub.name in ("recipients", "excluded"):
                self._plan_entry(prepared, sub, sub.type_name)
            elif sub.name in ("recipientsConnection", "excludedConnection"):
                self._plan_connection(prepared, sub)
            elif sub.name == "summary":
                for part in sub.of("RecipientSummary").values():
                    if part.name not in SUMMARY_COUNTS | BREAKDOWNS.keys() | {"__typename"}:
                        raise NotCompilable(f"RecipientSummary.{part.name}")
            elif sub.name != "__typename":
                raise NotCompilable(f"RecipientList.{sub.name}")

    def _plan_connection(self, prepared: Prepared, f: Field) -> None:
        for sub in f.of(f.type_name).values():
            if sub.name == "nodes":
                self._plan_entry(prepared, sub, sub.type_name)
            elif sub.name == "edges":
                for part in sub.of(sub.type_name).values():
                    if part.name == "node":
                        self._plan_entry(prepared, part, part.type_name)
                    elif part.name not in ("cursor", "__typename"):
                        raise NotCompilable(f"{sub.type_name}.{part.name}")
            elif sub.name not in ("totalCount", "pageInfo", "__typename"):
                raise NotCompilable(f"{f.type_name}.{sub.name}")

    def _plan_entry(self, prepared: Prepared, f: Field, type_name: str) -> None:
        fields = f.of(type_name)
        for sub in fields.values():
            if sub.name == "partner":
                self._plan_partner(prepared, sub)
            elif sub.name == "contacts":
                for part in sub.of("Contact").values():
                    if part.name == "partner":
                        self._plan_partner(prepared, part)
                    elif part.name not in CONTACT_FIELDS and part.name != "__typename":
                        raise NotCompilable(f"Contact.{part.name}")
            elif sub.name not in ("reasons", "channels", "reason", "__typename"):
                raise NotCompilable(f"{type_name}.{sub.name}")

    def _plan_partner(self, prepared: Prepared, f: Field) -> None:
        fields = f.of("Partner")
        if all(s.name in LISTED_PARTNER_FIELDS or s.name == "__typename" for s in fields.values()):
            return
        projection = prepared.partners.add(fields)
        prepared.shapes[id(f)] = lambda row: prepared.partners.slot(projection, row[0])

    # -- answering -----------------------------------------------------------------------

    async def answer(self, db: Database, principal: Principal, prepared: Prepared) -> Answer:
        """Each list resolved and shaped in the operation's order; the partners' further fields
        read once for all of them. The lists and everything in them are non-null: an error nulls
        the whole answer, as graphql-core's null propagation would. A list's audit record is
        committed while it is shaped, and the answer waits for it."""
        data: Json = {}
        records: list[tuple[Field, asyncio.Task[None]]] = []
        try:
            try:
                for f in prepared.roots.values():
                    if f.name == "__typename":
                        data[f.response] = "Query"
                        continue
                    answer = await self._resolve(db, principal, prepared, f, records)
                    data[f.response] = await Shaper(db, prepared, answer).recipient_list(f, [f.response])
                await prepared.partners.read(db)
            finally:
                await _recorded(records)
        except Refused as refused:
            return Answer(None, [AnswerError(refused.error, refused.node, refused.path)])
        return Answer(data, [])

    async def _resolve(
        self,
        db: Database,
        principal: Principal,
        prepared: Prepared,
        f: Field,
        records: list[tuple[Field, asyncio.Task[None]]],
    ) -> recipient_rules.ResolvedRows:
        later: list[asyncio.Task[None]] = []
        try:
            args = f.arguments(prepared.variables)
            if f.name == "onwardRecipients":
                product_id = str(args["productId"])
                given = args.get("fusionCenter")
                fusion_center, authority = onward.fusion_center_for(
                    principal, None if given is None else str(given)
                )
                arguments = onward.audit_arguments(product_id, fusion_center, authority)
                async with audited(db, principal, "onwardRecipients", arguments, later):
                    return await onward.onward_rows(db, product_id, fusion_center)
            access.require(principal, access.Action.RESOLVE_RECIPIENTS)
            if f.name == "recipients":
                product_id = str(args["productId"])
                async with audited(db, principal, "recipients", {"productId": product_id}, later):
                    return await recipient_rules.rows_of(db, product_id)
            draft = recipient_rules.draft_record(args["product"])
            async with audited(db, principal, "previewRecipients", {"product": draft}, later):
                return await recipient_rules.preview_rows(db, draft)
        except ServiceError as exc:
            raise Refused(exc, f.node, [f.response]) from exc
        finally:
            records += [(f, task) for task in later]


async def _recorded(records: list[tuple[Field, asyncio.Task[None]]]) -> None:
    """Wait for every audit record still being committed; one that could not be is the error of
    its list's field, as it would have been had it been committed before shaping."""
    outcomes = await asyncio.gather(*(task for _, task in records), return_exceptions=True)
    for (f, _), outcome in zip(records, outcomes, strict=True):
        if isinstance(outcome, ServiceError):
            raise Refused(outcome, f.node, [f.response]) from outcome
        if isinstance(outcome, BaseException):
            raise outcome


class Shaper:
    """One recipient list shaped from the plan: plain dicts keyed by response names."""

    def __init__(self, db: Database, prepared: Prepared, answer: recipient_rules.ResolvedRows) -> None:
        self.db = db
        self.prepared = prepared
        self.answer = answer
        self._summary: recipient_rules.Summary | None = None
        # Entries are shaped from the rows; what many recipients share (their reasons in order,
        # their channels) is worked out, and shaped, once per distinct set.
        self.shaping = recipient_rules.Shaping()

    async def recipient_list(self, f: Field, path: list[str | int]) -> Json:
        out: Json = {}
        for sub in f.of("RecipientList").values():
            name = sub.name
            if name == "__typename":
                out[sub.response] = "RecipientList"
            elif name == "product":
                out[sub.response] = _product(sub, self.answer.product)
            elif name == "recipients":
                out[sub.response] = await _shaped(self._recipient_shape(sub), self.answer.recipients)
            elif name == "excluded":
                out[sub.response] = await _shaped(self._exclusion_shape(sub), self.answer.excluded)
            elif name == "recipientsConnection":
                out[sub.response] = await self._connection(sub, [*path, sub.response], recipients=True)
            elif name == "excludedConnection":
                out[sub.response] = await self._connection(sub, [*path, sub.response], recipients=False)
            elif name == "summary":
                out[sub.response] = self._summarised(sub)
        return out

    async def _connection(self, f: Field, path: list[str | int], *, recipients: bool) -> Json:
        args = f.arguments(self.prepared.variables)
        try:
            offset, size = window_of(args.get("first"), args.get("after")).forward()
            if recipients:
                narrowing = recipient_rules.recipient_narrowing(args.get("where"))
                rows = await recipient_rules.narrowed_recipient_rows(
                    self.db, self.answer.recipients, narrowing
                )
            else:
                narrowing = recipient_rules.exclusion_narrowing(args.get("where"))
                rows = await recipient_rules.narrowed_exclusion_rows(self.db, self.answer.excluded, narrowing)
        except ServiceError as exc:
            raise Refused(exc, f.node, path) from exc
        page = rows[offset : None if size is None else offset + size]
        shape = functools.partial(self._entry_shape, recipients=recipients)
        return connection(f, _ListPage(page, offset, len(rows), shape))

    def _entry_shape(self, f: Field, recipients: bool) -> Shape:
        return self._recipient_shape(f) if recipients else self._exclusion_shape(f)

    def _partner_shape(self, f: Field) -> Shape:
        """The shape of an entry's partner, from the entry's candidate row."""
        loaded = self.prepared.shapes.get(id(f))
        if loaded is not None:
            return loaded
        chosen = [(s.response, LISTED_PARTNER_FIELDS.get(s.name)) for s in f.of("Partner").values()]

        def listed(row: CandidateRow) -> Json:
            # A field the row does not hold is __typename.
            return {r: "Partner" if place is None else row[place] for r, place in chosen}

        return listed

    def _recipient_shape(self, f: Field) -> Shape:
        """The shape of a recipient, from its candidate row."""
        parts: list[tuple[str, str, Any]] = []
        for sub in f.of("Recipient").values():
            name = sub.name
            if name == "partner":
                parts.append((sub.response, name, self._partner_shape(sub)))
            elif name == "reasons":
                parts.append((sub.response, name, _Shared(_reasons_shape(sub))))
            elif name == "channels":
                parts.append((sub.response, name, _Shared(list)))
            elif name == "contacts":
                parts.append((sub.response, name, self._contacts_shape(sub)))
            elif name == "__typename":
                parts.append((sub.response, name, None))
        shaping = self.shaping

        def shape(row: CandidateRow) -> Json:
            ordered, channels = shaping.recipient(row[3], row[5])
            out: Json = {}
            for response, name, part in parts:
                if name == "partner":
                    out[response] = part(row)
                elif name == "reasons":
                    out[response] = part(ordered)
                elif name == "channels":
                    out[response] = part(channels)
                elif name == "contacts":
                    out[response] = part(row[5], row)
                else:
                    out[response] = "Recipient"
            return out

        return shape

    def _exclusion_shape(self, f: Field) -> Shape:
        """The shape of an exclusion, from its candidate row."""
        parts: list[tuple[str, Shape]] = []
        for sub in f.of("Exclusion").values():
            if sub.name == "__typename":
                parts.append((sub.response, _constant("Exclusion")))
            elif sub.name == "reason":
                parts.append((sub.response, lambda row: row[4]))
            elif sub.name == "partner":
                parts.append((sub.response, self._partner_shape(sub)))
        return _object(parts)

    def _contacts_shape(self, f: Field) -> Callable[[Sequence[Record], CandidateRow], list[Json]]:
        """The shape of a recipient's contacts, from its candidate row."""
        chosen: list[tuple[str, str]] = []
        partner_shape: Shape | None = None
        for sub in f.of("Contact").values():
            if sub.name == "partner":
                partner_shape = self._partner_shape(sub)
            chosen.append((sub.response, sub.name))
        if all(name in PLAIN_CONTACT_FIELDS for _, name in chosen):
            # The common case: values as the contact holds them, picked in one call.
            responses = [response for response, _ in chosen]
            values = itemgetter(*(name for _, name in chosen))
            if len(chosen) == 1:
                return lambda contacts, _: [{responses[0]: values(c)} for c in contacts]
            return lambda contacts, _: [dict(zip(responses, values(c), strict=True)) for c in contacts]

        def shape(contact: Record, row: CandidateRow) -> Json:
            out: Json = {}
            for response, name in chosen:
                if name == "__typename":
                    out[response] = "Contact"
                elif name == "partner":
                    assert partner_shape is not None
                    out[response] = partner_shape(row)
                elif name == "channels":
                    out[response] = list(contact["channels"])
                else:
                    out[response] = contact[name]
            return out

        return lambda contacts, row: [shape(contact, row) for contact in contacts]

    def _summarised(self, f: Field) -> Json:
        if self._summary is None:
            self._summary = recipient_rules.summarise_rows(self.answer)
        summary = self._summary
        out: Json = {}
        for sub in f.of("RecipientSummary").values():
            name = sub.name
            if name == "__typename":
                out[sub.response] = "RecipientSummary"
            elif name in SUMMARY_COUNTS:
                out[sub.response] = getattr(summary, name)
            else:
                counts, key = BREAKDOWNS[name]
                out[sub.response] = _breakdown(sub, key, getattr(summary, counts))
        return out


async def _shaped(shape: Shape, rows: Sequence[CandidateRow]) -> list[Json]:
    """Every row shaped, handing the event loop back every SHAPED_PER_TURN rows: the list's audit
    record is being committed meanwhile (each of its round trips needs a turn of the loop), and
    other requests wait for their turns too."""
    shaped: list[Json] = []
    for start in range(0, len(rows), SHAPED_PER_TURN):
        await asyncio.sleep(0)
        shaped += map(shape, rows[start : start + SHAPED_PER_TURN])
    return shaped


def _constant(value: str) -> Shape:
    return lambda _: value


def _object(parts: list[tuple[str, Shape]]) -> Shape:
    def shape(entry: Any) -> Json:
        return {response: part(entry) for response, part in parts}

    return shape


class _Shared:
    """A part of an entry that many entries share: shaped once per distinct value of the
    Shaping's (which holds each value, so its identity stays its own), and the shaped value
    shared by every entry it belongs to (the answer is only serialised)."""

    def __init__(self, shape: Callable[[Any], Any]) -> None:
        self.shape = shape
        self.shaped: dict[int, Any] = {}

    def __call__(self, value: Any) -> Any:
        found = self.shaped.get(id(value))
        if found is None:
            found = self.shaped[id(value)] = self.shape(value)
        return found


def _reasons_shape(f: Field) -> Callable[[list[recipient_rules.Reason]], list[Json]]:
    chosen = [(s.response, s.name) for s in f.of("Reason").values()]

    def shape(reasons: list[recipient_rules.Reason]) -> list[Json]:
        return [
            {
                r: "Reason" if n == "__typename" else (reason.source if n == "source" else reason.ref)
                for r, n in chosen
            }
            for reason in reasons
        ]

    return shape


def _product(f: Field, product: Record) -> Json:
    return {
        s.response: "InformationProduct" if s.name == "__typename" else product[PRODUCT_FIELDS[s.name]]
        for s in f.of("InformationProduct").values()
    }


def _breakdown(f: Field, key: str, counts: dict[str, int]) -> list[Json]:
    chosen = [(s.response, s.name) for s in f.of(f.type_name).values()]
    type_name = f.type_name
    return [
        {r: type_name if n == "__typename" else (value if n == key else count) for r, n in chosen}
        for value, count in counts.items()
    ]


# A row of a page shaped in Python: its place on the page, and the candidate row.
_PageRow = tuple[int, CandidateRow]
_RowShape = Callable[[_PageRow], Any]


class _ListPage:
    """A page of a list's rows, shaped in Python by the compiler's connection printer
    (`pagination.connection`): offset cursors, as the resolvers count them."""

    def __init__(
        self, page: list[CandidateRow], offset: int, total: int, shape: Callable[[Field], Shape]
    ) -> None:
        self.page, self.offset, self.count, self.shape = page, offset, total, shape
        self.cursors = [encode_cursor(offset + i) for i in range(len(page))]

    def constant(self, value: str) -> Any:
        return value

    def obj(self, entries: list[tuple[str, Any]]) -> Any:
        return dict(entries)

    def total(self) -> Any:
        return self.count

    def has_next(self) -> Any:
        return self.offset + len(self.page) < self.count

    def has_previous(self) -> Any:
        return self.offset > 0

    def start_cursor(self, around: Field) -> Any:
        return self.cursors[0] if self.cursors else None

    def end_cursor(self, around: Field) -> Any:
        return self.cursors[-1] if self.cursors else None

    def each_row(
        self, around: Field, nodes: list[Field], item: Callable[[list[_RowShape]], _RowShape]
    ) -> Any:
        made = item([_of_row(self.shape(node)) for node in nodes])
        return [made(row) for row in enumerate(self.page)]

    def row_constant(self, value: str) -> _RowShape:
        return lambda _: value

    def row_cursor(self) -> _RowShape:
        cursors = self.cursors
        return lambda row: cursors[row[0]]

    def row_object(self, entries: list[tuple[str, _RowShape]]) -> _RowShape:
        return lambda row: {response: part(row) for response, part in entries}


def _of_row(shape: Shape) -> _RowShape:
    return lambda row: shape(row[1])
