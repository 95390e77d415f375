// A committed change of the partnership graph: a new graph version, in the change's transaction.
MERGE (v:GraphVersion {id: 1})
SET v.token = randomUUID()
