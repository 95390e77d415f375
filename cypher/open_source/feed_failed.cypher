// A fetch failed: the feed shows the error; nothing it gave before changes. `failingSince` is when
// its current run of failures began.
// Changes the partnership graph: no
MATCH (f:OpenSourceFeed {id: $id})
SET f.lastError = $error, f.lastErrorAt = datetime($at),
    f.failingSince = coalesce(f.failingSince, datetime($at))
