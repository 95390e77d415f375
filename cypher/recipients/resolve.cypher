// The recipient rules for one product, given by its attributes so that a draft resolves the same way.
// Regions related to the product's: each one, everything above it and everything below it.
// Changes the partnership graph: no
CALL () {
  UNWIND $regions AS regionId
  MATCH (r:Region {id: regionId})
  CALL (r) {
    MATCH (r)-[:PART_OF*0..]->(x:Region) RETURN x
    UNION
    MATCH (x:Region)-[:PART_OF*0..]->(r) RETURN x
  }
  RETURN collect(DISTINCT x) AS related
}
CALL (related) {
  // 1. Requirements of the product's sectors whose filters it meets, through their audience.
  MATCH (requirement:Requirement)-[:FOR_SECTOR]->(sector:Sector)
  WHERE sector.id IN $sectors
    AND (size(requirement.kinds) = 0 OR $kind IN requirement.kinds)
    AND (size(requirement.levels) = 0 OR $level IN requirement.levels)
    AND requirement.minSeverityRank <= $severityRank
    AND (NOT EXISTS { (requirement)-[:ON_TOPIC]->() }
         OR EXISTS { (requirement)-[:ON_TOPIC]->(t:Topic) WHERE t.id IN $topics })
  MATCH (requirement)-[:AUDIENCE]->(audience)
  CALL (requirement, audience) {
    MATCH (x:Partner)-[:MEMBER_OF]->(audience:Council)
    RETURN x
    UNION
    MATCH (x:Partner)-[:IN_SECTOR]->(audience:Sector)
    WHERE size(requirement.audiencePartnerKinds) = 0 OR x.kind IN requirement.audiencePartnerKinds
    RETURN x
  }
  RETURN x, 'REQUIREMENT' AS source, requirement.id AS ref, requirement.channel AS channel
  UNION
  // 2. Standing subscriptions to one of the product's topics or sectors.
  MATCH (x:Partner)-[s:SUBSCRIBES_TO]->(t:Topic)
  WHERE t.id IN $topics AND s.minSeverityRank <= $severityRank
  RETURN x, 'SUBSCRIPTION' AS source, t.id AS ref, null AS channel
  UNION
  MATCH (x:Partner)-[s:SUBSCRIBES_TO]->(t:Sector)
  WHERE t.id IN $sectors AND s.minSeverityRank <= $severityRank
  RETURN x, 'SUBSCRIPTION' AS source, t.id AS ref, null AS channel
  UNION
  // 3. Fusion centers: all of them for a product without regions, else those serving a related one.
  MATCH (x:Partner)
  WHERE x.fusionCenterType IS NOT NULL AND size($regions) = 0
  RETURN x, 'FUSION_CENTER' AS source, null AS ref, null AS channel
  UNION
  UNWIND related AS served
  MATCH (x:Partner)-[:SERVES]->(served)
  WHERE x.fusionCenterType IS NOT NULL
  RETURN x, 'FUSION_CENTER' AS source, served.id AS ref, null AS channel
  UNION
  // 4. Named addressees.
  UNWIND $addressedTo AS addresseeId
  MATCH (x:Partner {id: addresseeId})
  RETURN x, 'ADDRESSED' AS source, $productId AS ref, null AS channel
}
// Unless $everyone, only the candidates in $partners are answered for: what an edit of one
// partner can change. (A flag and a list, never a null list: one parameter shape, one plan.) The region rule: requirement and subscription reasons count only for national
// bodies and partners in a related region.
WITH x, source, ref, channel, related
WHERE ($everyone OR x.id IN $partners)
  AND (source IN ['FUSION_CENTER', 'ADDRESSED']
   OR size($regions) = 0
   OR NOT EXISTS { (x)-[:IN_REGION]->() }
   OR EXISTS { (x)-[:IN_REGION]->(g) WHERE g IN related })
WITH x, collect(DISTINCT [source, ref, channel]) AS reasons
// The exclusion rules of graph_api/domain/eligibility.py, the first that fails (held to it by
// tests/integration/test_eligibility.py over every combination of facts).
WITH x, reasons,
  CASE
    WHEN NOT x.active THEN 'INACTIVE'
    WHEN $tlp = 'RED' AND NOT x.id IN $addressedTo THEN 'TLP_RED_NOT_ADDRESSED'
    WHEN $pcii AND NOT x.kind IN $governmentKinds THEN 'PCII_NOT_GOVERNMENT'
    WHEN $pcii AND NOT EXISTS {
      (c:Contact)-[:WORKS_FOR]->(x) WHERE c.active AND c.pciiAuthorized
    } THEN 'PCII_NO_AUTHORIZED_CONTACT'
  END AS exclusion
ORDER BY x.name, x.id
WITH collect([x.id, x.name, x.kind, reasons, exclusion,
  CASE WHEN exclusion IS NULL THEN COLLECT {
    MATCH (c:Contact)-[:WORKS_FOR]->(x)
    WHERE c.active AND (NOT $pcii OR c.pciiAuthorized)
    RETURN [c.id, c.name, c.email, c.channels, c.pciiAuthorized, c.active, c.version] AS contact
    ORDER BY c.name, c.id
  } ELSE [] END]) AS rows
// The candidates in the list's order, $chunk to a record: a caller can stream a national list,
// and the driver reads a few large records far faster than a great many small ones.
UNWIND range(0, size(rows) - 1, $chunk) AS start
RETURN rows[start..start + $chunk] AS rows
