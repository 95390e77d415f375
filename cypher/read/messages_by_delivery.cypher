// The messages of deliveries (keys product|partner), by channel then contact name.
// Changes the partnership graph: no
MATCH (m:Message)-[:PART_OF]->(d:Delivery)
WHERE d.key IN $ids
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
WITH d, m, c ORDER BY m.channel, c.name, m.id
RETURN d.key AS key, m.id AS id
