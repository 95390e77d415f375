// Every known peer's node id and public key: what envelopes are checked with.
// Changes the partnership graph: no
MATCH (p:Peer)
RETURN p.nodeId AS nodeId, p.publicKey AS publicKey
