// The head of the chain, and how many records predate it (written before records were chained).
// Changes the partnership graph: no
MATCH (h:AuditHead {id: 'audit'})
RETURN h.sequence AS sequence, h.hash AS hash,
       COUNT { MATCH (a:AuditRecord) WHERE a.sequence IS NULL } AS unchained
