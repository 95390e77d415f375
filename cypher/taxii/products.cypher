// The products of one TAXII collection with what their STIX objects need, in the order their
// reports were added (modifiedAt, then id): every product, one sector's ($sector), or those
// delivered to one partner ($deliveredTo), that the reader may see (the VISIBLE slot, with the facts
// the VIEWER slot binds), modified in [$from, $until), at most $limit of them. The range and the order
// follow the index on modifiedAt, so a page reads its own products, not the collection.
// `sources` are the open-source items a report cites, in its order (their links become the STIX
// report's external references).
// Changes the partnership graph: no
/*VIEWER*/
// In a subquery, so the products are read in the index's order after the facts about the reader.
CALL (*) {
  MATCH (p:InformationProduct)
  WHERE p.modifiedAt >= $from AND p.modifiedAt < $until
    AND ($sector IS NULL OR EXISTS { (p)-[:ABOUT_SECTOR]->(:Sector {id: $sector}) })
    AND ($deliveredTo IS NULL
         OR EXISTS { (d:Delivery)-[:OF]->(p) WHERE EXISTS { (d)-[:TO]->(:Partner {id: $deliveredTo}) } })
    AND /*VISIBLE*/
  RETURN p ORDER BY p.modifiedAt, p.id LIMIT $limit
}
RETURN p.id AS id, p.title AS title, p.kind AS kind, p.level AS level, p.severity AS severity,
       p.tlp AS tlp, p.pcii AS pcii, p.summary AS summary,
       toString(p.publishedAt) AS publishedAt,
       toString(p.createdAt) AS createdAt,
       toString(p.modifiedAt) AS modifiedAt,
       [(p)-[:ABOUT_SECTOR]->(s:Sector) | {id: s.id, name: s.name, createdAt: toString(s.createdAt),
                                           modifiedAt: toString(s.modifiedAt)}] AS sectors,
       [(p)-[:ABOUT_TOPIC]->(t) | t.id] AS topics,
       [(p)-[:ABOUT_REGION]->(r) | r.id] AS regions,
       head([(p)-[:ISSUED_BY]->(x:Partner) | {id: x.id, name: x.name,
                                               sectors: [(x)-[:IN_SECTOR]->(xs:Sector) | xs.id],
                                               createdAt: toString(x.createdAt),
                                               modifiedAt: toString(x.modifiedAt)}]) AS issuer,
       COLLECT { MATCH (p)-[c:CITES]->(o:OpenSourceItem)
                 RETURN {url: o.link, title: o.title} ORDER BY c.position } AS sources
ORDER BY p.modifiedAt, p.id
