// Up to $limit messages on $channels that are due, leased to $owner for $leaseMillis ms.
// Each candidate is write-locked before its status and lease are read again, so two workers
// never claim the same message; a lease that ran out (a worker that died) frees it again.
MATCH (m:Message)
WHERE m.status IN $sendable AND m.channel IN $channels AND m.nextAttemptAt <= datetime()
  AND (m.leaseUntil IS NULL OR m.leaseUntil < datetime())
WITH m ORDER BY m.nextAttemptAt, m.id LIMIT $limit
SET m.claiming = true
REMOVE m.claiming
WITH m
WHERE m.status IN $sendable AND (m.leaseUntil IS NULL OR m.leaseUntil < datetime())
SET m.leaseOwner = $owner, m.leaseUntil = datetime() + duration({milliseconds: $leaseMillis})
WITH m
MATCH (m)-[:PART_OF]->(d:Delivery)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
RETURN m.id AS id, m.channel AS channel, m.address AS address, m.attempts AS attempts,
       m.status AS status, c.id AS contact, c.name AS contactName, x.id AS partner,
       x.name AS partnerName,
       p {.id, .title, .kind, .severity, .tlp, .pcii, .summary, .link} AS product
