// Keep a product received from a peer at its origin's version $version, only when that is newer
// than the one held (a replay or a late, older version changes nothing); no row when it is not.
// Changes the partnership graph: no
MERGE (r:ReceivedProduct {key: $key})
ON CREATE SET r.originNode = $originNode, r.originProductId = $productId, r.firstReceivedAt = datetime()
WITH r, r.version AS held
WHERE held IS NULL OR held < $version
SET r.version = $version, r.contentSha256 = $contentSha256, r.content = $content,
    r.withdrawn = $withdrawn, r.path = $path, r.fromPeer = $fromPeer, r.receivedAt = datetime()
RETURN held
