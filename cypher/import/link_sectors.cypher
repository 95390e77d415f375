// Changes the partnership graph: yes
UNWIND $rows AS row
WITH row WHERE row.sectorSpecificAgency IS NOT NULL
MATCH (s:Sector {id: row.id}), (a:Partner {id: row.sectorSpecificAgency})
MERGE (s)-[:SECTOR_SPECIFIC_AGENCY]->(a)
