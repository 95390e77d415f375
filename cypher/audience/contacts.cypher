// Every contact with the partner it works for, in a list's contact order (name, then id):
// partner id, then the contact fields of a recipient list (rules/recipients.py CONTACT_FIELDS).
MATCH (c:Contact)-[:WORKS_FOR]->(p:Partner)
RETURN p.id, c.id, c.name, c.email, c.channels, c.pciiAuthorized, c.active, c.version
ORDER BY c.name, c.id
