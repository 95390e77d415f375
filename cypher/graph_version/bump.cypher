// A committed change of the partnership graph: a new graph version, in the change's transaction.
// MATCH, not MERGE: concurrent MERGEs each take a shared lock and then wait to upgrade it, a
// deadlock; SET takes the exclusive lock at once. The node is made by migration 008.
MATCH (v:GraphVersion {id: 1})
SET v.token = randomUUID()
