// A committed change of the partnership graph: a new graph version and an entry in the change
// log, in the change's transaction. $partners names the partners whose records, links or contacts
// the change touched, or is null when it may have touched anything else. The version node's
// exclusive lock orders the entries as the commits; the log keeps the last $kept of them.
// MATCH, not MERGE: concurrent MERGEs each take a shared lock and then wait to upgrade it, a
// deadlock; SET takes the exclusive lock at once. The node is made by migration 008.
MATCH (v:GraphVersion {id: 1})
SET v.seq = coalesce(v.seq, 0) + 1, v.token = randomUUID()
CREATE (:GraphChange {seq: v.seq, token: v.token, partners: $partners})
WITH v
OPTIONAL MATCH (old:GraphChange) WHERE old.seq <= v.seq - $kept
DELETE old
