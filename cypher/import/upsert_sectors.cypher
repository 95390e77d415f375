// Changes the partnership graph: yes
UNWIND $rows AS row
// One reading of the clock: a first version's `modifiedAt` and `createdAt` are the same moment.
WITH row, datetime.realtime() AS now
MERGE (s:Sector {id: row.id})
SET s.name = row.name,
    s.version = coalesce(s.version, 0) + 1,
    // When this version came to be (STIX `modified`); the first one's time is `created`.
    s.modifiedAt = now, s.createdAt = coalesce(s.createdAt, now)
WITH s
OPTIONAL MATCH (s)-[old:SECTOR_SPECIFIC_AGENCY]->()
DELETE old
