// A new report with its sectors, regions and routes ($routes: {partner, reasons}, each reason
// written "SOURCE|ref").
// Changes the partnership graph: no
MATCH (submitter:Partner {id: $submitter})
CREATE (r:Report {id: $id, title: $title, summary: $summary, kind: $kind, tlp: $tlp,
                  pciiStatus: $pciiStatus, state: $state, observedAt: datetime($observedAt),
                  submittedAt: datetime(), submittedBy: $actor, version: 1, history: [$entry]})
CREATE (r)-[:SUBMITTED_BY]->(submitter)
WITH r
CALL (r) {
  UNWIND $sectors AS sectorId
  MATCH (s:Sector {id: sectorId})
  CREATE (r)-[:REPORT_SECTOR]->(s)
}
CALL (r) {
  UNWIND $regions AS regionId
  MATCH (g:Region {id: regionId})
  CREATE (r)-[:REPORT_REGION]->(g)
}
CALL (r) {
  UNWIND $routes AS route
  MATCH (x:Partner {id: route.partner})
  CREATE (r)-[:ROUTED_TO {reasons: route.reasons}]->(x)
}
RETURN r.id AS id
