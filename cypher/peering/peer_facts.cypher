// Which of $sectors exist, and whether a peer of node id $nodeId is already known.
// Changes the partnership graph: no
RETURN COLLECT { MATCH (s:Sector) WHERE s.id IN $sectors RETURN s.id } AS sectors,
       EXISTS { MATCH (p:Peer {nodeId: $nodeId}) } AS known
