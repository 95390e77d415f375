// Changes the partnership graph: no
MATCH (r:Region) WHERE r.id IN $ids
RETURN r.id AS id, r.name AS name, r.kind AS kind, head([(r)-[:PART_OF]->(p) | p.id]) AS parent,
       r.version AS version
ORDER BY id
