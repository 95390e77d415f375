// The outbox: one message per (product, contact, channel), picked up by delivery workers.
// Changes the partnership graph: no
CREATE CONSTRAINT message_id IF NOT EXISTS FOR (n:Message) REQUIRE n.id IS UNIQUE;
CREATE INDEX message_status IF NOT EXISTS FOR (n:Message) ON (n.status);
CREATE INDEX message_next_attempt IF NOT EXISTS FOR (n:Message) ON (n.nextAttemptAt);
