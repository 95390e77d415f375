// Appends $events (a list of maps) in order, numbered by the one counter. The counter is
// write-locked before it is read and stays locked until this transaction ends, so every
// appending transaction commits in the order of its numbers: a reader that has seen n never
// later finds a committed event numbered below n. Append last in a transaction, to hold the
// lock briefly.
MERGE (c:EventSequence {name: 'events'})
ON CREATE SET c.value = 0
SET c.locking = true
REMOVE c.locking
WITH c, c.value AS base
SET c.value = base + size($events)
WITH base
UNWIND range(0, size($events) - 1) AS i
WITH base + i + 1 AS sequence, $events[i] AS e
CREATE (:Event {
  sequence: sequence, kind: e.kind, at: datetime(), actor: e.actor, product: e.product,
  partner: e.partner, message: e.message, status: e.status, collection: e.collection,
  key: e.key, detail: e.detail
})
RETURN max(sequence) AS last
