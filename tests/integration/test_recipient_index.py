"""The in-process recipient index against the reference, after every write: each example loads a
random network, then applies a random sequence of edits (the editing rules the API's mutations
call) and imports; after each step every product's list, resolved from the index, equals the
reference's over the graph as it now is.

The graph "as it now is" is read back through the export's records, so the oracle never sees the
index or the resolution statement.
"""

from __future__ import annotations

import contextlib
import gc
import itertools
from collections.abc import Awaitable, Callable
from dataclasses import replace
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graph_api import audience
from graph_api.audience import index as index_module
from graph_api.domain.interchange import COLLECTIONS, without_version
from graph_api.rules import editing, recipients
from graph_api.rules.importer import import_network
from graph_api.store.database import Database, Transaction
from graph_api.store.records import read_records
from tests import reference
from tests.helpers import unique_prefix
from tests.integration.test_properties import _service_answer
from tests.strategies import add_prefix, networks

EXAMPLES = 100
STEPS = 3
NAMES = ("Aa", "Bravo", "Mm", "Zulu", "alpha")
KINDS = ("PRIVATE", "STATE", "FEDERAL", "NGO")
SEVERITIES = ("LOW", "MODERATE", "HIGH", "CRITICAL")
_examples = itertools.count()
ACTOR = "property-test"


async def _edit(db: Database, edit: Callable[[Transaction], Awaitable[list[editing.Change]]]) -> None:
    """One edit as the API applies it: recorded, in one write transaction; a rejected edit
    changes nothing and the sequence goes on."""
    with contextlib.suppress(editing.EditRejected):
        await db.in_write_transaction(editing.recorded(edit, ACTOR))


async def _graph(db: Database, ids: dict[str, set[str]]) -> dict[str, Any]:
    """The example's records as the graph holds them now."""
    doc: dict[str, Any] = {}
    for collection in COLLECTIONS:
        keys = ids["partners"] if collection == "subscriptions" else ids.get(collection, set())
        doc[collection] = [without_version(r) for r in await read_records(db, collection, keys)]
    return doc


async def _version(db: Database, collection: str, record_id: str) -> int:
    found = await read_records(db, collection, [record_id])
    return int(found[0]["version"]) if found else 1


