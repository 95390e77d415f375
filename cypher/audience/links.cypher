// The partnership graph's links from partners that a recipient list follows, one row each:
// what the link is, the partner, what it leads to and (subscriptions) the least severity rank.
// The recipient index (graph_api/audience/index.py) reads the link names of this statement.
MATCH (p:Partner)-[:IN_SECTOR]->(x:Sector)
RETURN 'IN_SECTOR' AS link, p.id AS partner, x.id AS target, null AS rank
UNION ALL
MATCH (p:Partner)-[:MEMBER_OF]->(x:Council)
RETURN 'MEMBER_OF' AS link, p.id AS partner, x.id AS target, null AS rank
UNION ALL
MATCH (p:Partner)-[:SERVES]->(x:Region)
RETURN 'SERVES' AS link, p.id AS partner, x.id AS target, null AS rank
UNION ALL
MATCH (p:Partner)-[:IN_REGION]->(x)
RETURN 'IN_REGION' AS link, p.id AS partner, x.id AS target, null AS rank
UNION ALL
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(x:Topic)
RETURN 'TOPIC_SUBSCRIPTION' AS link, p.id AS partner, x.id AS target, s.minSeverityRank AS rank
UNION ALL
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(x:Sector)
RETURN 'SECTOR_SUBSCRIPTION' AS link, p.id AS partner, x.id AS target, s.minSeverityRank AS rank
