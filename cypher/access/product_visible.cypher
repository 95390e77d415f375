// Predicate: may the PARTNER user of partner $accessPartner see the product /*PRODUCT*/?
// Yes when it was delivered to the partner, is TLP:CLEAR, or is TLP:GREEN in the partner's
// community (a sector it works in, directly or through a council covering the sector); never
// TLP:RED unless addressed to it; never PCII unless the partner is government
// ($accessGovernmentKinds) with an active PCII-authorized contact.
((NOT /*PRODUCT*/.pcii
  OR EXISTS { MATCH (viewer:Partner {id: $accessPartner})
              WHERE viewer.kind IN $accessGovernmentKinds
                AND EXISTS { (c:Contact)-[:WORKS_FOR]->(viewer) WHERE c.active AND c.pciiAuthorized } })
 AND (/*PRODUCT*/.tlp <> 'RED' OR EXISTS { (/*PRODUCT*/)-[:ADDRESSED_TO]->(:Partner {id: $accessPartner}) })
 AND (/*PRODUCT*/.tlp = 'CLEAR'
      OR EXISTS { (/*PRODUCT*/)<-[:OF]-(:Delivery)-[:TO]->(:Partner {id: $accessPartner}) }
      OR (/*PRODUCT*/.tlp = 'GREEN'
          AND (EXISTS { (/*PRODUCT*/)-[:ABOUT_SECTOR]->(:Sector)<-[:IN_SECTOR]-(:Partner {id: $accessPartner}) }
               OR EXISTS { (/*PRODUCT*/)-[:ABOUT_SECTOR]->(:Sector)<-[:COVERS]-(:Council)
                           <-[:MEMBER_OF]-(:Partner {id: $accessPartner}) }))))
