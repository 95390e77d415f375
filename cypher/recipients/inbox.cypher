// A partner's inbox, newest delivery first; offset pagination with the total. $visible (null:
// all) leaves out products the reader may no longer see, e.g. a TLP:RED product re-addressed.
// Changes the partnership graph: no
MATCH (d:Delivery)-[:TO]->(:Partner {id: $partnerId})
MATCH (d)-[:OF]->(p:InformationProduct)
WHERE $visible IS NULL OR p.id IN $visible
WITH d, p ORDER BY d.deliveredAt DESC, d.key
WITH collect({product: p.id, channels: d.channels, deliveredAt: toString(d.deliveredAt),
              deliveredBy: d.deliveredBy, acknowledgedAt: toString(d.acknowledgedAt),
              acknowledgedBy: d.acknowledgedBy, acknowledgedVia: d.acknowledgedVia}) AS deliveries
RETURN size(deliveries) AS total, deliveries[$offset..$offset + $limit] AS items
