// An attempt failed: FAILED with the next attempt time, or DEAD after the last attempt
// ($status and $delayMillis are decided by the retry policy), provided the worker still holds
// its lease.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})
WHERE m.leaseOwner = $owner AND m.status IN $sendable
WITH m, m.status AS before
SET m.status = $status, m.attempts = m.attempts + 1, m.lastError = $error,
    m.lastAttemptAt = datetime(),
    m.nextAttemptAt = CASE WHEN $status = 'DEAD' THEN null
                           ELSE datetime() + duration({milliseconds: $delayMillis}) END,
    m.leaseOwner = null, m.leaseUntil = null
RETURN m.id AS id, before, m.status AS status
