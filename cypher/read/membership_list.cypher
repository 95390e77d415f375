// Memberships (partner, council, role), optionally of one partner, one council or one role;
// ordered by council name, partner name; Relay window as in read/list.cypher.
// Changes the partnership graph: no
MATCH (p:Partner)-[m:MEMBER_OF]->(c:Council)
WHERE ($partner IS NULL OR p.id = $partner) AND ($council IS NULL OR c.id = $council)
  AND ($role IS NULL OR m.role = $role)
WITH p, m, c ORDER BY c.name, c.id, p.name, p.id
WITH collect({partner: p.id, council: c.id, role: m.role}) AS rows
WITH rows, size(rows) AS total
WITH rows, total, CASE WHEN $after IS NULL THEN 0 ELSE $after + 1 END AS lo,
     CASE WHEN $before IS NULL OR $before > size(rows) THEN size(rows) ELSE $before END AS hi
WITH rows, total, lo, CASE WHEN hi < lo THEN lo ELSE hi END AS hi
WITH rows, total, lo, CASE WHEN $first IS NULL OR lo + $first > hi THEN hi ELSE lo + $first END AS stop
WITH rows, total, stop, CASE WHEN $last IS NULL OR stop - $last < lo THEN lo ELSE stop - $last END AS start
RETURN total, start, rows[start..stop] AS page
