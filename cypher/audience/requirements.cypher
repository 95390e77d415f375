// Every requirement with what a product must meet and whom it reaches: [id, sectors, kinds,
// levels, least severity rank, whether it names topics at all, the topics it names, audience
// councils, audience sectors, the audience's partner kinds, channel], in one record.
// Changes the partnership graph: no
MATCH (r:Requirement)
RETURN collect([r.id, [(r)-[:FOR_SECTOR]->(s:Sector) | s.id], r.kinds, r.levels, r.minSeverityRank,
  EXISTS { (r)-[:ON_TOPIC]->() }, [(r)-[:ON_TOPIC]->(t:Topic) | t.id],
  [(r)-[:AUDIENCE]->(c:Council) | c.id], [(r)-[:AUDIENCE]->(s:Sector) | s.id],
  r.audiencePartnerKinds, r.channel]) AS rows
