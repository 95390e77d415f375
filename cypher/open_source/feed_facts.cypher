// Which of $sectors and $topics exist.
// Changes the partnership graph: no
RETURN COLLECT { MATCH (s:Sector) WHERE s.id IN $sectors RETURN s.id } AS sectors,
       COLLECT { MATCH (t:Topic) WHERE t.id IN $topics RETURN t.id } AS topics
