// The products a partner's users may see: delivered to it, TLP:CLEAR, or TLP:GREEN in
// its community (a sector it works in, directly or through a council covering the sector); never
// TLP:RED unless addressed to it; never PCII unless it is government with an active
// PCII-authorized contact.
MATCH (x:Partner {id: $partnerId})
WITH x, x.kind IN $governmentKinds
        AND EXISTS { (c:Contact)-[:WORKS_FOR]->(x) WHERE c.active AND c.pciiAuthorized } AS pciiCleared
MATCH (p:InformationProduct)
WHERE (NOT p.pcii OR pciiCleared)
  AND (p.tlp <> 'RED' OR EXISTS { (p)-[:ADDRESSED_TO]->(x) })
  AND (p.tlp = 'CLEAR'
       OR EXISTS { (d:Delivery)-[:OF]->(p) WHERE EXISTS { (d)-[:TO]->(x) } }
       OR (p.tlp = 'GREEN'
           AND (EXISTS { (p)-[:ABOUT_SECTOR]->(:Sector)<-[:IN_SECTOR]-(x) }
                OR EXISTS { (p)-[:ABOUT_SECTOR]->(:Sector)<-[:COVERS]-(:Council)<-[:MEMBER_OF]-(x) })))
RETURN collect(p.id) AS ids
