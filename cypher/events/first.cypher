// The oldest event still kept (none: the log is empty).
MATCH (e:Event)
RETURN e.sequence AS first
ORDER BY e.sequence
LIMIT 1
