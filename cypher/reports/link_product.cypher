// The product a published report became names the report as its source.
// Changes the partnership graph: no
MATCH (r:Report {id: $id}), (p:InformationProduct {id: $productId})
MERGE (p)-[:FROM_REPORT]->(r)
SET p.revealSubmitter = $revealSubmitter
