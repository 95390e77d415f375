// The stored items of $ids, as an analyst's draft needs them.
// Changes the partnership graph: no
MATCH (i:OpenSourceItem)
WHERE i.id IN $ids
RETURN i.id AS id, i.sectors AS sectors, i.summary AS summary
