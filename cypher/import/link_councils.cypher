// Changes the partnership graph: yes
UNWIND $rows AS row
MATCH (c:Council {id: row.id})
CALL (c, row) {
  UNWIND row.sectors AS id
  MATCH (s:Sector {id: id})
  MERGE (c)-[:COVERS]->(s)
}
CALL (c, row) {
  WITH c, row WHERE row.parent IS NOT NULL
  MATCH (parent:Council {id: row.parent})
  MERGE (c)-[:PART_OF]->(parent)
}
CALL (c, row) {
  UNWIND row.members AS member
  MATCH (p:Partner {id: member.partner})
  MERGE (p)-[m:MEMBER_OF]->(c)
  ON CREATE SET m.role = member.role, m.version = 1
  ON MATCH SET m.version = m.version + CASE WHEN m.role = member.role THEN 0 ELSE 1 END,
               m.role = member.role
}
