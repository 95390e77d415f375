// The record and the links it owns; dependents.cypher has made sure nothing else refers to it.
MATCH (n:/*LABEL*/ {id: $id})
DETACH DELETE n