async def _step(
    db: Database, data: st.DataObject, doc: dict[str, Any], ids: dict[str, set[str]], prefix: str, n: int
) -> str:
    partners = sorted(p["id"] for p in doc["partners"])
    councils = sorted(c["id"] for c in doc["councils"])
    sectors = sorted(s["id"] for s in doc["sectors"])
    topics = sorted(t["id"] for t in doc["topics"])
    regions = sorted(r["id"] for r in doc["regions"])
    action = data.draw(
        st.sampled_from(
            (
                "add_membership",
                "remove_membership",
                "subscribe",
                "unsubscribe",
                "rename",
                "kind",
                "sectors",
                "regions",
                "deactivate",
                "reactivate",
                "create_partner",
                "merge",
                "contact",
                "import",
            )
        )
    )
    if not partners and action != "create_partner":
        action = "create_partner"
    partner = data.draw(st.sampled_from(partners)) if partners else ""
    if action == "add_membership" and councils:
        council = data.draw(st.sampled_from(councils))
        role = data.draw(st.sampled_from(("MEMBER", "CHAIR")))
        await _edit(db, lambda tx: editing.add_membership(tx, partner, council, role))
    elif action == "remove_membership":
        members = [(m["partner"], c["id"]) for c in doc["councils"] for m in c.get("members", [])]
        if members:
            who, council = data.draw(st.sampled_from(members))
            version = (await db.read("edit/membership", partner=who, council=council))[0]["version"] or 1
            await _edit(db, lambda tx: editing.remove_membership(tx, who, council, version))
    elif action == "subscribe" and (topics or sectors):
        target = data.draw(st.sampled_from([("topic", t) for t in topics] + [("sector", s) for s in sectors]))
        fields = {
            "partner": partner,
            "topic": target[1] if target[0] == "topic" else None,
            "sector": target[1] if target[0] == "sector" else None,
            "minSeverity": data.draw(st.one_of(st.none(), st.sampled_from(SEVERITIES))),
        }
        await _edit(db, lambda tx: editing.create_subscription(tx, fields))
    elif action == "unsubscribe" and doc["subscriptions"]:
        s = data.draw(st.sampled_from(doc["subscriptions"]))
        found = [
            r
            for r in await read_records(db, "subscriptions", [s["partner"]])
            if (r["topic"], r["sector"]) == (s["topic"], s["sector"])
        ]
        version = int(found[0]["version"]) if found else 1
        await _edit(
            db, lambda tx: editing.delete_subscription(tx, s["partner"], s["topic"], s["sector"], version)
        )
    elif action in ("rename", "kind", "sectors", "regions", "deactivate", "reactivate"):
        patch: dict[str, Any] = {
            "rename": lambda: {"name": data.draw(st.sampled_from(NAMES))},
            "kind": lambda: {"kind": data.draw(st.sampled_from(KINDS))},
            "sectors": lambda: (
                {"sectors": data.draw(st.lists(st.sampled_from(sectors), unique=True, max_size=2))}
                if sectors
                else {}
            ),
            "regions": lambda: (
                {"regions": data.draw(st.lists(st.sampled_from(regions), unique=True, max_size=1))}
                if regions
                else {}
            ),
            "deactivate": lambda: {"active": False},
            "reactivate": lambda: {"active": True},
        }[action]()
        version = await _version(db, "partners", partner)
        await _edit(db, lambda tx: editing.update(tx, "partners", partner, version, patch))
    elif action == "create_partner":
        new_id = f"{prefix}np{n}"
        fields = {
            "id": new_id,
            "name": data.draw(st.sampled_from(NAMES)),
            "kind": data.draw(st.sampled_from(KINDS)),
            "sectors": data.draw(st.lists(st.sampled_from(sectors), unique=True, max_size=2))
            if sectors
            else [],
            "regions": data.draw(st.lists(st.sampled_from(regions), unique=True, max_size=1))
            if regions
            else [],
        }
        ids["partners"].add(new_id)
        await _edit(db, lambda tx: editing.create(tx, "partners", fields))
    elif action == "merge" and len(partners) >= 2:
        keep, duplicate = data.draw(st.lists(st.sampled_from(partners), unique=True, min_size=2, max_size=2))
        keep_version = await _version(db, "partners", keep)
        duplicate_version = await _version(db, "partners", duplicate)
        await _edit(
            db, lambda tx: editing.merge_partners(tx, keep, keep_version, duplicate, duplicate_version)
        )
    elif action == "contact":
        contact_id = f"{prefix}nc{n}"
        fields = {
            "id": contact_id,
            "partner": partner,
            "name": data.draw(st.sampled_from(NAMES)),
            "email": f"nc{n}.{abs(hash(prefix)) % 10**8}@example.org",
            "channels": data.draw(
                st.lists(st.sampled_from(("EMAIL", "PHONE", "HSIN")), unique=True, min_size=1)
            ),
            "pciiAuthorized": data.draw(st.booleans()),
            "active": data.draw(st.booleans()),
        }
        ids["contacts"].add(contact_id)
        await _edit(db, lambda tx: editing.create(tx, "contacts", fields))
    elif action == "import" and councils:
        # An import of a new partner, a contact of it, and the council it joins (the council's
        # record, members and all, as a re-import sends it).
        new_id = f"{prefix}ip{n}"
        council = dict(data.draw(st.sampled_from(doc["councils"])))
        council["members"] = [*council.get("members", []), {"partner": new_id, "role": "MEMBER"}]
        document = {
            "partners": [
                {
                    "id": new_id,
                    "name": data.draw(st.sampled_from(NAMES)),
                    "kind": data.draw(st.sampled_from(KINDS)),
                    "sectors": [],
                    "regions": [],
                }
            ],
            "councils": [council],
            "contacts": [
                {
                    "id": f"{new_id}c",
                    "partner": new_id,
                    "name": "Imported",
                    "email": f"ip{n}.{abs(hash(prefix)) % 10**8}@example.org",
                    "channels": ["EMAIL"],
                    "pciiAuthorized": True,
                }
            ],
        }
        report = await import_network(db, document)
        if report.ok:
            ids["partners"].add(new_id)
            ids["contacts"].add(f"{new_id}c")
    return action


