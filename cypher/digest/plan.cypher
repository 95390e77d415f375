// The digests of the day [$from, $to): for each active partner subscribing to a sector with
// DAILY_DIGEST delivery, the day's shareable products about any of those sectors (at or above
// each subscription's minimum severity) that the partner's users may open, each once, newest
// first; and its active contacts. The VIEWER slot holds access/product_viewer.cypher with the
// partner bound per row (accessPartner), the VISIBLE slot the rule of access/product_visible.cypher
// for the product `p`: a digest names only what the product view rule lets its reader open.
// Changes the partnership graph: no
MATCH (subscriber:Partner)-[:SUBSCRIBES_TO {delivery: 'DAILY_DIGEST'}]->(:Sector)
WHERE coalesce(subscriber.active, true)
WITH DISTINCT subscriber.id AS accessPartner
CALL (accessPartner) {
  /*VIEWER*/
  MATCH (accessViewer)-[subscription:SUBSCRIBES_TO {delivery: 'DAILY_DIGEST'}]->(:Sector)<-[:ABOUT_SECTOR]-(p:InformationProduct)
  WHERE p.publishedAt >= datetime($from) AND p.publishedAt < datetime($to)
    AND p.tlp IN $tlps AND NOT coalesce(p.pcii, false)
    AND coalesce(p.severityRank, 0) >= coalesce(subscription.minSeverityRank, 0)
    AND /*VISIBLE*/
  WITH DISTINCT accessViewer AS x, p
  WITH x, p ORDER BY p.publishedAt DESC, p.id
  RETURN x, collect(p.id) AS products
}
MATCH (c:Contact)-[:WORKS_FOR]->(x)
WHERE c.active
RETURN x.id AS partner, c.id AS contact, c.email AS email, products
ORDER BY partner, contact
