// Null filters match everything. Ordered by name, then id, for stable pages.
MATCH (p:Partner)
WHERE ($kind IS NULL OR p.kind = $kind)
  AND ($active IS NULL OR p.active = $active)
  AND ($fusionCenter IS NULL OR (p.fusionCenterType IS NOT NULL) = $fusionCenter)
  AND ($sector IS NULL OR EXISTS { (p)-[:IN_SECTOR]->(:Sector {id: $sector}) })
  AND ($region IS NULL OR EXISTS { (p)-[:IN_REGION]->(:Region {id: $region}) })
  AND ($nameContains IS NULL OR toLower(p.name) CONTAINS toLower($nameContains))
WITH p ORDER BY p.name, p.id
WITH collect(p.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $limit] AS page
