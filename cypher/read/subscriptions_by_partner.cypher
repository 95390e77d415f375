// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (:Partner {id: id})-[s:SUBSCRIBES_TO]->(target)
RETURN id AS key, CASE WHEN target:Topic THEN target.id END AS topic,
       CASE WHEN target:Sector THEN target.id END AS sector, s.minSeverity AS minSeverity,
       coalesce(s.delivery, 'IMMEDIATE') AS delivery, s.version AS version
ORDER BY topic, sector
