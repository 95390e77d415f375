// What the recipient index holds of each partner named in $ids, read again after a change:
// [id, whether it exists, name, kind, active, whether it is a fusion center, links, contacts].
// Links are [what the link is, what it leads to, least severity rank] with the names of
// links.cypher; contacts are in contacts.cypher's order and shape (without the partner id).
// Changes the partnership graph: no
UNWIND $ids AS id
OPTIONAL MATCH (p:Partner {id: id})
RETURN [id, p IS NOT NULL, p.name, p.kind, p.active, p.fusionCenterType IS NOT NULL,
  CASE WHEN p IS NULL THEN [] ELSE
    [(p)-[:IN_SECTOR]->(x:Sector) | ['IN_SECTOR', x.id, null]]
    + [(p)-[:MEMBER_OF]->(x:Council) | ['MEMBER_OF', x.id, null]]
    + [(p)-[:SERVES]->(x:Region) | ['SERVES', x.id, null]]
    + [(p)-[:IN_REGION]->(x) | ['IN_REGION', x.id, null]]
    + [(p)-[s:SUBSCRIBES_TO]->(x:Topic) | ['TOPIC_SUBSCRIPTION', x.id, s.minSeverityRank]]
    + [(p)-[s:SUBSCRIBES_TO]->(x:Sector) | ['SECTOR_SUBSCRIPTION', x.id, s.minSeverityRank]]
  END,
  COLLECT {
    MATCH (c:Contact)-[:WORKS_FOR]->(p)
    WITH c ORDER BY c.name, c.id
    RETURN [c.id, c.name, c.email, c.channels, c.pciiAuthorized, c.active, c.version]
  }] AS row
