// A worker's message went out: SENT, provided the worker still holds its lease.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})
WHERE m.leaseOwner = $owner AND m.status IN $sendable
WITH m, m.status AS before
SET m.status = 'SENT', m.sentAt = datetime(), m.attempts = m.attempts + 1, m.lastError = null,
    m.nextAttemptAt = null, m.leaseOwner = null, m.leaseUntil = null
RETURN m.id AS id, before, m.status AS status
