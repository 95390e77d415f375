// Every partner, in the list's order (name, then id), for the in-process recipient index:
// [id, name, kind, active, whether it is a fusion center]. Collected into one record: the driver
// reads one large record many times faster than as many small ones.
// Changes the partnership graph: no
MATCH (p:Partner)
WITH p ORDER BY p.name, p.id
RETURN collect([p.id, p.name, p.kind, p.active, p.fusionCenterType IS NOT NULL]) AS rows
