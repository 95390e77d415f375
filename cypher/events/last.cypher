// The number of the latest event appended (0 before the first).
// Changes the partnership graph: no
OPTIONAL MATCH (c:EventSequence {name: 'events'})
RETURN coalesce(c.value, 0) AS last
