"""Import: validate a whole interchange document, then write what changed."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graph_api import domain, events
from graph_api.domain.interchange import (
    COLLECTIONS,
    Problem,
    Record,
    subscription_key,
    without_version,
)
from graph_api.events import changes as event_changes
from graph_api.rules.validation import check_records, sized_work
from graph_api.store.database import Database, Transaction
from graph_api.store.records import read_records, row_of

log = logging.getLogger("isegraph.import")
Say = Callable[[str], None]

# Up to this many changed records go in one transaction; larger imports are written in chunks,
# each its own transaction. Every chunk is idempotent, so re-running an interrupted import
# finishes it.
SINGLE_TRANSACTION_LIMIT = 20_000
CHUNK_SIZE = 5_000
IMPORT_TIMEOUT_SECONDS = 900.0


@dataclass
class CollectionCount:
    collection: str
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    dry_run: bool
    problems: list[Problem] = field(default_factory=list)
    counts: list[CollectionCount] = field(default_factory=list)
    transactions: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Plan:
    """The records that differ from the graph, by collection, ready to write."""

    rows: dict[str, list[Record]]
    new_products: list[Record] = field(default_factory=list)

    @property
    def size(self) -> int:
        return sum(len(rows) for rows in self.rows.values())


async def import_network(
    db: Database,
    document: Any,
    *,
    dry_run: bool = False,
    say: Say | None = None,
    actor: str | None = None,
) -> ImportReport:
    say = say or (lambda _: None)
    report = ImportReport(dry_run=dry_run)
    report.problems, records = await check_records(db, document)
    if not report.problems:
        report.problems = await _of_other_origins(db, records["products"])
    if report.problems:
        log.info("import refused: %d problems", len(report.problems))
        return report
    _symmetric_agreements(records["partners"])
    say(f"Checked {sum(len(r) for r in records.values())} records; comparing them with the graph ...")
    plan = await _plan(db, records, report)
    if dry_run or plan.size == 0:
        return report
    say(f"Writing {plan.size} new or changed records ...")
    report.transactions = await _write(db, plan, say, _events(plan, report, actor))
    log.info("import wrote %d records in %d transaction(s)", plan.size, report.transactions)
    return report


def _symmetric_agreements(partners: list[Record]) -> None:
    """PARTNERS_WITH is undirected: a pair listed by either side is listed by both."""
    listed = {p["id"]: set(p["partnersWith"]) for p in partners}
    for partner_id, others in list(listed.items()):
        for other in others:
            if other in listed:
                listed[other].add(partner_id)
    for partner in partners:
        partner["partnersWith"] = sorted(listed[partner["id"]])


async def _of_other_origins(db: Database, products: list[Record]) -> list[Problem]:
    """A product is identified by (origin, id): a record whose id is held by a product of another
    origin is refused, and that product stays as it is."""
    rows = await db.read(
        "read/product_origins", ids=[p["id"] for p in products], localOrigin=domain.LOCAL_ORIGIN
    )
    held = {row["id"]: row["origin"] for row in rows}
    return [
        Problem(
            f"$.products[{index}].id",
            "OTHER_ORIGIN",
            f"product {product['id']} is held here as a product of {_origin_name(held[product['id']])}; "
            f"a product of {_origin_name(product['origin'])} never replaces a product of another origin",
        )
        for index, product in enumerate(products)
        if held.get(product["id"], product["origin"]) != product["origin"]
    ]


def _origin_name(origin: str) -> str:
    return "this node's own" if origin == domain.LOCAL_ORIGIN else f"origin {origin}"


def _identity(collection: str, record: Record) -> Any:
    return subscription_key(record) if collection == "subscriptions" else record["id"]


async def _plan(db: Database, records: dict[str, list[Record]], report: ImportReport) -> _Plan:
    plan = _Plan(rows={})
    for name in COLLECTIONS:
        wanted = records[name]
        lookup = [r["partner"] if name == "subscriptions" else r["id"] for r in wanted]
        existing = await read_records(db, name, lookup)
        # Comparing a large collection with the graph takes seconds of Python: in a thread.
        count, changed, new_products = await sized_work(len(wanted), _differences, name, wanted, existing)
        report.counts.append(count)
        plan.rows[name] = changed
        plan.new_products.extend(new_products)
    return plan


def _differences(
    name: str, wanted: list[Record], existing: list[Record]
) -> tuple[CollectionCount, list[Record], list[Record]]:
    """How many records are new, changed and the same; the rows to write; the new products."""
    current = {_identity(name, r): without_version(r) for r in existing}
    count = CollectionCount(name)
    changed = []
    new_products = []
    for record in wanted:
        before = current.get(_identity(name, record))
        if before is None:
            count.created += 1
            if name == "products":
                new_products.append(record)
        elif before != record:
            count.updated += 1
        else:
            count.unchanged += 1
            continue
        changed.append(row_of(name, record))
    return count, changed, new_products


def _events(plan: _Plan, report: ImportReport, actor: str | None) -> list[events.NewEvent]:
    """A publication for each new product, and one event with what the import wrote."""
    counts = {c.collection: {"created": c.created, "updated": c.updated} for c in report.counts}
    written = {name: count for name, count in counts.items() if count["created"] or count["updated"]}
    return [
        *(event_changes.product_published(product, actor) for product in plan.new_products),
        event_changes.imported(written, actor),
    ]


async def _write(db: Database, plan: _Plan, say: Say, news: list[events.NewEvent]) -> int:
    if plan.size <= SINGLE_TRANSACTION_LIMIT:

        async def everything(tx: Transaction) -> None:
            for phase in ("upsert", "link"):
                for name in COLLECTIONS:
                    if plan.rows[name]:
                        await tx.run(f"import/{phase}_{name}", rows=plan.rows[name])
            events.append(tx, news)

        await db.in_write_transaction(everything, IMPORT_TIMEOUT_SECONDS)
        return 1
    transactions = await _write_in_chunks(db, plan, say)

    # Chunks are transactions of their own, so the events follow in one more after the last:
    # the log never announces a product whose links are still to be written.
    async def announce(tx: Transaction) -> None:
        events.append(tx, news)

    await db.in_write_transaction(announce)
    return transactions + 1


async def _write_in_chunks(db: Database, plan: _Plan, say: Say) -> int:
    # Every node first, then every relationship, so a link never waits for a later chunk's node.
    transactions = 0
    for phase in ("upsert", "link"):
        for name in COLLECTIONS:
            rows = plan.rows[name]
            for start in range(0, len(rows), CHUNK_SIZE):
                chunk = rows[start : start + CHUNK_SIZE]

                async def write_chunk(
                    tx: Transaction, chunk: list[Record] = chunk, statement: str = f"import/{phase}_{name}"
                ) -> None:
                    await tx.run(statement, rows=chunk)

                await db.in_write_transaction(write_chunk, IMPORT_TIMEOUT_SECONDS)
                transactions += 1
                say(f"  {phase} {name}: {min(start + CHUNK_SIZE, len(rows))}/{len(rows)}")
    return transactions
