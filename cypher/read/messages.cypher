// Messages by id ($ids), keyed by id, in the shape the API shows them.
// Changes the partnership graph: no
MATCH (m:Message)-[:PART_OF]->(d:Delivery)
WHERE m.id IN $ids
MATCH (d)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
RETURN m.id AS key, m.id AS id, m.channel AS channel, m.status AS status, m.address AS address,
       m.attempts AS attempts, m.lastError AS lastError, m.completedBy AS completedBy, m.note AS note,
       toString(m.nextAttemptAt) AS nextAttemptAt, toString(m.createdAt) AS createdAt,
       toString(m.sentAt) AS sentAt, toString(m.linkUsedAt) AS linkUsedAt,
       c.id AS contact, p.id AS product, x.id AS partner
