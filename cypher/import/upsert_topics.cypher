// Changes the partnership graph: yes
UNWIND $rows AS row
MERGE (t:Topic {id: row.id})
SET t.name = row.name,
    t.version = coalesce(t.version, 0) + 1
