// Forget the peer of node id $nodeId.
// Changes the partnership graph: no
MATCH (p:Peer {nodeId: $nodeId})
DELETE p
RETURN count(*) AS removed
