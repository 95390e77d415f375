// Changes the partnership graph: yes
UNWIND $rows AS row
WITH row WHERE row.parent IS NOT NULL
MATCH (r:Region {id: row.id}), (parent:Region {id: row.parent})
MERGE (r)-[:PART_OF]->(parent)
