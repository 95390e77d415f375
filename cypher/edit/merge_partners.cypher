// Folds the duplicate partner into the one kept: every relationship moves (a relationship the kept
// partner already has to the same record stays as it was), deliveries take the kept partner's key
// unless it already has one for that product, and the old id becomes an alias.
// Changes the partnership graph: yes
MATCH (keep:Partner {id: $keep}), (dup:Partner {id: $duplicate})
CALL (keep, dup) {
  MATCH (dup)-[r]->(other)
  WHERE other <> keep AND NOT r:PARTNERS_WITH
  MERGE (keep)-[moved:$(type(r))]->(other)
  ON CREATE SET moved = properties(r)
  DELETE r
}
CALL (keep, dup) {
  MATCH (dup)<-[r]-(other)
  WHERE other <> keep AND NOT r:PARTNERS_WITH
  MERGE (keep)<-[moved:$(type(r))]-(other)
  ON CREATE SET moved = properties(r)
  DELETE r
}
CALL (keep, dup) {
  // Undirected: one relationship per pair, whichever way it was stored.
  MATCH (dup)-[r:PARTNERS_WITH]-(other)
  WHERE other <> keep
  MERGE (keep)-[:PARTNERS_WITH]-(other)
  DELETE r
}
CALL (keep) {
  MATCH (d:Delivery)-[:TO]->(keep), (d)-[:OF]->(p:InformationProduct)
  WHERE d.key <> p.id + '|' + keep.id AND NOT EXISTS { MATCH (:Delivery {key: p.id + '|' + keep.id}) }
  SET d.key = p.id + '|' + keep.id
}
SET keep.fusionCenterType = coalesce(keep.fusionCenterType, dup.fusionCenterType),
    keep.version = keep.version + 1
MERGE (alias:PartnerAlias {id: dup.id})
ON CREATE SET alias.mergedAt = datetime()
MERGE (alias)-[:ALIAS_OF]->(keep)
DETACH DELETE dup
