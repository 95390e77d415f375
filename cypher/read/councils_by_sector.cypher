// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (c:Council)-[:COVERS]->(:Sector {id: id})
RETURN id AS key, c.id AS council
ORDER BY c.id
