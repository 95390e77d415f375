// A partner's inbox, newest delivery first; offset pagination with the total.
MATCH (d:Delivery)-[:TO]->(:Partner {id: $partnerId})
WITH d ORDER BY d.deliveredAt DESC, d.key
WITH collect(d) AS deliveries
RETURN size(deliveries) AS total,
  [d IN deliveries[$offset..$offset + $limit] | {
    product: head([(d)-[:OF]->(p:InformationProduct) | p.id]),
    channels: d.channels, deliveredAt: toString(d.deliveredAt), deliveredBy: d.deliveredBy
  }] AS items
