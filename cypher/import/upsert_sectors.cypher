UNWIND $rows AS row
MERGE (s:Sector {id: row.id})
SET s.name = row.name,
    s.version = coalesce(s.version, 0) + 1,
    // When this version came to be (STIX `modified`); the first one's time is `created`.
    s.modifiedAt = datetime.realtime(), s.createdAt = coalesce(s.createdAt, datetime.realtime())
WITH s
OPTIONAL MATCH (s)-[old:SECTOR_SPECIFIC_AGENCY]->()
DELETE old
