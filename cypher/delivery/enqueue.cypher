// The messages of a dissemination, in the transaction that records its deliveries. Idempotent:
// a message (product, contact, channel) that exists already is left as it was.
// Changes the partnership graph: no
UNWIND $messages AS row
MATCH (d:Delivery {key: $productId + '|' + row.partner})
MATCH (c:Contact {id: row.contact})
MERGE (m:Message {id: row.id})
ON CREATE SET m.channel = row.channel, m.status = row.status, m.address = row.address, m.attempts = 0,
              m.createdAt = datetime(), m.nextAttemptAt = datetime(), m.created = true
ON MATCH SET m.created = false
MERGE (m)-[:PART_OF]->(d)
MERGE (m)-[:TO]->(c)
WITH m, m.created AS created
REMOVE m.created
WITH m WHERE created
RETURN m.id AS id, null AS before, m.status AS status
