// Takes the record's write lock until the transaction ends: a concurrent edit of the same record
// waits here, then reads the version this one left. /*LABEL*/ comes from editing.LABELS.
// Changes the partnership graph: no
MATCH (n:/*LABEL*/ {id: $id})
SET n.editLock = true
REMOVE n.editLock
RETURN n.id AS id
