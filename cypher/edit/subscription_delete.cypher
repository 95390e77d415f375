// Changes the partnership graph: yes
MATCH (:Partner {id: $partner})-[s:SUBSCRIBES_TO]->(target)
WHERE (target:Topic AND target.id = $topic) OR (target:Sector AND target.id = $sector)
DELETE s
