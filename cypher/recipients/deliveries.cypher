// Deliveries of a product by partner name; offset pagination with the total.
MATCH (d:Delivery)-[:OF]->(:InformationProduct {id: $productId})
MATCH (d)-[:TO]->(x:Partner)
WITH d, x ORDER BY x.name, x.id
WITH collect({partner: x.id, channels: d.channels, deliveredAt: toString(d.deliveredAt),
              deliveredBy: d.deliveredBy}) AS deliveries
RETURN size(deliveries) AS total, deliveries[$offset..$offset + $limit] AS items
