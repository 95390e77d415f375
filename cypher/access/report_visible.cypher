// Predicate: may the PARTNER user of partner $accessPartner see the report /*REPORT*/?
// Yes when its organisation submitted it, or when the report was routed to its organisation;
// while PCII protection stands (asked for and not declined) a routed partner must also be
// government ($accessGovernmentKinds) with an active PCII-authorized contact.
// Changes the partnership graph: no
(EXISTS { (/*REPORT*/)-[:SUBMITTED_BY]->(:Partner {id: $accessPartner}) }
 OR (EXISTS { (/*REPORT*/)-[:ROUTED_TO]->(:Partner {id: $accessPartner}) }
     AND (NOT /*REPORT*/.pciiStatus IN ['PENDING', 'VALIDATED']
          OR EXISTS { MATCH (viewer:Partner {id: $accessPartner})
                      WHERE viewer.kind IN $accessGovernmentKinds
                        AND EXISTS { (c:Contact)-[:WORKS_FOR]->(viewer) WHERE c.active AND c.pciiAuthorized } })))
