// Add the peer of node id $nodeId or replace what is known of it: its URL, public key and
// agreement ($agreement: null for none, else its sectors, kinds, highest TLP and PCII flag); the
// credential used there is kept when $credential is null.
// Changes the partnership graph: no
MERGE (p:Peer {nodeId: $nodeId})
ON CREATE SET p.createdAt = datetime()
SET p.url = $url, p.publicKey = $publicKey, p.credential = coalesce($credential, p.credential),
    p.hasAgreement = $agreement IS NOT NULL,
    p.agreementSectors = $agreement.sectors, p.agreementKinds = $agreement.kinds,
    p.agreementHighestTlp = $agreement.highestTlp, p.agreementPcii = $agreement.pciiAllowed,
    p.modifiedAt = datetime()
