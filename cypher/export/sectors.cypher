// Changes the partnership graph: no
MATCH (s:Sector) WHERE s.id IN $ids
RETURN s.id AS id, s.name AS name,
       head([(s)-[:SECTOR_SPECIFIC_AGENCY]->(a) | a.id]) AS sectorSpecificAgency
ORDER BY id
