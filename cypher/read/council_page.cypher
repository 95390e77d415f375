MATCH (c:Council)
WHERE ($kind IS NULL OR c.kind = $kind)
  AND ($sector IS NULL OR EXISTS { (c)-[:COVERS]->(:Sector {id: $sector}) })
  AND ($nameContains IS NULL OR toLower(c.name) CONTAINS toLower($nameContains))
WITH c ORDER BY c.name, c.id
WITH collect(c.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $limit] AS page
