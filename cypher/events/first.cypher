// The oldest event still kept (none: the log is empty).
// Changes the partnership graph: no
MATCH (e:Event)
RETURN e.sequence AS first
ORDER BY e.sequence
LIMIT 1
