// The graph version now and the change log from entry $since on, oldest first:
// [seq, token, partners] each (partners null: the change may have touched anything).
// Changes the partnership graph: no
MATCH (v:GraphVersion {id: 1})
RETURN v.token AS token, v.seq AS seq,
  COLLECT {
    MATCH (c:GraphChange) WHERE c.seq >= $since AND c.seq <= v.seq
    RETURN [c.seq, c.token, c.partners] AS change ORDER BY c.seq
  } AS changes
