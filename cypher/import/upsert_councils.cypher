// Changes the partnership graph: yes
UNWIND $rows AS row
MERGE (c:Council:Vertex {id: row.id})
SET c.name = row.name, c.kind = row.kind, c.illustrative = row.illustrative,
    c.version = coalesce(c.version, 0) + 1
WITH c, row
CALL (c) {
  OPTIONAL MATCH (c)-[old:COVERS|PART_OF]->()
  DELETE old
}
CALL (c, row) {
  // Memberships still listed stay (with their versions); link_councils updates their roles.
  OPTIONAL MATCH (c)<-[old:MEMBER_OF]-(p)
  WHERE NOT p.id IN [m IN row.members | m.partner]
  DELETE old
}
