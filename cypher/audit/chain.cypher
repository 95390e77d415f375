// A page of the hash chain in order, with every field its hash covers.
// Changes the partnership graph: no
MATCH (a:AuditRecord)
WHERE a.sequence > $after
WITH a ORDER BY a.sequence
LIMIT $limit
RETURN a.id AS id, a.at.epochMillis AS atMillis, a.actor AS actor, a.role AS role,
       a.partner AS partner, a.operation AS operation, a.arguments AS arguments,
       a.outcome AS outcome, a.changes AS changes, a.sequence AS sequence,
       a.previousHash AS previousHash, a.hash AS hash
