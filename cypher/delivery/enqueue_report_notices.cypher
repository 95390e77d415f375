// Notices of a new report in the outbox: one EMAIL message per contact, never twice.
// Changes the partnership graph: no
MATCH (r:Report {id: $id})
UNWIND $messages AS row
MATCH (c:Contact {id: row.contact})
MERGE (m:Message {id: row.id})
ON CREATE SET m.channel = 'EMAIL', m.status = 'QUEUED', m.address = row.address, m.attempts = 0,
              m.kind = 'REPORT_NOTICE', m.createdAt = datetime(), m.nextAttemptAt = datetime(),
              m.created = true
ON MATCH SET m.created = false
MERGE (m)-[:NOTIFIES]->(r)
MERGE (m)-[:TO]->(c)
WITH m, m.created AS created
REMOVE m.created
WITH m WHERE created
RETURN m.id AS id, null AS before, m.status AS status
