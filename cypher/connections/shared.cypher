// What two partners have in common: councils both sit on, sectors both work in.
// Changes the partnership graph: no
MATCH (a:Partner {id: $a}), (b:Partner {id: $b})
RETURN COLLECT { MATCH (a)-[:MEMBER_OF]->(c:Council)<-[:MEMBER_OF]-(b) RETURN c.id ORDER BY c.id } AS councils,
       COLLECT { MATCH (a)-[:IN_SECTOR]->(s:Sector)<-[:IN_SECTOR]-(b) RETURN s.id ORDER BY s.id } AS sectors
