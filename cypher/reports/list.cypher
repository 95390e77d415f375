// A window of the reports a user may see (the VISIBLE slot: the access rule, or true), filtered by
// state, kind and submitter ($state, $kind, $submitter: null = any), newest first.
// Changes the partnership graph: no
MATCH (r:Report)
WHERE ($state IS NULL OR r.state IN $state)
  AND ($kind IS NULL OR r.kind IN $kind)
  AND ($submitter IS NULL OR EXISTS { (r)-[:SUBMITTED_BY]->(:Partner {id: $submitter}) })
  AND ($routedTo IS NULL OR EXISTS { (r)-[:ROUTED_TO]->(:Partner {id: $routedTo}) })
  AND /*VISIBLE*/
WITH r ORDER BY r.submittedAt /*DIRECTION*/, r.id /*DIRECTION*/
WITH collect(r.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $limit] AS items
