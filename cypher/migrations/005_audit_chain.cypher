// The audit trail as a hash chain: each record carries its sequence number, the hash of the record
// before it and its own hash; the head holds the last sequence and hash, and every append locks it.
// Changes the partnership graph: no
CREATE CONSTRAINT audit_sequence IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.sequence IS UNIQUE;
CREATE CONSTRAINT audit_head_id IF NOT EXISTS FOR (n:AuditHead) REQUIRE n.id IS UNIQUE;
MERGE (h:AuditHead {id: 'audit'}) ON CREATE SET h.sequence = 0, h.hash = '';
