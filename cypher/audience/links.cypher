// The partnership graph's links from partners that a recipient list follows, one row each:
// [what the link is, the partner, what it leads to, (subscriptions) the least severity rank].
// The recipient index (graph_api/audience/index.py) reads the link names of this statement.
// Collected into one record per kind of link: the driver reads a few large records many times
// faster than a great many small ones.
// Changes the partnership graph: no
MATCH (p:Partner)-[:IN_SECTOR]->(x:Sector)
RETURN collect(['IN_SECTOR', p.id, x.id, null]) AS rows
UNION ALL
MATCH (p:Partner)-[:MEMBER_OF]->(x:Council)
RETURN collect(['MEMBER_OF', p.id, x.id, null]) AS rows
UNION ALL
MATCH (p:Partner)-[:SERVES]->(x:Region)
RETURN collect(['SERVES', p.id, x.id, null]) AS rows
UNION ALL
MATCH (p:Partner)-[:IN_REGION]->(x)
RETURN collect(['IN_REGION', p.id, x.id, null]) AS rows
UNION ALL
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(x:Topic)
RETURN collect(['TOPIC_SUBSCRIPTION', p.id, x.id, s.minSeverityRank]) AS rows
UNION ALL
MATCH (p:Partner)-[s:SUBSCRIBES_TO]->(x:Sector)
RETURN collect(['SECTOR_SUBSCRIPTION', p.id, x.id, s.minSeverityRank]) AS rows
