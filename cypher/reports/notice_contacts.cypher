// Who hears of a new report at once: the active contacts of each partner in $partners (PCII-
// authorized ones only when $pcii), by partner then contact.
// Changes the partnership graph: no
UNWIND $partners AS partnerId
MATCH (c:Contact)-[:WORKS_FOR]->(x:Partner {id: partnerId})
WHERE c.active AND (NOT $pcii OR c.pciiAuthorized)
RETURN x.id AS partner, c.id AS contact, c.email AS email
ORDER BY partner, contact
