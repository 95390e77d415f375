RETURN
  COLLECT { MATCH (n:Sector) RETURN n.id ORDER BY n.name, n.id } AS sectors,
  COLLECT { MATCH (n:Region) RETURN n.id ORDER BY n.name, n.id } AS regions,
  COLLECT { MATCH (n:Topic) RETURN n.id ORDER BY n.name, n.id } AS topics
