UNWIND $ids AS id
MATCH (:Partner {id: id})-[s:SUBSCRIBES_TO]->(target)
RETURN id AS key, CASE WHEN target:Topic THEN target.id END AS topic,
       CASE WHEN target:Sector THEN target.id END AS sector, s.minSeverity AS minSeverity, s.version AS version
ORDER BY topic, sector
