// The collaboration graph is partners and councils joined by membership,
// agreements, client relations and council parents, all taken as undirected.
// 10 is the largest maxHops the API accepts; the bound must be a literal. The caller compares
// the length with maxHops: a WHERE on the path here would turn the breadth-first search into
// an exhaustive one.
// Changes the partnership graph: no
MATCH (a:Vertex {id: $from}), (b:Vertex {id: $to})
MATCH path = shortestPath((a)-[:MEMBER_OF|PARTNERS_WITH|CLIENT_OF|PART_OF*1..10]-(b))
RETURN [v IN nodes(path) | {id: v.id, name: v.name,
        type: CASE WHEN v:Partner THEN 'PARTNER' ELSE 'COUNCIL' END}] AS steps
