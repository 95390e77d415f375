// Changes the partnership graph: no
MATCH (t:Topic) WHERE t.id IN $ids
RETURN t.id AS id, t.name AS name,
       t.version AS version
ORDER BY id
