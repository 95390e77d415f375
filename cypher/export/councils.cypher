// Changes the partnership graph: no
MATCH (c:Council) WHERE c.id IN $ids
RETURN c.id AS id, c.name AS name, c.kind AS kind,
       [(c)-[:COVERS]->(s) | s.id] AS sectors,
       head([(c)-[:PART_OF]->(p) | p.id]) AS parent,
       [(p)-[m:MEMBER_OF]->(c) | {partner: p.id, role: m.role}] AS members,
       c.illustrative AS illustrative,
       c.version AS version
ORDER BY id
