// The digests of the day [$from, $to): for each active partner subscribing to a sector with
// DAILY_DIGEST delivery, the day's shareable products about any of those sectors (at or above
// each subscription's minimum severity), each once, newest first; and its active contacts.
// Changes the partnership graph: no
MATCH (x:Partner)-[s:SUBSCRIBES_TO {delivery: 'DAILY_DIGEST'}]->(sector:Sector)
WHERE coalesce(x.active, true)
MATCH (sector)<-[:ABOUT_SECTOR]-(p:InformationProduct)
WHERE p.publishedAt >= datetime($from) AND p.publishedAt < datetime($to)
  AND p.tlp IN $tlps AND NOT coalesce(p.pcii, false)
  AND coalesce(p.severityRank, 0) >= coalesce(s.minSeverityRank, 0)
WITH DISTINCT x, p
WITH x, p ORDER BY p.publishedAt DESC, p.id
WITH x, collect(p.id) AS products
MATCH (c:Contact)-[:WORKS_FOR]->(x)
WHERE c.active
RETURN x.id AS partner, c.id AS contact, c.email AS email, products
ORDER BY partner, contact
