// Where a report goes: every fusion center serving a region related to one of the report's
// regions (equal, or one containing the other at any depth) -- the submitter's own regions when
// the report names none -- and every national intake point. One row per partner and reason.
// Changes the partnership graph: no
MATCH (submitter:Partner {id: $submitter})
WITH CASE WHEN size($regions) > 0 THEN $regions
          ELSE [(submitter)-[:IN_REGION]->(own:Region) | own.id] END AS basis
CALL (basis) {
  UNWIND basis AS regionId
  MATCH (r:Region {id: regionId})
  CALL (r) {
    MATCH (r)-[:PART_OF*0..]->(g:Region) RETURN g
    UNION
    MATCH (g:Region)-[:PART_OF*0..]->(r) RETURN g
  }
  MATCH (fc:Partner)-[:SERVES]->(g)
  WHERE fc.fusionCenterType IS NOT NULL
  RETURN fc.id AS partner, 'FUSION_CENTER' AS source, g.id AS ref
  UNION
  MATCH (ip:Partner {intake: true})
  RETURN ip.id AS partner, 'INTAKE_POINT' AS source, null AS ref
}
RETURN DISTINCT partner, source, ref
