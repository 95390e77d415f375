// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (c:Contact)-[:WORKS_FOR]->(:Partner {id: id})
RETURN id AS key, c.id AS contact
ORDER BY c.name, c.id