async def _lists_match(db: Database, ids: dict[str, set[str]], prefix: str, step: str) -> dict[str, Any]:
    """Every product's list from the index equals the reference's; the graph as read back."""
    doc = await _graph(db, ids)
    for product in doc["products"]:
        from_index = await recipients.resolve(db, product)
        holder = db.derived["audience"]
        # The index answered, and it was loaded at the graph version of now.
        assert isinstance(holder.index, audience.AudienceIndex)
        assert holder.index.token == await db.graph_version()
        expected = reference.resolve_recipients(doc, product)
        assert _service_answer(from_index, prefix) == expected, (step, product["id"])
        # Asked for again at the same graph version, the list kept with the index: still the
        # graph's (and after the next step, whose product records are the same, the new graph's).
        again = await recipients.resolve(db, product)
        assert _service_answer(again, prefix) == expected, (step, product["id"], "kept")
    return doc


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
@given(doc=networks(prefix="e-"), data=st.data())
async def test_every_list_matches_the_reference_after_each_edit_and_import(
    db: Database, doc: dict[str, Any], data: st.DataObject
) -> None:
    db = replace(db, recipient_index_reload_seconds=0.0)  # every step loads it again
    prefix = unique_prefix(f"idx{next(_examples)}x")
    prefixed = add_prefix(doc, prefix)
    report = await import_network(db, prefixed)
    assert report.ok, report.problems
    ids = {
        collection: {r["id"] for r in prefixed.get(collection, []) if "id" in r}
        for collection in COLLECTIONS
        if collection != "subscriptions"
    }
    now = await _lists_match(db, ids, prefix, "import")
    for n in range(STEPS):
        step = await _step(db, data, now, ids, prefix, n)
        now = await _lists_match(db, ids, prefix, step)


