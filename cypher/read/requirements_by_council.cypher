// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (r:Requirement)-[:SET_BY]->(:Council {id: id})
RETURN id AS key, r.id AS requirement
ORDER BY r.id
