// The council a proposal is for (that of requirement $requirement when one is named, else
// $council), whether it exists, and whether partner $partner is a member of it.
// Changes the partnership graph: no
OPTIONAL MATCH (r:Requirement {id: $requirement})-[:SET_BY]->(setBy:Council)
OPTIONAL MATCH (named:Council {id: $council})
WITH CASE WHEN $requirement IS NULL THEN named ELSE setBy END AS c, r
RETURN c.id AS council, r IS NOT NULL AS requirementFound, r.version AS version,
  c IS NOT NULL AND EXISTS { (:Partner {id: $partner})-[:MEMBER_OF]->(c) } AS member
