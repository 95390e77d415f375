// Newest first; optional filter on the operation name.
// Changes the partnership graph: no
MATCH (a:AuditRecord)
WHERE $operation IS NULL OR a.operation = $operation
WITH a ORDER BY a.at DESC, a.id
WITH collect(a {.id, .actor, .role, .partner, .operation, .arguments, .outcome, .changes,
                at: toString(a.at)}) AS records
RETURN size(records) AS total, records[$offset..$offset + $limit] AS items
