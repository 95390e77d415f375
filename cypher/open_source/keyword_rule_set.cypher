// Store the keyword rule of one sector or topic, replacing its keywords.
// Changes the partnership graph: no
MERGE (r:OpenSourceKeywordRule {key: $target + ':' + $ref})
SET r.target = $target, r.ref = $ref, r.keywords = $keywords, r.updatedAt = datetime(), r.updatedBy = $actor
