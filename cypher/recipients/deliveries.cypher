// Deliveries of a product by partner name; offset pagination with the total. With
// $unacknowledgedOnly, those whose partner has not acknowledged the product yet.
// Changes the partnership graph: no
MATCH (d:Delivery)-[:OF]->(:InformationProduct {id: $productId})
WHERE NOT $unacknowledgedOnly OR d.acknowledgedAt IS NULL
MATCH (d)-[:TO]->(x:Partner)
WITH d, x ORDER BY x.name, x.id
WITH collect({partner: x.id, channels: d.channels, deliveredAt: toString(d.deliveredAt),
              deliveredBy: d.deliveredBy, acknowledgedAt: toString(d.acknowledgedAt),
              acknowledgedBy: d.acknowledgedBy, acknowledgedVia: d.acknowledgedVia}) AS deliveries
RETURN size(deliveries) AS total, deliveries[$offset..$offset + $limit] AS items
