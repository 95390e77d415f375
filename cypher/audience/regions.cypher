// Every region with the regions it is directly part of: [id, parent ids], in one record.
// Changes the partnership graph: no
MATCH (r:Region)
RETURN collect([r.id, [(r)-[:PART_OF]->(parent:Region) | parent.id]]) AS rows
