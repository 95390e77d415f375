// What refers to a record, apart from the links the record itself owns ($own, outgoing) and the
// aliases of partners merged into it (they go with it). /*LABEL*/ comes from editing.LABELS.
// Changes the partnership graph: no
MATCH (n:/*LABEL*/ {id: $id})-[r]-(other)
WHERE NOT (startNode(r) = n AND type(r) IN $own) AND NOT r:ALIAS_OF
RETURN type(r) AS relationship, [l IN labels(other) WHERE l <> 'Vertex'][0] AS label, count(*) AS count
ORDER BY relationship, label
