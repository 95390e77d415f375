// The chain's head, write-locked by the SET: concurrent appends wait here, one at a time, so each
// record links to the one committed just before it.
// Changes the partnership graph: no
MATCH (h:AuditHead {id: 'audit'})
SET h.appending = timestamp()
RETURN h.sequence AS sequence, h.hash AS hash
