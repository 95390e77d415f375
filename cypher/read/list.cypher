// One entity's records, filtered and sorted, each as [id, [sort key values]]: the resolvers
// window them by keyset cursors (graph_api/store/keyset.py). LABEL, WHERE, ORDER and KEYS are
// filled by graph_api/store/filters.py from its allow-lists only; every value is a parameter.
// Changes the partnership graph: no
MATCH (n:/*LABEL*/)
WHERE /*WHERE*/
WITH n ORDER BY /*ORDER*/
RETURN collect([n.id, /*KEYS*/]) AS rows
