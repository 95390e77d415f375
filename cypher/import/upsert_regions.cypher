UNWIND $rows AS row
MERGE (r:Region {id: row.id})
SET r.name = row.name, r.kind = row.kind
WITH r
OPTIONAL MATCH (r)-[old:PART_OF]->()
DELETE old
