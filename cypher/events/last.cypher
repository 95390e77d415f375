// The number of the latest event appended (0 before the first).
OPTIONAL MATCH (c:EventSequence {name: 'events'})
RETURN coalesce(c.value, 0) AS last
