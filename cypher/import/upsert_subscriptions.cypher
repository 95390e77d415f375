// A subscription is identified by its partner and what it subscribes to.
// Changes the partnership graph: yes
UNWIND $rows AS row
MATCH (p:Partner {id: row.partner})
CALL (p, row) {
  WITH p, row WHERE row.topic IS NOT NULL
  MATCH (t:Topic {id: row.topic})
  MERGE (p)-[s:SUBSCRIBES_TO]->(t)
  SET s.minSeverity = row.minSeverity, s.minSeverityRank = row.minSeverityRank,
      s.delivery = row.delivery,
      s.version = coalesce(s.version, 0) + 1
}
CALL (p, row) {
  WITH p, row WHERE row.sector IS NOT NULL
  MATCH (t:Sector {id: row.sector})
  MERGE (p)-[s:SUBSCRIBES_TO]->(t)
  SET s.minSeverity = row.minSeverity, s.minSeverityRank = row.minSeverityRank,
      s.delivery = row.delivery,
      s.version = coalesce(s.version, 0) + 1
}
