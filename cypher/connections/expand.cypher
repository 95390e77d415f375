// One breadth-first step over the collaboration graph.
// Changes the partnership graph: no
UNWIND $frontier AS id
MATCH (:Vertex {id: id})-[:MEMBER_OF|PARTNERS_WITH|CLIENT_OF|PART_OF]-(w:Vertex)
WHERE NOT w.id IN $seen
RETURN DISTINCT w.id AS id
