// The sectors for one TAXII collection each: every sector ($listedOnly false, to find one by id),
// or those holding a product the reader may see ($visible, null: all) for the collection list.
// Changes the partnership graph: no
MATCH (s:Sector)
WHERE NOT $listedOnly
   OR EXISTS { (p:InformationProduct)-[:ABOUT_SECTOR]->(s) WHERE $visible IS NULL OR p.id IN $visible }
RETURN s.id AS id, s.name AS name
ORDER BY name, id
