// Changes the partnership graph: no
MATCH (p:InformationProduct) WHERE p.id IN $ids
RETURN p.id AS id, p.title AS title, p.kind AS kind, p.level AS level, p.severity AS severity,
       p.tlp AS tlp, p.pcii AS pcii,
       [(p)-[:ABOUT_SECTOR]->(s) | s.id] AS sectors,
       [(p)-[:ABOUT_TOPIC]->(t) | t.id] AS topics,
       [(p)-[:ABOUT_REGION]->(r) | r.id] AS regions,
       [(p)-[:ADDRESSED_TO]->(x) | x.id] AS addressedTo,
       head([(p)-[:ISSUED_BY]->(x) | x.id]) AS issuedBy,
       toString(p.publishedAt) AS publishedAt,
       p.illustrative AS illustrative,
       p.summary AS summary, p.link AS link,
       coalesce(p.origin, 'local') AS origin,
       p.version AS version
ORDER BY id
