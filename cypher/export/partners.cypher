// Changes the partnership graph: no
MATCH (p:Partner) WHERE p.id IN $ids
RETURN p.id AS id, p.name AS name, p.kind AS kind, p.active AS active,
       [(p)-[:IN_SECTOR]->(s) | s.id] AS sectors,
       [(p)-[:IN_REGION]->(r) | r.id] AS regions,
       [(p)-[:PARTNERS_WITH]-(q) | q.id] AS partnersWith,
       [(p)-[:CLIENT_OF]->(q) | q.id] AS clientOf,
       CASE WHEN p.fusionCenterType IS NULL THEN null
            ELSE {type: p.fusionCenterType, serves: [(p)-[:SERVES]->(r) | r.id]} END AS fusionCenter,
       p.illustrative AS illustrative,
       coalesce(p.intake, false) AS intake,
       p.version AS version
ORDER BY id
