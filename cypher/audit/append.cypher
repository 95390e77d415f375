// The audit trail only grows: the API has no statement that changes or removes a record.
// Runs after audit/head in the same transaction, which holds the head's lock.
MATCH (h:AuditHead {id: 'audit'})
SET h.sequence = $sequence, h.hash = $hash
CREATE (a:AuditRecord {
  id: $id, at: datetime({epochMillis: $atMillis}), actor: $actor, role: $role, partner: $partner,
  operation: $operation, arguments: $arguments, outcome: $outcome, changes: $changes,
  sequence: $sequence, previousHash: $previousHash, hash: $hash
})
