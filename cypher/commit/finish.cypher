// The last statement of a write transaction, sent just before its commit: the transaction's
// events appended to the log and, when it changed the partnership graph, a new graph version with
// its change-log entry. Both are counters every writer shares, and each is write-locked until the
// commit; taking them together at the very end holds them for one exchange with the server, so
// a writer that is slow before its commit keeps no one else waiting.
//
// Events ($events, a list of maps, in order) are numbered by the one counter; as it stays locked
// until the commit, appending transactions commit in the order of their numbers: a reader that
// has seen n never later finds a committed event numbered below n. The graph version ($bump) is
// the same for the change log: $partners names the partners the change touched, or is null when
// it may have touched anything else; the log keeps the last $kept entries. The counter is taken
// first, the version second, in every transaction, so two writers never wait on each other in a
// circle. The version node is MATCHed (made by migration 008): concurrent MERGEs each take a
// shared lock and then wait to upgrade it, a deadlock; SET takes the exclusive lock at once.
// Changes the partnership graph: yes
CALL () {
  UNWIND CASE WHEN size($events) > 0 THEN [size($events)] ELSE [] END AS appended
  MERGE (c:EventSequence {name: 'events'})
  ON CREATE SET c.value = 0
  SET c.locking = true
  REMOVE c.locking
  WITH c, c.value AS base, appended
  SET c.value = base + appended
  WITH base
  UNWIND range(0, size($events) - 1) AS i
  WITH base + i + 1 AS sequence, $events[i] AS e
  CREATE (:Event {
    sequence: sequence, kind: e.kind, at: datetime(), actor: e.actor, product: e.product,
    partner: e.partner, message: e.message, status: e.status, collection: e.collection,
    key: e.key, detail: e.detail
  })
}
CALL () {
  UNWIND CASE WHEN $bump THEN [1] ELSE [] END AS bumped
  MATCH (v:GraphVersion {id: 1})
  SET v.seq = coalesce(v.seq, 0) + 1, v.token = randomUUID()
  CREATE (:GraphChange {seq: v.seq, token: v.token, partners: $partners})
  WITH v
  OPTIONAL MATCH (old:GraphChange) WHERE old.seq <= v.seq - $kept
  DELETE old
}
RETURN true AS finished
