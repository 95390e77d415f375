// The audit trail only grows: the API has no statement that changes or removes a record.
CREATE (a:AuditRecord {
  id: randomUUID(), at: datetime(), actor: $actor, role: $role, partner: $partner,
  operation: $operation, arguments: $arguments, outcome: $outcome, changes: $changes
})
