// The day's digest messages in the outbox: one EMAIL message per contact listing its products
// in order; a digest that exists already is left as it was, so a second run queues nothing.
// Changes the partnership graph: no
UNWIND $digests AS row
MATCH (c:Contact {id: row.contact})
MERGE (m:Message {id: row.id})
ON CREATE SET m.channel = 'EMAIL', m.status = 'QUEUED', m.address = row.address, m.attempts = 0,
              m.kind = 'DIGEST', m.digestDate = $day, m.createdAt = datetime(),
              m.nextAttemptAt = datetime(), m.created = true
ON MATCH SET m.created = false
MERGE (m)-[:TO]->(c)
WITH m, row, m.created AS created
REMOVE m.created
WITH m, row WHERE created
CALL (m, row) {
  UNWIND range(0, size(row.products) - 1) AS position
  MATCH (p:InformationProduct {id: row.products[position]})
  CREATE (m)-[:LISTS {position: position}]->(p)
}
RETURN m.id AS id, null AS before, m.status AS status
