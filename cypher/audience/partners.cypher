// Every partner, in the list's order (name, then id), for the in-process recipient index:
// id, name, kind, active, whether it is a fusion center.
MATCH (p:Partner)
RETURN p.id, p.name, p.kind, p.active, p.fusionCenterType IS NOT NULL
ORDER BY p.name, p.id
