// The daily report of $day, made (as a draft) if it does not exist, and write-locked for this
// transaction: two analysts saving the same day take turns.
// Changes the partnership graph: no
MERGE (r:OpenSourceReport {day: $day})
ON CREATE SET r.state = 'DRAFT', r.version = 0, r.createdAt = datetime()
SET r._lock = true
REMOVE r._lock
RETURN r.state AS state, r.version AS version
