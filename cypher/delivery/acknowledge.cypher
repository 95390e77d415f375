// A partner acknowledges a product. The delivery is locked before it is read, so of two
// acknowledgements at once exactly one is the first; later ones change nothing.
// Changes the partnership graph: no
MATCH (d:Delivery {key: $productId + '|' + $partnerId})
SET d.locking = true
REMOVE d.locking
WITH d, d.acknowledgedAt IS NULL AS first
FOREACH (_ IN CASE WHEN first THEN [1] ELSE [] END |
  SET d.acknowledgedAt = datetime(), d.acknowledgedBy = $by, d.acknowledgedVia = $via)
RETURN first, toString(d.acknowledgedAt) AS acknowledgedAt, d.acknowledgedBy AS acknowledgedBy,
       d.acknowledgedVia AS acknowledgedVia
