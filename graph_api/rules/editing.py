"""Administrative edits: create, update, deactivate, delete and merge, one record at a time.

Every edit is a function of an open write transaction, so the same edit either commits (the
mutations) or is tried and rolled back (`impact.py`). A record is checked by the same rules an
import applies (interchange.py) and written by the import's own statements; what is wrong comes
back as `FieldProblem`s naming the input field. Updates and deletes name the version they were
based on: the record is locked first, and a stale version changes nothing.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from graph_api import domain, events
from graph_api.domain.entities import BY_COLLECTION, Label
from graph_api.domain.interchange import Problem, Record, subscription_key, without_version
from graph_api.errors import ServiceError
from graph_api.events import changes as event_changes
from graph_api.rules.validation import check_records
from graph_api.store.database import KeyTaken, Reader, Transaction
from graph_api.store.records import read_records, write_record
from graph_api.store.statements import composed


@dataclass(frozen=True)
class FieldProblem:
    """A problem a form can show next to a field: `field` is the path of the input value (the
    schema answers it as a `FieldError`)."""

    field: tuple[str, ...]
    code: str
    message: str


class EditRejected(ServiceError):
    code = "EDIT_REJECTED"

    def __init__(self, errors: list[FieldProblem]) -> None:
        super().__init__("; ".join(f"{'.'.join(e.field)}: {e.message}" for e in errors))
        self.errors = errors


@dataclass(frozen=True)
class Change:
    """One record's state before and after an edit (None: it did not exist / no longer does)."""

    collection: str
    key: str
    before: Record | None
    after: Record | None


Edit = Callable[[Transaction], Awaitable[list[Change]]]


def recorded(edit: Edit, actor: str) -> Edit:
    """The edit, followed in its own transaction by an event for each record it changed."""

    async def run(tx: Transaction) -> list[Change]:
        made = await edit(tx)
        partners = partners_changed(made)
        if partners is not None:
            tx.changes_confined_to(partners)
        events.append(
            tx,
            [
                event
                for change in made
                if change.before != change.after
                for event in event_changes.edited(
                    change.collection, change.key, change.before, change.after, actor
                )
            ],
        )
        return made

    return run


# Records that belong to one partner (the one their `partner` field names): changing them
# changes what the recipient rules read of that partner only.
PARTNER_OWNED = frozenset({"contacts", "memberships", "subscriptions"})
# Records the recipient rules never read from the partnership graph (a list reads its product
# afresh every time).
OUTSIDE_THE_GRAPH = frozenset({"products"})


def partners_changed(changes: list[Change]) -> set[str] | None:
    """The partners whose records, links or contacts these changes touched, or None when they
    touched something else of the partnership graph (a council, a sector, a requirement...).
    A contact moved from one partner to another changes both; a merge names both partners."""
    partners: set[str] = set()
    for change in changes:
        if change.collection == "partners":
            partners.add(change.key)
        elif change.collection in PARTNER_OWNED:
            partners.update(
                str(record["partner"]) for record in (change.before, change.after) if record is not None
            )
        elif change.collection not in OUTSIDE_THE_GRAPH:
            return None
    return partners


def rejected(field: tuple[str, ...], code: str, message: str) -> EditRejected:
    return EditRejected([FieldProblem(field, code, message)])


def field_errors(problems: list[Problem], prefix: tuple[str, ...] = ("input",)) -> list[FieldProblem]:
    """Interchange problems (JSON paths into a one-record document) as input field paths."""
    errors = []
    for problem in problems:
        inside = re.sub(r"^\$\.\w+\[\d+\]", "", problem.path)
        parts = tuple(part for part in re.split(r"[.\[\]]", inside) if part)
        if not parts and problem.code == "DUPLICATE_ID":
            parts = ("id",)
        errors.append(FieldProblem((*prefix, *parts), problem.code, problem.message))
    return errors


async def _checked(tx: Transaction, collection: str, record: Record) -> Record:
    problems, records = await check_records(tx, {collection: [record]})
    if problems:
        raise EditRejected(field_errors(problems))
    return records[collection][0]


async def _one(tx: Transaction, collection: str, record_id: str) -> Record | None:
    found = await read_records(tx, collection, [record_id])
    return found[0] if found else None


async def _locked(tx: Transaction, collection: str, record_id: str, version: int) -> Record:
    """The record, locked for this transaction, provided it is still at `version`."""
    await tx.run_text(composed("edit/lock", LABEL=BY_COLLECTION[collection].label), id=record_id)
    current = await _one(tx, collection, record_id)
    noun = BY_COLLECTION[collection].noun
    if current is None:
        raise rejected(("input", "id"), "NOT_FOUND", f"No {noun} has the id '{record_id}'.")
    _require_version(current.get("version"), version, f"The {noun} '{record_id}'")
    return current


def _require_version(current: Any, named: int, what: str, field: str = "version") -> None:
    if current != named:
        raise rejected(
            ("input", field),
            "STALE_VERSION",
            f"{what} is at version {current}, not {named}: it changed since you read it. "
            "Reload it and apply your edit again.",
        )


