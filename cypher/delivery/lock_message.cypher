// One message, write-locked for the rest of the transaction, with its current status.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})
SET m.locking = true
REMOVE m.locking
RETURN m.id AS id, m.status AS status, m.channel AS channel
