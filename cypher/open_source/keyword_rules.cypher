// The stored keyword rules (each replaces the built-in rule of its target).
// Changes the partnership graph: no
MATCH (r:OpenSourceKeywordRule)
RETURN r.target AS target, r.ref AS ref, r.keywords AS keywords, toString(r.updatedAt) AS updatedAt,
       r.updatedBy AS updatedBy
ORDER BY target, ref
