// Every sector, for one TAXII collection each.
MATCH (s:Sector)
RETURN s.id AS id, s.name AS name
ORDER BY name, id
