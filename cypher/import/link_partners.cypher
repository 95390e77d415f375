UNWIND $rows AS row
MATCH (p:Partner {id: row.id})
CALL (p, row) {
  UNWIND row.sectors AS id
  MATCH (s:Sector {id: id})
  MERGE (p)-[:IN_SECTOR]->(s)
}
CALL (p, row) {
  UNWIND row.regions AS id
  MATCH (r:Region {id: id})
  MERGE (p)-[:IN_REGION]->(r)
}
CALL (p, row) {
  UNWIND row.serves AS id
  MATCH (r:Region {id: id})
  MERGE (p)-[:SERVES]->(r)
}
CALL (p, row) {
  UNWIND row.clientOf AS id
  MATCH (q:Partner {id: id})
  MERGE (p)-[:CLIENT_OF]->(q)
}
CALL (p, row) {
  // Undirected agreement: one relationship per pair, whichever side declared it.
  UNWIND row.partnersWith AS id
  MATCH (q:Partner {id: id})
  MERGE (p)-[:PARTNERS_WITH]-(q)
}
