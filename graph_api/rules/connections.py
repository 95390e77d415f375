"""Who is connected to whom: shortest paths and neighbourhoods."""

from __future__ import annotations

from dataclasses import dataclass

from graph_api.errors import InvalidInput, NotFound
from graph_api.store.database import Database, Record

MAX_HOPS = 10
DEFAULT_MAX_HOPS = 6
MAX_DEPTH = 4
MAX_NEIGHBORHOOD = 5000


@dataclass(frozen=True)
class PathStep:
    id: str
    name: str
    type: str


@dataclass(frozen=True)
class ConnectionPath:
    length: int
    path: list[PathStep]


@dataclass(frozen=True)
class Neighbor:
    id: str
    name: str
    type: str
    distance: int


async def _vertices(db: Database, ids: list[str]) -> dict[str, Record]:
    return {row["id"]: row for row in await db.read("connections/vertices", ids=ids)}


async def connection(db: Database, from_id: str, to_id: str, max_hops: int) -> ConnectionPath | None:
    if not 0 <= max_hops <= MAX_HOPS:
        raise InvalidInput(f"maxHops must be between 0 and {MAX_HOPS}, got {max_hops}.")
    found = await _vertices(db, sorted({from_id, to_id}))
    for argument, vertex_id in (("from", from_id), ("to", to_id)):
        if vertex_id not in found:
            raise NotFound(f"No partner or council has the id '{vertex_id}' (argument '{argument}').")
    if from_id == to_id:
        return ConnectionPath(0, [PathStep(**found[from_id])])
    rows = await db.read("connections/shortest_path", **{"from": from_id, "to": to_id})
    steps = [PathStep(**step) for step in rows[0]["steps"]] if rows else []
    if not steps or len(steps) - 1 > max_hops:
        return None
    return ConnectionPath(len(steps) - 1, steps)


async def neighborhood(db: Database, partner_id: str, depth: int) -> list[Neighbor]:
    """Vertices within `depth` edges of the partner, nearest first, then by name and id."""
    if not 0 <= depth <= MAX_DEPTH:
        raise InvalidInput(f"depth must be between 0 and {MAX_DEPTH}, got {depth}.")
    start = await _vertices(db, [partner_id])
    if partner_id not in start or start[partner_id]["type"] != "PARTNER":
        raise NotFound(f"No partner has the id '{partner_id}'.")
    distance = {partner_id: 0}
    frontier = [partner_id]
    for step in range(1, depth + 1):
        if not frontier or len(distance) >= MAX_NEIGHBORHOOD:
            break
        rows = await db.read("connections/expand", frontier=frontier, seen=list(distance))
        frontier = [row["id"] for row in rows]
        distance.update((vertex, step) for vertex in frontier)
    names = await _vertices(db, list(distance))
    neighbors = [Neighbor(distance=distance[v], **names[v]) for v in distance]
    return sorted(neighbors, key=lambda n: (n.distance, n.name, n.id))[:MAX_NEIGHBORHOOD]
