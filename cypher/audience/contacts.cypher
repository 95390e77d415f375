// Every contact with the partner it works for, in a list's contact order (name, then id):
// [partner id, then the contact fields of a recipient list (rules/recipients.py CONTACT_FIELDS)],
// in one record.
// Changes the partnership graph: no
MATCH (c:Contact)-[:WORKS_FOR]->(p:Partner)
WITH c, p ORDER BY c.name, c.id
RETURN collect([p.id, c.id, c.name, c.email, c.channels, c.pciiAuthorized, c.active, c.version]) AS rows
