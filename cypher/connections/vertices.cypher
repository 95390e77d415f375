// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (v:Vertex {id: id})
RETURN v.id AS id, v.name AS name, CASE WHEN v:Partner THEN 'PARTNER' ELSE 'COUNCIL' END AS type
