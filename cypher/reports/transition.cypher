// Move a locked report to $state (and, for a PCII decision, $pciiStatus), recording who and when.
// Changes the partnership graph: no
MATCH (r:Report {id: $id})
SET r.state = $state, r.pciiStatus = coalesce($pciiStatus, r.pciiStatus),
    r.version = r.version + 1, r.history = r.history + [$entry]
RETURN r.version AS version
