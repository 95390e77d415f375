// The acknowledgement link of a message is opened: it counts once. Returns when it was used
// before (null: this is its first use) and where the message leads.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})-[:PART_OF]->(d:Delivery)
SET m.locking = true
REMOVE m.locking
WITH m, d, m.linkUsedAt AS usedBefore
SET m.linkUsedAt = coalesce(usedBefore, datetime())
WITH m, d, usedBefore
MATCH (d)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
RETURN toString(usedBefore) AS usedBefore, p.id AS product, x.id AS partner, x.name AS partnerName,
       coalesce(c.email, c.id) AS contact
