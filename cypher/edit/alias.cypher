// The partner an old (merged) partner id now stands for.
// Changes the partnership graph: no
MATCH (:PartnerAlias {id: $id})-[:ALIAS_OF]->(p:Partner)
RETURN p.id AS partner
