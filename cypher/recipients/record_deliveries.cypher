// Idempotent: a delivery that exists already is left as it was. Returns the partners newly
// delivered to.
// Changes the partnership graph: no
MATCH (p:InformationProduct {id: $productId})
UNWIND $deliveries AS d
MATCH (x:Partner {id: d.partner})
MERGE (delivery:Delivery {key: $productId + '|' + d.partner})
ON CREATE SET delivery.channels = d.channels, delivery.deliveredAt = datetime(),
              delivery.deliveredBy = $actor, delivery.created = true
ON MATCH SET delivery.created = false
MERGE (delivery)-[:OF]->(p)
MERGE (delivery)-[:TO]->(x)
WITH delivery, x, delivery.created AS created
REMOVE delivery.created
RETURN collect(CASE WHEN created THEN x.id END) AS createdPartners, count(*) AS total
