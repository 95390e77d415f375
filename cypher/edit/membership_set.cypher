// Changes the partnership graph: yes
MATCH (p:Partner {id: $partner}), (c:Council {id: $council})
MERGE (p)-[m:MEMBER_OF]->(c)
ON CREATE SET m.role = $role, m.version = 1
ON MATCH SET m.role = $role, m.version = m.version + 1
RETURN m.role AS role, m.version AS version