async def test_partner_edits_are_followed_from_the_change_log_and_other_changes_come_from_cypher(
    db: Database,
) -> None:
    """An edit confined to partners (a membership, a rename) brings the index up to date from the
    change log, reading only those partners again, never the whole graph; a change of anything
    else (a council's record) leaves the index stale, and within the reload interval the lists
    come from Cypher. Every list shows the very last write, in the list's order."""
    patient = replace(db, recipient_index_reload_seconds=3600.0)
    prefix = unique_prefix("idxwait")
    partner = {"kind": "PRIVATE", "sectors": [], "regions": []}
    doc = {
        "sectors": [{"id": f"{prefix}s", "name": "Wait Sector"}],
        "partners": [{**partner, "id": f"{prefix}p{i}", "name": f"Wait {i}"} for i in range(3)],
        "councils": [
            {
                "id": f"{prefix}c",
                "name": "Wait Council",
                "kind": "SCC",
                "sectors": [f"{prefix}s"],
                "members": [{"partner": f"{prefix}p0", "role": "CHAIR"}],
            }
        ],
        "requirements": [
            {
                "id": f"{prefix}r",
                "council": f"{prefix}c",
                "sector": f"{prefix}s",
                "kinds": ["ALERT"],
                "levels": [],
                "topics": [],
                "minSeverity": None,
                "audience": {"council": f"{prefix}c"},
                "channel": "HSIN",
            }
        ],
        "products": [
            {
                "id": f"{prefix}x",
                "title": "Wait alert",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "GREEN",
                "pcii": False,
                "sectors": [f"{prefix}s"],
                "topics": [],
                "regions": [],
                "addressedTo": [],
                "publishedAt": "2026-11-25T12:00:00Z",
            }
        ],
    }
    report = await import_network(patient, doc)
    assert report.ok, report.problems

    async def listed() -> list[str]:
        answer = await recipients.recipients_of(patient, f"{prefix}x")
        return [r.partner["id"] for r in answer.recipients if r.partner["id"].startswith(prefix)]

    await recipients.recipients_of(replace(db, recipient_index_reload_seconds=0.0), f"{prefix}x")
    holder = db.derived["audience"]
    loaded, loads = holder.index, holder.loads
    assert loaded is not None and loaded.token == await db.graph_version()

    await _edit(patient, lambda tx: editing.add_membership(tx, f"{prefix}p1", f"{prefix}c", "MEMBER"))
    assert await listed() == [f"{prefix}p0", f"{prefix}p1"]
    # Renamed to come first: the list's order follows the name.
    version = await _version(db, "partners", f"{prefix}p1")
    await _edit(
        patient, lambda tx: editing.update(tx, "partners", f"{prefix}p1", version, {"name": "Aardvark"})
    )
    assert await listed() == [f"{prefix}p1", f"{prefix}p0"]
    followed = holder.index
    assert followed is not loaded and followed.token == await db.graph_version()
    assert holder.loads == loads  # brought up to date from the log, not loaded again

    council = (await read_records(db, "councils", [f"{prefix}c"]))[0]
    members = [*council["members"], {"partner": f"{prefix}p2", "role": "MEMBER"}]
    await _edit(
        patient,
        lambda tx: editing.update(
            tx, "councils", f"{prefix}c", int(council["version"]), {"members": members}
        ),
    )
    assert await listed() == [f"{prefix}p1", f"{prefix}p0", f"{prefix}p2"]
    assert holder.index is followed and holder.loads == loads  # stale, and Cypher answered


