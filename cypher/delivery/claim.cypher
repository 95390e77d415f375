// Up to $limit messages on $channels that are due, leased to $owner for $leaseMillis ms.
// Each candidate is write-locked before its status and lease are read again, so two workers
// never claim the same message; a lease that ran out (a worker that died) frees it again.
// Changes the partnership graph: no
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
// A product's message belongs to its delivery; a report notice or a digest to its contact alone.
OPTIONAL MATCH (m)-[:PART_OF]->(d:Delivery)-[:OF]->(p:InformationProduct)
OPTIONAL MATCH (d)-[:TO]->(delivered:Partner)
OPTIONAL MATCH (m)-[:TO]->(c:Contact)
OPTIONAL MATCH (c)-[:WORKS_FOR]->(employer:Partner)
OPTIONAL MATCH (m)-[:NOTIFIES]->(r:Report)
WITH m, p, c, r, coalesce(delivered, employer) AS x
RETURN m.id AS id, m.channel AS channel, m.address AS address, m.attempts AS attempts,
       m.status AS status, c.id AS contact, c.name AS contactName, x.id AS partner,
       x.name AS partnerName, coalesce(m.kind, 'PRODUCT') AS kind,
       p {.id, .title, .kind, .severity, .tlp, .pcii, .summary, .link} AS product,
       r {.id, .title, .summary, .kind, .tlp, .pciiStatus} AS report,
       m.digestDate AS digestDate,
       COLLECT { MATCH (m)-[listed:LISTS]->(q:InformationProduct)
                 WITH listed, q ORDER BY listed.position
                 RETURN q {.id, .title, .kind, .severity, .tlp, .summary, .link,
                           sectors: COLLECT { MATCH (q)-[:ABOUT_SECTOR]->(s:Sector)
                                              RETURN s.name ORDER BY s.name }} } AS digest
