// Replace the draft's entries with $entries ({item, summary, sector}) in their order.
// Changes the partnership graph: no
MATCH (r:OpenSourceReport {day: $day})
CALL (r) {
  MATCH (r)-[old:INCLUDES]->(:OpenSourceItem)
  DELETE old
}
WITH r
CALL (r) {
  UNWIND range(0, size($entries) - 1) AS position
  WITH position, $entries[position] AS entry
  MATCH (i:OpenSourceItem {id: entry.item})
  CREATE (r)-[:INCLUDES {position: position, summary: entry.summary, sector: entry.sector}]->(i)
}
SET r.version = r.version + 1, r.updatedAt = datetime(), r.updatedBy = $actor,
    r.sectors = reduce(acc = [], e IN $entries | CASE WHEN e.sector IN acc THEN acc ELSE acc + e.sector END)
