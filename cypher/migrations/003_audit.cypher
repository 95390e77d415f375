// Changes the partnership graph: no
CREATE CONSTRAINT audit_id IF NOT EXISTS FOR (n:AuditRecord) REQUIRE n.id IS UNIQUE;
CREATE INDEX audit_at IF NOT EXISTS FOR (n:AuditRecord) ON (n.at);
