// Removes up to $limit events older than the retention; the counter stays, so numbers are
// never reused.
// Changes the partnership graph: no
MATCH (e:Event)
WHERE e.at < datetime() - duration({seconds: $retentionSeconds})
WITH e LIMIT $limit
DELETE e
RETURN count(*) AS pruned
