// The known peers ($nodeIds: null = all) by node id, $limit of them from $offset, with how many
// there are in all. The credential used at a peer is never read back, only whether there is one.
// Changes the partnership graph: no
MATCH (p:Peer)
WHERE $nodeIds IS NULL OR p.nodeId IN $nodeIds
WITH p ORDER BY p.nodeId
WITH collect(p) AS found
RETURN size(found) AS total,
       [p IN found[$offset..$offset + $limit] |
        p {.nodeId, .url, .publicKey, hasCredential: p.credential IS NOT NULL,
           agreement: CASE WHEN p.hasAgreement
                      THEN {sectors: p.agreementSectors, kinds: p.agreementKinds,
                            highestTlp: p.agreementHighestTlp, pciiAllowed: p.agreementPcii} END,
           createdAt: toString(p.createdAt), modifiedAt: toString(p.modifiedAt)}] AS peers