async def create(tx: Transaction, collection: str, fields: Record) -> list[Change]:
    record = await _checked(tx, collection, fields)
    record_id = record["id"]
    taken = await _one(tx, collection, record_id) is not None
    if collection == "partners" and not taken:
        taken = await alias_target(tx, record_id) is not None
    if not taken:
        try:
            await tx.run_text(
                composed("edit/claim", LABEL=BY_COLLECTION[collection].create_labels), id=record_id
            )
        except KeyTaken:
            taken = True
    if taken:
        raise rejected(("input", "id"), "DUPLICATE_ID", f"The id '{record_id}' is already in use.")
    await write_record(tx, collection, record)
    return [Change(collection, record_id, None, await _one(tx, collection, record_id))]


async def update(
    tx: Transaction, collection: str, record_id: str, version: int, patch: Record
) -> list[Change]:
    before = await _locked(tx, collection, record_id, version)
    record = await _checked(tx, collection, {**without_version(before), **patch, "id": record_id})
    if record != without_version(before):
        await write_record(tx, collection, record)
    return [Change(collection, record_id, before, await _one(tx, collection, record_id))]


async def deactivate(tx: Transaction, collection: str, record_id: str, version: int) -> list[Change]:
    if not BY_COLLECTION[collection].deactivatable:
        raise ValueError(f"{collection} have no active flag")
    return await update(tx, collection, record_id, version, {"active": False})


async def delete(tx: Transaction, collection: str, record_id: str, version: int) -> list[Change]:
    before = await _locked(tx, collection, record_id, version)
    label = BY_COLLECTION[collection].label
    dependents = await tx.run_text(
        composed("edit/dependents", LABEL=label),
        id=record_id,
        own=list(BY_COLLECTION[collection].owned_links),
    )
    if dependents:
        listed = ", ".join(f"{d['count']} {d['label']} ({d['relationship']})" for d in dependents)
        raise rejected(
            ("input", "id"),
            "HAS_DEPENDENTS",
            f"The {BY_COLLECTION[collection].noun} '{record_id}' is still referred to by: {listed}. "
            + (
                "Deactivate it instead, or remove those first."
                if BY_COLLECTION[collection].deactivatable
                else "Remove those first."
            ),
        )
    await tx.run_text(composed("edit/delete", LABEL=label), id=record_id)
    return [Change(collection, record_id, before, None)]


# -- memberships: partner → council, with a role ----------------------------------------------


def _membership_key(partner: str, council: str) -> str:
    return f"{partner}|{council}"


async def _membership(tx: Transaction, partner: str, council: str) -> Record:
    await tx.run_text(composed("edit/lock", LABEL=Label.PARTNER), id=partner)
    row = (await tx.run("edit/membership", partner=partner, council=council))[0]
    errors = []
    if not row["partnerExists"]:
        errors.append(
            FieldProblem(("input", "partner"), "UNKNOWN_REFERENCE", f"No partner has the id '{partner}'.")
        )
    if not row["councilExists"]:
        errors.append(
            FieldProblem(("input", "council"), "UNKNOWN_REFERENCE", f"No council has the id '{council}'.")
        )
    if errors:
        raise EditRejected(errors)
    return row


def _membership_record(partner: str, council: str, row: Record) -> Record | None:
    if row["version"] is None:
        return None
    return {"partner": partner, "council": council, "role": row["role"], "version": row["version"]}


def _require_role(role: str) -> None:
    if role not in domain.MEMBER_ROLES:
        raise rejected(
            ("input", "role"), "BAD_ENUM", f"{role!r} is not one of {', '.join(domain.MEMBER_ROLES)}"
        )


async def add_membership(tx: Transaction, partner: str, council: str, role: str) -> list[Change]:
    _require_role(role)
    row = await _membership(tx, partner, council)
    if row["version"] is not None:
        raise rejected(
            ("input", "partner"),
            "DUPLICATE_MEMBER",
            f"Partner '{partner}' is already a member of '{council}' (as {row['role']}).",
        )
    after = (await tx.run("edit/membership_set", partner=partner, council=council, role=role))[0]
    return [
        Change(
            "memberships",
            _membership_key(partner, council),
            None,
            _membership_record(partner, council, after),
        )
    ]


async def _existing_membership(tx: Transaction, partner: str, council: str, version: int) -> Record:
    row = await _membership(tx, partner, council)
    before = _membership_record(partner, council, row)
    if before is None:
        raise rejected(
            ("input", "council"), "NOT_FOUND", f"Partner '{partner}' is not a member of '{council}'."
        )
    _require_version(before["version"], version, f"The membership of '{partner}' in '{council}'")
    return before


async def update_membership(
    tx: Transaction, partner: str, council: str, version: int, role: str
) -> list[Change]:
    _require_role(role)
    before = await _existing_membership(tx, partner, council, version)
    after: Record | None = before
    if role != before["role"]:
        row = (await tx.run("edit/membership_set", partner=partner, council=council, role=role))[0]
        after = _membership_record(partner, council, row)
    return [Change("memberships", _membership_key(partner, council), before, after)]


