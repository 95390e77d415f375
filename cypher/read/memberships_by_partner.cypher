// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (:Partner {id: id})-[m:MEMBER_OF]->(c:Council)
RETURN id AS key, c.id AS council, m.role AS role, m.version AS version
ORDER BY c.id
