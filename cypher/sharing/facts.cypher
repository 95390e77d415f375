// What the onward-sharing rules need to know about a product and two partners.
// Changes the partnership graph: no
OPTIONAL MATCH (p:InformationProduct {id: $productId})
OPTIONAL MATCH (x:Partner {id: $from})
OPTIONAL MATCH (y:Partner {id: $to})
RETURN p IS NOT NULL AS productFound, x IS NOT NULL AS fromFound, y IS NOT NULL AS toFound,
  p.tlp AS tlp, p.pcii AS pcii, y.kind AS toKind,
  EXISTS { (p)-[:ADDRESSED_TO]->(y) } AS addressed,
  EXISTS { (x)-[:IN_SECTOR]->(:Sector)<-[:IN_SECTOR]-(y) }
    OR EXISTS { (x)-[:MEMBER_OF]->(:Council)<-[:MEMBER_OF]-(y) } AS community,
  EXISTS { (y)-[:CLIENT_OF]->(x) } AS client,
  EXISTS { (c:Contact)-[:WORKS_FOR]->(y) WHERE c.active AND c.pciiAuthorized } AS toAuthorized
