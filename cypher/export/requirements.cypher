// Changes the partnership graph: no
MATCH (r:Requirement)-[:SET_BY]->(c:Council), (r)-[:FOR_SECTOR]->(s:Sector)
WHERE r.id IN $ids
OPTIONAL MATCH (r)-[:AUDIENCE]->(a)
RETURN r.id AS id, c.id AS council, s.id AS sector, r.kinds AS kinds, r.levels AS levels,
       [(r)-[:ON_TOPIC]->(t) | t.id] AS topics, r.minSeverity AS minSeverity,
       CASE WHEN a:Council THEN {council: a.id}
            ELSE {sector: a.id, partnerKinds: r.audiencePartnerKinds} END AS audience,
       r.channel AS channel, r.illustrative AS illustrative,
       r.version AS version
ORDER BY id
