// The daily report of $day is published as product $product: the report keeps its text for the
// archive, and the product names its items in order (their links travel with it over TAXII).
// Changes the partnership graph: no
MATCH (r:OpenSourceReport {day: $day}), (p:InformationProduct {id: $product})
SET r.state = 'PUBLISHED', r.product = $product, r.text = $text, r.publishedAt = datetime(),
    r.publishedBy = $actor, r.version = r.version + 1
WITH r, p
MATCH (r)-[e:INCLUDES]->(i:OpenSourceItem)
MERGE (p)-[s:CITES]->(i)
SET s.position = e.position
