// A new requirement proposal, PROPOSED, with the first entry of its history (JSON text); no
// row when the id is taken already.
// Changes the partnership graph: no
OPTIONAL MATCH (taken:RequirementProposal {id: $id})
WITH taken
WHERE taken IS NULL
CREATE (p:RequirementProposal {id: $id, council: $council, requirement: $requirement,
  baseVersion: $baseVersion, change: $change, state: 'PROPOSED', proposer: $proposer,
  proposedBy: $actor, reason: $reason, at: $at, history: $history})
RETURN p {.*} AS proposal
