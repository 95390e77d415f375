// The report each product was published from, and whether its submitter may be named.
// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (p:InformationProduct {id: id})-[:FROM_REPORT]->(r:Report)-[:SUBMITTED_BY]->(x:Partner)
RETURN id AS key, r.id AS report, coalesce(p.revealSubmitter, false) AS reveal, x.id AS submitter
