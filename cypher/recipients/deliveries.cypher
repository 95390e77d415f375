MATCH (d:Delivery)-[:OF]->(p:InformationProduct {id: $productId}), (d)-[:TO]->(x:Partner)
RETURN p.id AS product, x {.id, .name, .kind, .active} AS partner, d.channels AS channels,
       toString(d.deliveredAt) AS deliveredAt, d.deliveredBy AS deliveredBy
ORDER BY x.name, x.id
