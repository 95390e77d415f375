// Reports by id that the user may see (the VISIBLE slot: the access rule, or true), each with its
// links; `routedTo` by partner name then id.
// Changes the partnership graph: no
MATCH (r:Report) WHERE r.id IN $ids AND /*VISIBLE*/
MATCH (r)-[:SUBMITTED_BY]->(submitter:Partner)
RETURN r.id AS id, r.title AS title, r.summary AS summary, r.kind AS kind, r.tlp AS tlp,
       r.pciiStatus AS pciiStatus, r.state AS state,
       toString(r.observedAt) AS observedAt, toString(r.submittedAt) AS submittedAt,
       r.submittedBy AS submittedBy, submitter.id AS submitter,
       COLLECT { MATCH (r)-[:REPORT_SECTOR]->(s:Sector) RETURN s.id ORDER BY s.id } AS sectors,
       COLLECT { MATCH (r)-[:REPORT_REGION]->(g:Region) RETURN g.id ORDER BY g.id } AS regions,
       COLLECT { MATCH (r)-[route:ROUTED_TO]->(x:Partner)
                 WITH route, x ORDER BY x.name, x.id
                 RETURN {partner: x.id, reasons: route.reasons} } AS routedTo,
       head([(p:InformationProduct)-[:FROM_REPORT]->(r) | p.id]) AS product,
       r.history AS history, r.version AS version
