// A requirement proposal, write-locked for this transaction so that it is decided once.
// Changes the partnership graph: no
MATCH (p:RequirementProposal {id: $id})
SET p.locked = true
REMOVE p.locked
RETURN p {.*} AS proposal
