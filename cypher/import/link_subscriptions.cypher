// Subscriptions are written whole by their upsert.
// Changes the partnership graph: no
UNWIND $rows AS row
RETURN count(row) AS rows
