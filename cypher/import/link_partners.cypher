// A relationship that is already there is left alone: MERGE would lock it all the same.
// Changes the partnership graph: yes
UNWIND $rows AS row
MATCH (p:Partner {id: row.id})
CALL (p, row) {
  UNWIND row.sectors AS id
  MATCH (s:Sector {id: id})
  WHERE NOT EXISTS { (p)-[:IN_SECTOR]->(s) }
  MERGE (p)-[:IN_SECTOR]->(s)
}
CALL (p, row) {
  UNWIND row.regions AS id
  MATCH (r:Region {id: id})
  WHERE NOT EXISTS { (p)-[:IN_REGION]->(r) }
  MERGE (p)-[:IN_REGION]->(r)
}
CALL (p, row) {
  UNWIND row.serves AS id
  MATCH (r:Region {id: id})
  WHERE NOT EXISTS { (p)-[:SERVES]->(r) }
  MERGE (p)-[:SERVES]->(r)
}
CALL (p, row) {
  UNWIND row.clientOf AS id
  MATCH (q:Partner {id: id})
  WHERE NOT EXISTS { (p)-[:CLIENT_OF]->(q) }
  MERGE (p)-[:CLIENT_OF]->(q)
}
CALL (p, row) {
  // Undirected agreement: one relationship per pair, whichever side declared it.
  UNWIND row.partnersWith AS id
  MATCH (q:Partner {id: id})
  WHERE NOT EXISTS { (p)-[:PARTNERS_WITH]-(q) }
  MERGE (p)-[:PARTNERS_WITH]-(q)
}
