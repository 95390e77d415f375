// The partner a PARTNER user works for, to name its inbox collection.
// Changes the partnership graph: no
MATCH (x:Partner {id: $partnerId})
RETURN x.id AS id, x.name AS name
