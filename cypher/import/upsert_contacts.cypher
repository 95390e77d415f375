// Changes the partnership graph: yes
UNWIND $rows AS row
MERGE (c:Contact {id: row.id})
SET c.name = row.name, c.email = row.email, c.pciiAuthorized = row.pciiAuthorized,
    c.channels = row.channels, c.active = row.active, c.illustrative = row.illustrative,
    c.version = coalesce(c.version, 0) + 1
WITH c
OPTIONAL MATCH (c)-[old:WORKS_FOR]->()
DELETE old
