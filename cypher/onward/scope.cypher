// The onward scope of fusion center $accessPartner for product $productId: whether it is a
// fusion center, whether it may see the product (the VIEWER slot binds the facts about it as
// access/product_viewer.cypher does, the VISIBLE slot is access/product_visible.cypher on `product`),
// and one row per partner of its scope -- a partner other than it in a region related to one it
// serves (areaRef: the smallest such served region), or a client of it -- with what the onward
// rules decide by: [id, name, kind, active, areaRef, client, community, addressed,
// authorized contact, contacts (clients only; the fields of rules/recipients.py CONTACT_FIELDS)].
// Changes the partnership graph: no
/*VIEWER*/
OPTIONAL MATCH (product:InformationProduct {id: $productId})
WITH accessViewer AS f, product, coalesce(product IS NOT NULL AND /*VISIBLE*/, false) AS visible
CALL (f, product, visible) {
  WITH f, product
  WHERE visible AND f.fusionCenterType IS NOT NULL
  CALL (f) {
    MATCH (f)-[:SERVES]->(g:Region)
    CALL (g) {
      MATCH (g)-[:PART_OF*0..]->(r:Region) RETURN r
      UNION
      MATCH (r:Region)-[:PART_OF*0..]->(g) RETURN r
    }
    MATCH (y:Partner)-[:IN_REGION]->(r)
    WHERE y <> f
    RETURN y, g.id AS areaRef, 0 AS client
    UNION ALL
    MATCH (y:Partner)-[:CLIENT_OF]->(f)
    RETURN y, null AS areaRef, 1 AS client
  }
  WITH f, product, y, min(areaRef) AS areaRef, max(client) = 1 AS client
  RETURN collect([y.id, y.name, y.kind, y.active, areaRef, client,
    EXISTS { (f)-[:IN_SECTOR]->(:Sector)<-[:IN_SECTOR]-(y) }
      OR EXISTS { (f)-[:MEMBER_OF]->(:Council)<-[:MEMBER_OF]-(y) },
    EXISTS { (product)-[:ADDRESSED_TO]->(y) },
    EXISTS { (c:Contact)-[:WORKS_FOR]->(y) WHERE c.active AND c.pciiAuthorized },
    CASE WHEN client THEN COLLECT {
      MATCH (c:Contact)-[:WORKS_FOR]->(y)
      WITH c ORDER BY c.name, c.id
      RETURN [c.id, c.name, c.email, c.channels, c.pciiAuthorized, c.active, c.version]
    } ELSE [] END]) AS scope
}
RETURN f IS NOT NULL AS fusionCenterFound, f.fusionCenterType IS NOT NULL AS fusionCenter, visible, scope
