// A filtered, sorted window of one entity's ids (Relay first/after, last/before).
// LABEL, WHERE and ORDER are filled by graph_api/store/filters.py from its allow-lists only;
// every value is a parameter.
MATCH (n:/*LABEL*/)
WHERE /*WHERE*/
WITH n ORDER BY /*ORDER*/
WITH collect(n.id) AS ids
WITH ids, size(ids) AS total
WITH ids, total, CASE WHEN $after IS NULL THEN 0 ELSE $after + 1 END AS lo,
     CASE WHEN $before IS NULL OR $before > size(ids) THEN size(ids) ELSE $before END AS hi
WITH ids, total, lo, CASE WHEN hi < lo THEN lo ELSE hi END AS hi
WITH ids, total, lo, CASE WHEN $first IS NULL OR lo + $first > hi THEN hi ELSE lo + $first END AS stop
WITH ids, total, stop, CASE WHEN $last IS NULL OR stop - $last < lo THEN lo ELSE stop - $last END AS start
RETURN total, start, ids[start..stop] AS page
