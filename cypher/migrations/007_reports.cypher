// Reports partners submit upward: looked up by id, listed newest first.
// Changes the partnership graph: no
CREATE CONSTRAINT report_id IF NOT EXISTS FOR (n:Report) REQUIRE n.id IS UNIQUE;
CREATE INDEX report_submitted_at IF NOT EXISTS FOR (n:Report) ON (n.submittedAt);
