// The sectors each partner of $ids follows by daily digest rather than message by message.
// Changes the partnership graph: no
UNWIND $ids AS id
MATCH (:Partner {id: id})-[:SUBSCRIBES_TO {delivery: 'DAILY_DIGEST'}]->(s:Sector)
RETURN id AS partner, collect(s.id) AS sectors
