"""Canonical records in and out of the graph: reading them back, and the rows their statements take."""

from __future__ import annotations

from collections.abc import Iterable

from graph_api import domain
from graph_api.domain.interchange import CheckedDocument, GraphFacts, Record, canonical, unresolved
from graph_api.store.database import Reader, Transaction

READ_CHUNK = 5000


def _chunks(ids: list[str], size: int = READ_CHUNK) -> Iterable[list[str]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


async def read_records(db: Reader, collection: str, ids: Iterable[str]) -> list[Record]:
    """The canonical records of `collection` with these ids (partner ids for subscriptions)."""
    wanted = sorted(set(ids))
    records: list[Record] = []
    for chunk in _chunks(wanted):
        rows = await db.read(f"export/{collection}", ids=chunk)
        records += [canonical(collection, row) for row in rows]
    return records


def row_of(collection: str, record: Record) -> Record:
    """The parameters a record's Cypher needs: the record plus values derived from it."""
    row = dict(record)
    if collection == "partners":
        center = record["fusionCenter"]
        row["fusionCenterType"] = center["type"] if center else None
        row["serves"] = center["serves"] if center else []
    elif collection == "requirements":
        audience = record["audience"]
        row["minSeverityRank"] = domain.severity_rank(record["minSeverity"])
        row["audienceCouncil"] = audience.get("council")
        row["audienceSector"] = audience.get("sector")
        row["audiencePartnerKinds"] = audience.get("partnerKinds")
    elif collection == "subscriptions":
        row["minSeverityRank"] = domain.severity_rank(record["minSeverity"])
    elif collection == "products":
        row["severityRank"] = domain.severity_rank(record["severity"])
        row["origin"] = record.get("origin", domain.LOCAL_ORIGIN)
    return row


async def write_record(tx: Transaction, collection: str, record: Record) -> None:
    """Create or update one record and its links, with the import's own statements."""
    row = row_of(collection, record)
    await tx.run(f"import/upsert_{collection}", rows=[row])
    await tx.run(f"import/link_{collection}", rows=[row])


async def graph_facts(db: Reader, checked: CheckedDocument) -> GraphFacts:
    """What the graph holds of the references a document could not resolve by itself."""
    pending = unresolved(checked)
    row = (
        await db.read(
            "import/graph_facts",
            sectors=sorted(pending.get("sectors", ())),
            regions=sorted(pending.get("regions", ())),
            topics=sorted(pending.get("topics", ())),
            partners=sorted(pending.get("partners", ())),
            councils=sorted(pending.get("councils", ())),
            documentPartners=sorted(checked.defined_ids("partners")),
            documentCouncils=sorted(checked.defined_ids("councils")),
        )
    )[0]
    existing = {
        key: set(row[key])
        for key in (
            "sectors",
            "regions",
            "topics",
            "partners",
            "councils",
            "councils_vertex",
            "partners_vertex",
        )
    }
    return GraphFacts(
        existing=existing,
        region_parents=dict(row["regionParents"]),
        council_parents=dict(row["councilParents"]),
    )
