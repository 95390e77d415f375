// The graph version: one node whose token every committed change of the partnership graph
// replaces (see store/database.py), read by each process before it trusts what it derived.
// Changes the partnership graph: no
CREATE CONSTRAINT graph_version_id IF NOT EXISTS FOR (n:GraphVersion) REQUIRE n.id IS UNIQUE;
MERGE (v:GraphVersion {id: 1}) ON CREATE SET v.token = randomUUID();
