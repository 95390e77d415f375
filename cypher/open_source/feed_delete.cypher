// Remove a feed's configuration; the items fetched from it stay (they name it among their feeds).
// Changes the partnership graph: no
MATCH (f:OpenSourceFeed {id: $id})
DELETE f
RETURN count(*) AS deleted
