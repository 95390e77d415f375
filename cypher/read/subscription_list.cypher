// Subscriptions, optionally of one partner, or to one topic or sector; ordered by partner name,
// then target; Relay window as in read/list.cypher.
// Changes the partnership graph: no
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(t)
WHERE ($partner IS NULL OR p.id = $partner)
  AND ($topic IS NULL OR (t:Topic AND t.id = $topic))
  AND ($sector IS NULL OR (t:Sector AND t.id = $sector))
WITH p, s, t ORDER BY p.name, p.id, t.id
WITH collect({partner: p.id, topic: CASE WHEN t:Topic THEN t.id END,
              sector: CASE WHEN t:Sector THEN t.id END, minSeverity: s.minSeverity,
              delivery: coalesce(s.delivery, 'IMMEDIATE'), version: s.version}) AS rows
WITH rows, size(rows) AS total
WITH rows, total, CASE WHEN $after IS NULL THEN 0 ELSE $after + 1 END AS lo,
     CASE WHEN $before IS NULL OR $before > size(rows) THEN size(rows) ELSE $before END AS hi
WITH rows, total, lo, CASE WHEN hi < lo THEN lo ELSE hi END AS hi
WITH rows, total, lo, CASE WHEN $first IS NULL OR lo + $first > hi THEN hi ELSE lo + $first END AS stop
WITH rows, total, stop, CASE WHEN $last IS NULL OR stop - $last < lo THEN lo ELSE stop - $last END AS start
RETURN total, start, rows[start..stop] AS page