async def test_a_load_that_partner_edits_interleave_with_ends_as_the_graph_after_them(db: Database) -> None:
    """The graph is read whole one statement after another, so partner edits committed in between
    show in some of its statements and not in others (here: after the partners were read, before
    their links and contacts). Brought up to date from the change log, that index gives every
    product the same candidates, reasons and contacts as an index loaded afresh afterwards."""
    prefix = unique_prefix("idxmix")
    doc = {
        "sectors": [{"id": f"{prefix}s{i}", "name": f"Mix Sector {i}"} for i in range(2)],
        "topics": [{"id": f"{prefix}t", "name": "Mix Topic"}],
        "partners": [
            {
                "id": f"{prefix}p{i}",
                "name": f"Mix {i}",
                "kind": kind,
                "sectors": [f"{prefix}s{i % 2}"],
                "regions": [],
            }
            for i, kind in enumerate(("PRIVATE", "STATE", "FEDERAL", "PRIVATE"))
        ],
        "councils": [
            {
                "id": f"{prefix}c",
                "name": "Mix Council",
                "kind": "SCC",
                "sectors": [f"{prefix}s0"],
                "members": [{"partner": f"{prefix}p0", "role": "CHAIR"}],
            }
        ],
        "requirements": [
            {
                "id": f"{prefix}r{i}",
                "council": f"{prefix}c",
                "sector": f"{prefix}s{i}",
                "kinds": [],
                "levels": [],
                "topics": [],
                "minSeverity": None,
                "audience": audience,
                "channel": "EMAIL",
            }
            for i, audience in enumerate(
                ({"council": f"{prefix}c"}, {"sector": f"{prefix}s1", "partnerKinds": ["PRIVATE", "STATE"]})
            )
        ],
        "products": [
            {
                "id": f"{prefix}x{i}",
                "title": "Mix alert",
                "kind": "ALERT",
                "level": "OPERATIONAL",
                "severity": "HIGH",
                "tlp": "GREEN",
                "pcii": pcii,
                "sectors": [f"{prefix}s0", f"{prefix}s1"],
                "topics": [f"{prefix}t"],
                "regions": [],
                "addressedTo": [],
                "publishedAt": "2026-11-25T12:00:00Z",
            }
            for i, pcii in enumerate((False, True))
        ],
    }
    assert (await import_network(db, doc)).ok
    state = await db.graph_state()
    assert state is not None
    partner_rows = await index_module._collected(db, "partners")

    p = [f"{prefix}p{i}" for i in range(4)]
    await _edit(db, lambda tx: editing.add_membership(tx, p[1], f"{prefix}c", "MEMBER"))
    version = await _version(db, "partners", p[1])
    await _edit(
        db, lambda tx: editing.update(tx, "partners", p[1], version, {"name": "Aa", "kind": "PRIVATE"})
    )
    version = await _version(db, "partners", p[3])
    await _edit(db, lambda tx: editing.update(tx, "partners", p[3], version, {"active": False}))
    new = {"id": f"{prefix}p9", "name": "Mix new", "kind": "STATE", "sectors": [f"{prefix}s1"], "regions": []}
    await _edit(db, lambda tx: editing.create(tx, "partners", new))
    subscription = {"partner": p[0], "topic": f"{prefix}t", "sector": None, "minSeverity": "LOW"}
    await _edit(db, lambda tx: editing.create_subscription(tx, subscription))
    contact = {
        "id": f"{prefix}k",
        "partner": p[1],
        "name": "Mix Contact",
        "email": f"{prefix}k@example.org",
        "channels": ["EMAIL"],
        "pciiAuthorized": True,
        "active": True,
    }
    await _edit(db, lambda tx: editing.create(tx, "contacts", contact))

    rows = index_module.GraphRows(
        partners=partner_rows,
        links=await index_module._collected(db, "links"),
        requirements=await index_module._collected(db, "requirements"),
        contacts=await index_module._collected(db, "contacts"),
        regions=await index_module._collected(db, "regions"),
    )
    followed = await audience._advance(db, index_module.build(*state, rows))
    fresh = await audience._load(db)
    assert followed is not None and fresh is not None and followed.token == fresh.token

    def listed(index: audience.AudienceIndex, product: dict[str, Any]) -> list[Any]:
        return [
            (partner, name, kind, sorted(reasons, key=repr), exclusion, contacts)
            for partner, name, kind, reasons, exclusion, contacts in index.candidates(product)
            if partner.startswith(prefix)
        ]

    products = {r["id"]: r for r in await read_records(db, "products", [f"{prefix}x0", f"{prefix}x1"])}
    for product in products.values():
        assert listed(followed, product) == listed(fresh, product)
    # The edits show: renamed "Aa", p1 comes first; p3 is inactive; the new partner is reached.
    plain = listed(fresh, products[f"{prefix}x0"])
    assert [row[0] for row in plain if row[4] is None] == [p[1], p[0], f"{prefix}p9"]
    assert [row[4] for row in plain if row[0] == p[3]] == ["INACTIVE"]
    assert [c["id"] for c in plain[0][5]] == [f"{prefix}k"]


async def test_a_large_index_is_loaded_out_of_the_collectors_sight(db: Database, monkeypatch: Any) -> None:
    """An index of a large network is millions of objects that live until the next index: left
    where the garbage collector walks, every older pass of it walks them all (a second's stall in
    the middle of a list, on the 100,000-partner network). Once loaded, they are in none of the
    collector's generations. Here every index counts as large."""
    monkeypatch.setattr(audience, "KEPT_FROM_COLLECTOR_FROM", 1)
    await import_network(
        db, {"partners": [{"id": unique_prefix("gcidx"), "name": "Collected", "kind": "PRIVATE"}]}
    )
    index = await audience.current_index(replace(db, derived={}))  # a process of its own: loaded whole
    assert index is not None
    walked = {id(o) for o in gc.get_objects()}
    for part in (index.ids, index.names, index.number, index.links_of, index.contacts, index.reachable):
        assert id(part) not in walked
