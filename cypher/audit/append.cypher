// The audit trail only grows: the API has no statement that changes or removes a record.
// Runs after audit/head in the same transaction, which holds the head's lock: $records are
// linked in order after the head, whose sequence and hash become those of the last of them.
// Changes the partnership graph: no
MATCH (h:AuditHead {id: 'audit'})
SET h.sequence = $sequence, h.hash = $hash
WITH h
UNWIND $records AS r
CREATE (a:AuditRecord {
  id: r.id, at: datetime({epochMillis: r.atMillis}), actor: r.actor, role: r.role,
  partner: r.partner, operation: r.operation, arguments: r.arguments, outcome: r.outcome,
  changes: r.changes, sequence: r.sequence, previousHash: r.previousHash, hash: r.hash
})
