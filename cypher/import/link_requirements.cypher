// Changes the partnership graph: yes
UNWIND $rows AS row
MATCH (r:Requirement {id: row.id}), (c:Council {id: row.council}), (s:Sector {id: row.sector})
MERGE (r)-[:SET_BY]->(c)
MERGE (r)-[:FOR_SECTOR]->(s)
WITH r, row
CALL (r, row) {
  UNWIND row.topics AS id
  MATCH (t:Topic {id: id})
  MERGE (r)-[:ON_TOPIC]->(t)
}
CALL (r, row) {
  WITH r, row WHERE row.audienceCouncil IS NOT NULL
  MATCH (c:Council {id: row.audienceCouncil})
  MERGE (r)-[:AUDIENCE]->(c)
}
CALL (r, row) {
  WITH r, row WHERE row.audienceSector IS NOT NULL
  MATCH (s:Sector {id: row.audienceSector})
  MERGE (r)-[:AUDIENCE]->(s)
}
