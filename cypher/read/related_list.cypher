// For each parent id, a filtered, sorted window of related ids: one query for a whole level of
// nested connections. PARENT, PATTERN (from `p` to `n`), WHERE and ORDER are filled by
// graph_api/store/filters.py from its allow-lists only; every value is a parameter.
UNWIND $keys AS key
MATCH (p:/*PARENT*/ {id: key})
CALL (p) {
  MATCH /*PATTERN*/
  WHERE /*WHERE*/
  WITH n ORDER BY /*ORDER*/
  RETURN collect(n.id) AS ids
}
WITH key, ids, size(ids) AS total
WITH key, ids, total, CASE WHEN $after IS NULL THEN 0 ELSE $after + 1 END AS lo,
     CASE WHEN $before IS NULL OR $before > size(ids) THEN size(ids) ELSE $before END AS hi
WITH key, ids, total, lo, CASE WHEN hi < lo THEN lo ELSE hi END AS hi
WITH key, ids, total, lo, CASE WHEN $first IS NULL OR lo + $first > hi THEN hi ELSE lo + $first END AS stop
WITH key, ids, total, stop, CASE WHEN $last IS NULL OR stop - $last < lo THEN lo ELSE stop - $last END AS start
RETURN key, total, start, ids[start..stop] AS page
