// The record, the links it owns, and the aliases of partners once merged into it;
// dependents.cypher has made sure nothing else refers to it. /*LABEL*/ comes from editing.LABELS.
// Changes the partnership graph: yes
MATCH (n:/*LABEL*/ {id: $id})
OPTIONAL MATCH (alias:PartnerAlias)-[:ALIAS_OF]->(n)
DETACH DELETE alias, n
