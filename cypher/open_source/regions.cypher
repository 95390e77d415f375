// The region tree's names, for suggesting the regions an item speaks of.
// Changes the partnership graph: no
MATCH (r:Region)
RETURN r.id AS id, r.name AS name, r.kind AS kind
ORDER BY id
