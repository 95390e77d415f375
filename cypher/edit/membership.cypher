// Changes the partnership graph: no
OPTIONAL MATCH (p:Partner {id: $partner})
OPTIONAL MATCH (c:Council {id: $council})
OPTIONAL MATCH (p)-[m:MEMBER_OF]->(c)
RETURN p IS NOT NULL AS partnerExists, c IS NOT NULL AS councilExists,
       m.role AS role, m.version AS version
