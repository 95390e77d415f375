UNWIND $ids AS id
MATCH (:Partner {id: id})-[m:MEMBER_OF]->(c:Council)
RETURN id AS key, c.id AS council, m.role AS role
ORDER BY c.id
