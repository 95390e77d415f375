// A requirement proposal's new state, the decision's reason, who decided, and its history.
// Changes the partnership graph: no
MATCH (p:RequirementProposal {id: $id})
SET p.state = $state, p.decisionReason = $reason, p.decidedBy = $actor, p.history = $history
RETURN p {.*} AS proposal
