// What each message is about, for the events of its status changes: its product, its partner,
// and the last error of a failed attempt.
// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (m:Message {id: id})-[:PART_OF]->(d:Delivery)
MATCH (d)-[:OF]->(p:InformationProduct)
MATCH (d)-[:TO]->(x:Partner)
RETURN m.id AS message, p.id AS product, x.id AS partner, m.lastError AS error
