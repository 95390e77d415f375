// The known peers ($nodeIds: null = all) by node id, $limit of them from $offset, with how many
// there are in all, and for each the products held whose latest version it delivered and the
// envelopes from it refused, by reason. The credential used at a peer is never read back, only
// whether there is one.
// Changes the partnership graph: no
MATCH (p:Peer)
WHERE $nodeIds IS NULL OR p.nodeId IN $nodeIds
WITH p ORDER BY p.nodeId
WITH collect(p) AS found
CALL (found) {
  UNWIND found[$offset..$offset + $limit] AS p
  CALL (p) {
    MATCH (f:PeerRefusal) WHERE f.fromPeer = p.nodeId
    WITH f.reason AS reason, count(*) AS times ORDER BY reason
    RETURN collect({reason: reason, count: times}) AS refused
  }
  RETURN collect(p {.nodeId, .url, .publicKey, hasCredential: p.credential IS NOT NULL,
                    agreement: CASE WHEN p.hasAgreement
                               THEN {sectors: p.agreementSectors, kinds: p.agreementKinds,
                                     highestTlp: p.agreementHighestTlp, pciiAllowed: p.agreementPcii} END,
                    createdAt: toString(p.createdAt), modifiedAt: toString(p.modifiedAt),
                    receivedProducts: COUNT { MATCH (r:ReceivedProduct) WHERE r.fromPeer = p.nodeId },
                    refused: refused}) AS peers
}
RETURN size(found) AS total, peers
