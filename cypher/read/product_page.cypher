// Newest first.
MATCH (p:InformationProduct)
WHERE ($kind IS NULL OR p.kind = $kind)
  AND ($tlp IS NULL OR p.tlp = $tlp)
  AND ($minSeverityRank IS NULL OR p.severityRank >= $minSeverityRank)
  AND ($sector IS NULL OR EXISTS { (p)-[:ABOUT_SECTOR]->(:Sector {id: $sector}) })
  AND ($titleContains IS NULL OR toLower(p.title) CONTAINS toLower($titleContains))
  AND ($visible IS NULL OR p.id IN $visible)
WITH p ORDER BY p.publishedAt DESC, p.id
WITH collect(p.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $limit] AS page
