// A record's lists replace what the graph held: drop the relationships this record owns.
// Changes the partnership graph: yes
UNWIND $rows AS row
// One reading of the clock: a first version's `modifiedAt` and `createdAt` are the same moment.
WITH row, datetime.realtime() AS now
MERGE (p:Partner:Vertex {id: row.id})
SET p.name = row.name, p.kind = row.kind, p.active = row.active,
    p.fusionCenterType = row.fusionCenterType, p.illustrative = row.illustrative,
    p.intake = row.intake,
    p.version = coalesce(p.version, 0) + 1,
    // When this version came to be (STIX `modified`); the first one's time is `created`.
    p.modifiedAt = now, p.createdAt = coalesce(p.createdAt, now)
WITH p, row
// Only the relationships the new lists no longer name: one left as it was takes no lock, and a
// sector is linked to tens of thousands of partners (deleting and relinking every one of a
// partner's made concurrent edits of partners in one sector deadlock).
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:IN_SECTOR]->(s)
  WHERE NOT s.id IN coalesce(row.sectors, [])
  DELETE old
}
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:IN_REGION]->(r)
  WHERE NOT r.id IN coalesce(row.regions, [])
  DELETE old
}
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:SERVES]->(r)
  WHERE NOT r.id IN coalesce(row.serves, [])
  DELETE old
}
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:CLIENT_OF]->(q)
  WHERE NOT q.id IN coalesce(row.clientOf, [])
  DELETE old
}
CALL (p, row) {
  OPTIONAL MATCH (p)-[old:PARTNERS_WITH]-(q)
  WHERE NOT q.id IN coalesce(row.partnersWith, [])
  DELETE old
}
