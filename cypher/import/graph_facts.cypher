// What the graph already holds that an import document refers to, and the parent trees.
// Changes the partnership graph: no
RETURN
  [id IN $sectors WHERE EXISTS { MATCH (:Sector {id: id}) }] AS sectors,
  [id IN $regions WHERE EXISTS { MATCH (:Region {id: id}) }] AS regions,
  [id IN $topics WHERE EXISTS { MATCH (:Topic {id: id}) }] AS topics,
  [id IN $partners WHERE EXISTS { MATCH (:Partner {id: id}) }] AS partners,
  [id IN $councils WHERE EXISTS { MATCH (:Council {id: id}) }] AS councils,
  [id IN $documentPartners WHERE EXISTS { MATCH (:Council {id: id}) }] AS councils_vertex,
  [id IN $documentCouncils WHERE EXISTS { MATCH (:Partner {id: id}) }] AS partners_vertex,
  COLLECT { MATCH (r:Region)-[:PART_OF]->(p:Region) RETURN [r.id, p.id] } AS regionParents,
  COLLECT { MATCH (c:Council)-[:PART_OF]->(p:Council) RETURN [c.id, p.id] } AS councilParents
