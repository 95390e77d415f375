// A product is identified by (origin, id). Products written before origins were recorded were
// written here: they are this node's own ('local').
// Changes the partnership graph: no
MATCH (p:InformationProduct) WHERE p.origin IS NULL
SET p.origin = 'local';
