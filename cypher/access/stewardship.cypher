// What decides whether partner $partner's users may steward the councils $councils (and the
// council requirement $requirement is set by): for each council, its kind, its parent, and
// which of the two (itself, its parent) $partner chairs.
// Changes the partnership graph: no
OPTIONAL MATCH (:Requirement {id: $requirement})-[:SET_BY]->(setBy:Council)
WITH [id IN $councils WHERE id IS NOT NULL] + CASE WHEN setBy IS NULL THEN [] ELSE [setBy.id] END AS ids
UNWIND ids AS id
OPTIONAL MATCH (c:Council {id: id})
OPTIONAL MATCH (c)-[:PART_OF]->(parent:Council)
RETURN id, c IS NOT NULL AS found, c.kind AS kind, parent.id AS parent,
  EXISTS { (:Partner {id: $partner})-[:MEMBER_OF {role: 'CHAIR'}]->(c) } AS chairsIt,
  parent IS NOT NULL AND EXISTS { (:Partner {id: $partner})-[:MEMBER_OF {role: 'CHAIR'}]->(parent) } AS chairsParent
