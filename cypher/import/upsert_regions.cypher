// Changes the partnership graph: yes
UNWIND $rows AS row
MERGE (r:Region {id: row.id})
SET r.name = row.name, r.kind = row.kind,
    r.version = coalesce(r.version, 0) + 1
WITH r
OPTIONAL MATCH (r)-[old:PART_OF]->()
DELETE old
