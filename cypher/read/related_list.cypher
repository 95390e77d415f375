// For each parent id, its related records, filtered and sorted, each as [id, [sort key
// values]]: one query for a whole level of nested connections. PARENT, PATTERN (from `p` to
// `n`), WHERE, ORDER and KEYS are filled by graph_api/store/filters.py from its allow-lists
// only; every value is a parameter.
// Changes the partnership graph: no
UNWIND $keys AS key
MATCH (p:/*PARENT*/ {id: key})
CALL (p) {
  MATCH /*PATTERN*/
  WHERE /*WHERE*/
  WITH n ORDER BY /*ORDER*/
  RETURN collect([n.id, /*KEYS*/]) AS rows
}
RETURN key, rows
