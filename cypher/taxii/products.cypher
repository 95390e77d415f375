// The products of one TAXII collection with what their STIX objects need: every product, one
// sector's ($sector), or those delivered to one partner ($deliveredTo). $visible (null: all)
// holds the products the reader may see. `sources` are the open-source items a report cites, in
// its order (their links become the STIX report's external references).
// Changes the partnership graph: no
MATCH (p:InformationProduct)
WHERE ($visible IS NULL OR p.id IN $visible)
  AND ($sector IS NULL OR EXISTS { (p)-[:ABOUT_SECTOR]->(:Sector {id: $sector}) })
  AND ($deliveredTo IS NULL
       OR EXISTS { (d:Delivery)-[:OF]->(p) WHERE EXISTS { (d)-[:TO]->(:Partner {id: $deliveredTo}) } })
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
ORDER BY id