async def remove_membership(tx: Transaction, partner: str, council: str, version: int) -> list[Change]:
    before = await _existing_membership(tx, partner, council, version)
    await tx.run("edit/membership_remove", partner=partner, council=council)
    return [Change("memberships", _membership_key(partner, council), before, None)]


# -- subscriptions: a partner's standing interest in a topic or a sector ----------------------


def _subscription_label(key: tuple[str, str, str]) -> str:
    return "|".join(key)


async def _subscription(
    tx: Transaction, partner: str, topic: str | None, sector: str | None
) -> Record | None:
    wanted = subscription_key({"partner": partner, "topic": topic, "sector": sector})
    for record in await read_records(tx, "subscriptions", [partner]):
        if subscription_key(record) == wanted:
            return record
    return None


async def create_subscription(tx: Transaction, fields: Record) -> list[Change]:
    record = await _checked(tx, "subscriptions", fields)
    await tx.run_text(composed("edit/lock", LABEL=Label.PARTNER), id=record["partner"])
    key = subscription_key(record)
    if await _subscription(tx, record["partner"], record["topic"], record["sector"]) is not None:
        raise rejected(
            ("input", key[1]),
            "DUPLICATE_ID",
            f"Partner '{key[0]}' already subscribes to {key[1]} '{key[2]}'.",
        )
    await write_record(tx, "subscriptions", record)
    after = await _subscription(tx, record["partner"], record["topic"], record["sector"])
    return [Change("subscriptions", _subscription_label(key), None, after)]


async def _existing_subscription(
    tx: Transaction, partner: str, topic: str | None, sector: str | None, version: int
) -> Record:
    if (topic is None) == (sector is None):
        raise rejected(("input",), "BAD_SUBSCRIPTION", "Name exactly one of 'topic' or 'sector'.")
    await tx.run_text(composed("edit/lock", LABEL=Label.PARTNER), id=partner)
    before = await _subscription(tx, partner, topic, sector)
    if before is None:
        target = f"topic '{topic}'" if topic else f"sector '{sector}'"
        raise rejected(
            ("input", "partner"), "NOT_FOUND", f"Partner '{partner}' has no subscription to {target}."
        )
    _require_version(before.get("version"), version, "The subscription")
    return before


async def update_subscription(
    tx: Transaction,
    partner: str,
    topic: str | None,
    sector: str | None,
    version: int,
    min_severity: str | None,
    delivery: str | None = None,
) -> list[Change]:
    before = await _existing_subscription(tx, partner, topic, sector, version)
    patch = {"minSeverity": min_severity, **({"delivery": delivery} if delivery else {})}
    record = await _checked(tx, "subscriptions", {**without_version(before), **patch})
    if record != without_version(before):
        await write_record(tx, "subscriptions", record)
    after = await _subscription(tx, partner, topic, sector)
    return [Change("subscriptions", _subscription_label(subscription_key(record)), before, after)]


async def delete_subscription(
    tx: Transaction, partner: str, topic: str | None, sector: str | None, version: int
) -> list[Change]:
    before = await _existing_subscription(tx, partner, topic, sector, version)
    await tx.run("edit/subscription_delete", partner=partner, topic=topic, sector=sector)
    return [Change("subscriptions", _subscription_label(subscription_key(before)), before, None)]


# -- merging duplicate partners ---------------------------------------------------------------


async def merge_partners(
    tx: Transaction, keep: str, keep_version: int, duplicate: str, duplicate_version: int
) -> list[Change]:
    """Fold `duplicate` into `keep`: every relationship of both survives on `keep`, and the old id
    becomes an alias of `keep`. The kept partner's name, kind and flags stay as they were."""
    if keep == duplicate:
        raise rejected(("input", "duplicate"), "SAME_PARTNER", "A partner cannot be merged into itself.")
    # Lock in id order so two merges of the same pair cannot deadlock.
    locked: dict[str, Record] = {}
    for record_id, role in sorted([(keep, "keep"), (duplicate, "duplicate")]):
        await tx.run_text(composed("edit/lock", LABEL=Label.PARTNER), id=record_id)
        current = await _one(tx, "partners", record_id)
        if current is None:
            raise rejected(("input", role), "NOT_FOUND", f"No partner has the id '{record_id}'.")
        locked[role] = current
    _require_version(locked["keep"].get("version"), keep_version, f"The partner '{keep}'", "keepVersion")
    _require_version(
        locked["duplicate"].get("version"),
        duplicate_version,
        f"The partner '{duplicate}'",
        "duplicateVersion",
    )
    await tx.run("edit/merge_partners", keep=keep, duplicate=duplicate)
    return [
        Change("partners", duplicate, locked["duplicate"], None),
        Change("partners", keep, locked["keep"], await _one(tx, "partners", keep)),
    ]


async def alias_target(db: Reader, partner_id: str) -> str | None:
    """The partner a merged partner's old id now stands for, if it is such an alias."""
    rows = await db.read("edit/alias", id=partner_id)
    return str(rows[0]["partner"]) if rows else None
