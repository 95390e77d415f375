UNWIND $rows AS row
MERGE (s:Sector {id: row.id})
SET s.name = row.name,
    s.version = coalesce(s.version, 0) + 1
WITH s
OPTIONAL MATCH (s)-[old:SECTOR_SPECIFIC_AGENCY]->()
DELETE old
