// Every region with the regions it is directly part of.
MATCH (r:Region)
RETURN r.id, [(r)-[:PART_OF]->(parent:Region) | parent.id]
