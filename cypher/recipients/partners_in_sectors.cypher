// The ids of the partners in any of the given sectors: narrows a recipient list by sector.
// Changes the partnership graph: no
MATCH (x:Partner)-[:IN_SECTOR]->(s:Sector)
WHERE s.id IN $sectors
RETURN collect(DISTINCT x.id) AS ids
