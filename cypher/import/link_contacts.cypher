// Changes the partnership graph: yes
UNWIND $rows AS row
MATCH (c:Contact {id: row.id}), (p:Partner {id: row.partner})
MERGE (c)-[:WORKS_FOR]->(p)
