// The nodes this node exchanges products with: one Peer each, found by its node id.
// Changes the partnership graph: no
CREATE CONSTRAINT peer_node_id IF NOT EXISTS FOR (n:Peer) REQUIRE n.nodeId IS UNIQUE;
