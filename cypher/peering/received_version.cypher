// The version held of the product $key (origin node / origin product id) received from a peer.
// Changes the partnership graph: no
OPTIONAL MATCH (r:ReceivedProduct {key: $key})
RETURN r.version AS version
