// A failed or dead message goes back to the queue now, with a fresh set of attempts. A lease a
// worker still holds is left alone: that worker's outcome still counts.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})
WITH m, m.status AS before
SET m.status = 'QUEUED', m.attempts = 0, m.nextAttemptAt = datetime(),
    m.requeuedAt = datetime(), m.requeuedBy = $actor
RETURN m.id AS id, before, m.status AS status
