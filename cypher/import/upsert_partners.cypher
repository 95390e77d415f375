// A record's lists replace what the graph held: drop the relationships this record owns.
UNWIND $rows AS row
MERGE (p:Partner:Vertex {id: row.id})
SET p.name = row.name, p.kind = row.kind, p.active = row.active,
    p.fusionCenterType = row.fusionCenterType, p.illustrative = row.illustrative,
    p.intake = row.intake,
    p.version = coalesce(p.version, 0) + 1,
    // When this version came to be (STIX `modified`); the first one's time is `created`.
    p.modifiedAt = datetime.realtime(), p.createdAt = coalesce(p.createdAt, datetime.realtime())
WITH p
CALL (p) {
  OPTIONAL MATCH (p)-[old:IN_SECTOR|IN_REGION|SERVES|CLIENT_OF]->()
  DELETE old
}
CALL (p) {
  OPTIONAL MATCH (p)-[old:PARTNERS_WITH]-()
  DELETE old
}
