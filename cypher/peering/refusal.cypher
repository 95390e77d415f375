// Record that an envelope from peer $fromPeer was refused, and why; nothing else changes.
// Changes the partnership graph: no
CREATE (:PeerRefusal {at: datetime(), fromPeer: $fromPeer, reason: $reason, message: $message,
                      objectId: $objectId, originNode: $originNode, originProductId: $productId,
                      version: $version})
