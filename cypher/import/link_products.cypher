// Changes the partnership graph: no
UNWIND $rows AS row
MATCH (p:InformationProduct {id: row.id})
CALL (p, row) {
  UNWIND row.sectors AS id
  MATCH (s:Sector {id: id})
  MERGE (p)-[:ABOUT_SECTOR]->(s)
}
CALL (p, row) {
  UNWIND row.topics AS id
  MATCH (t:Topic {id: id})
  MERGE (p)-[:ABOUT_TOPIC]->(t)
}
CALL (p, row) {
  UNWIND row.regions AS id
  MATCH (r:Region {id: id})
  MERGE (p)-[:ABOUT_REGION]->(r)
}
CALL (p, row) {
  UNWIND row.addressedTo AS id
  MATCH (x:Partner {id: id})
  MERGE (p)-[:ADDRESSED_TO]->(x)
}
CALL (p, row) {
  WITH p, row WHERE row.issuedBy IS NOT NULL
  MATCH (x:Partner {id: row.issuedBy})
  MERGE (p)-[:ISSUED_BY]->(x)
}
