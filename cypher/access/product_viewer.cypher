// What the product rule needs to know of the PARTNER user's own organisation ($accessPartner),
// worked out once per statement rather than once per product: the organisation itself, whether
// it may see PCII (government, with an active PCII-authorized contact) and its community (the
// sectors it works in, directly or through a council covering them). No such partner: nothing
// but TLP:CLEAR is visible.
// Changes the partnership graph: no
OPTIONAL MATCH (accessViewer:Partner {id: $accessPartner})
WITH accessViewer,
  coalesce(accessViewer.kind IN $accessGovernmentKinds, false)
    AND EXISTS { (c:Contact)-[:WORKS_FOR]->(accessViewer) WHERE c.active AND c.pciiAuthorized } AS accessPcii,
  COLLECT {
    MATCH (accessViewer)-[:IN_SECTOR]->(s:Sector) RETURN s
    UNION
    MATCH (accessViewer)-[:MEMBER_OF]->(:Council)-[:COVERS]->(s:Sector) RETURN s
  } AS accessSectors
