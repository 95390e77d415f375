// The products received from peers ($keys, origin node / origin product id: null = all) and the
// refusals recorded about them, for checks and the peers' figures.
// Changes the partnership graph: no
RETURN COLLECT { MATCH (r:ReceivedProduct) WHERE $keys IS NULL OR r.key IN $keys
                 RETURN r {.key, .originNode, .originProductId, .version, .contentSha256, .content,
                           .withdrawn, .path, .fromPeer} ORDER BY r.key } AS products,
       COLLECT { MATCH (f:PeerRefusal)
                 WHERE $keys IS NULL OR f.originNode + '/' + f.originProductId IN $keys
                 RETURN f {.fromPeer, .reason, .message, .objectId, .originNode,
                           .originProductId, .version, at: toString(f.at)} ORDER BY f.at } AS refusals
