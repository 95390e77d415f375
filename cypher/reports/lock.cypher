// The report write-locked for this transaction, with its state and what triage needs.
// Changes the partnership graph: no
MATCH (r:Report {id: $id})
SET r.locking = true
REMOVE r.locking
RETURN r.state AS state, r.pciiStatus AS pciiStatus
