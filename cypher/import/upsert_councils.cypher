UNWIND $rows AS row
MERGE (c:Council:Vertex {id: row.id})
SET c.name = row.name, c.kind = row.kind, c.illustrative = row.illustrative
WITH c
CALL (c) {
  OPTIONAL MATCH (c)-[old:COVERS|PART_OF]->()
  DELETE old
}
CALL (c) {
  OPTIONAL MATCH (c)<-[old:MEMBER_OF]-()
  DELETE old
}
