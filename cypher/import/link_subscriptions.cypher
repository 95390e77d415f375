// Subscriptions are written whole by their upsert.
UNWIND $rows AS row
RETURN count(row) AS rows
