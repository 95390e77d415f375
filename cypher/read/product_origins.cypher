// The origin of each product held with one of these ids; a product written before origins were
// recorded is this node's own.
// Changes the partnership graph: no
MATCH (p:InformationProduct) WHERE p.id IN $ids
RETURN p.id AS id, coalesce(p.origin, $localOrigin) AS origin
