// A phone call made or a watch-center notice given: the person marks the message done.
// Changes the partnership graph: no
MATCH (m:Message {id: $id})
WITH m, m.status AS before
SET m.status = 'SENT', m.sentAt = datetime(), m.completedBy = $actor, m.note = $note
RETURN m.id AS id, before, m.status AS status
