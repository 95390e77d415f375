// What a message's acknowledgement link would do, read without changing anything (GET shows it):
// when it was used, whether it expired ($lifetimeSeconds after the message went out, or was
// queued when it never went out), and where the message leads.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})-[:PART_OF]->(d:Delivery)
WITH m, d, coalesce(m.sentAt, m.createdAt) + duration({seconds: $lifetimeSeconds}) AS expiresAt
MATCH (d)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
RETURN toString(m.linkUsedAt) AS usedBefore, expiresAt < datetime() AS expired,
       toString(expiresAt) AS expiresAt, p.id AS product, x.id AS partner, x.name AS partnerName
