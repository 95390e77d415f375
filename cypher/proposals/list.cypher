// Requirement proposals, newest first, narrowed by council and state and, for a PARTNER user,
// to the councils its organisation ($member; null: any) is a member of: a page and the total.
// Changes the partnership graph: no
MATCH (p:RequirementProposal)
WHERE ($council IS NULL OR p.council = $council) AND ($state IS NULL OR p.state = $state)
  AND ($member IS NULL OR EXISTS { (:Partner {id: $member})-[:MEMBER_OF]->(:Council {id: p.council}) })
WITH p ORDER BY p.at DESC, p.id DESC
WITH collect(p {.*}) AS found
RETURN size(found) AS total, found[$offset..$offset + coalesce($size, size(found))] AS items
