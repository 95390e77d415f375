// Changes the partnership graph: no
MATCH (c:Contact)-[:WORKS_FOR]->(p:Partner) WHERE c.id IN $ids
RETURN c.id AS id, p.id AS partner, c.name AS name, c.email AS email,
       c.pciiAuthorized AS pciiAuthorized, c.channels AS channels, c.active AS active,
       c.illustrative AS illustrative,
       c.version AS version
ORDER BY id
