// The events numbered above $after, oldest first: an index seek on the sequence constraint.
// Changes the partnership graph: no
MATCH (e:Event)
WHERE e.sequence > $after
RETURN e.sequence AS sequence, e.kind AS kind, toString(e.at) AS at, e.actor AS actor,
       e.product AS product, e.partner AS partner, e.message AS message, e.status AS status,
       e.collection AS collection, e.key AS key, e.detail AS detail
ORDER BY e.sequence
LIMIT $limit
