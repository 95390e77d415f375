// The acknowledgement link of a message is used (POST): it counts once, and only while it has not
// expired ($lifetimeSeconds after the message went out, or was queued when it never went out).
// Returns when it was used before (null: this is its first use), whether it expired (then nothing
// is changed) and where the message leads.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})-[:PART_OF]->(d:Delivery)
SET m.locking = true
REMOVE m.locking
WITH m, d, m.linkUsedAt AS usedBefore,
     coalesce(m.sentAt, m.createdAt) + duration({seconds: $lifetimeSeconds}) AS expiresAt
WITH m, d, usedBefore, expiresAt, expiresAt < datetime() AS expired
SET m.linkUsedAt = CASE WHEN expired THEN usedBefore ELSE coalesce(usedBefore, datetime()) END
WITH m, d, usedBefore, expiresAt, expired
MATCH (d)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
RETURN toString(usedBefore) AS usedBefore, expired, toString(expiresAt) AS expiresAt, p.id AS product,
       x.id AS partner, x.name AS partnerName, coalesce(c.email, c.id) AS contact
