// $ids are partner ids: a subscription is identified by its partner and its target.
// Changes the partnership graph: no
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(target) WHERE p.id IN $ids
RETURN p.id AS partner,
       CASE WHEN target:Topic THEN target.id END AS topic,
       CASE WHEN target:Sector THEN target.id END AS sector,
       s.minSeverity AS minSeverity, coalesce(s.delivery, 'IMMEDIATE') AS delivery,
       s.version AS version
ORDER BY partner, topic, sector
