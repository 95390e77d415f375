// Predicate: may the PARTNER user see the product /*PRODUCT*/? It needs the names bound by
// access/product_viewer.cypher. Yes when it was delivered to the user's organisation, is
// TLP:CLEAR, or is TLP:GREEN in the organisation's community; never TLP:RED unless addressed to
// it; never PCII unless the organisation may see PCII.
// Changes the partnership graph: no
((NOT /*PRODUCT*/.pcii OR accessPcii)
 AND (/*PRODUCT*/.tlp <> 'RED' OR EXISTS { (/*PRODUCT*/)-[:ADDRESSED_TO]->(accessViewer) })
 AND (/*PRODUCT*/.tlp = 'CLEAR'
      OR (/*PRODUCT*/.tlp = 'GREEN' AND EXISTS { (/*PRODUCT*/)-[:ABOUT_SECTOR]->(s) WHERE s IN accessSectors })
      OR EXISTS { (/*PRODUCT*/)<-[:OF]-(:Delivery)-[:TO]->(accessViewer) }))
