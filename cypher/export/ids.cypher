// Changes the partnership graph: no
RETURN
  COLLECT { MATCH (n:Sector) RETURN n.id ORDER BY n.id } AS sectors,
  COLLECT { MATCH (n:Region) RETURN n.id ORDER BY n.id } AS regions,
  COLLECT { MATCH (n:Topic) RETURN n.id ORDER BY n.id } AS topics,
  COLLECT { MATCH (n:Partner) RETURN n.id ORDER BY n.id } AS partners,
  COLLECT { MATCH (n:Council) RETURN n.id ORDER BY n.id } AS councils,
  COLLECT { MATCH (n:Contact) RETURN n.id ORDER BY n.id } AS contacts,
  COLLECT { MATCH (n:Requirement) RETURN n.id ORDER BY n.id } AS requirements,
  COLLECT { MATCH (p:Partner) WHERE EXISTS { (p)-[:SUBSCRIBES_TO]->() }
            RETURN p.id ORDER BY p.id } AS subscriptions,
  COLLECT { MATCH (n:InformationProduct) RETURN n.id ORDER BY n.id } AS products
