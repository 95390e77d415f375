// Add a feed or change its configuration; what was fetched from it stays. A changed URL forgets
// the validators of the old one.
// Changes the partnership graph: no
MERGE (f:OpenSourceFeed {id: $id})
ON CREATE SET f.createdAt = datetime(), f.itemCount = 0
SET f.etag = CASE WHEN f.url = $url THEN f.etag END,
    f.lastModified = CASE WHEN f.url = $url THEN f.lastModified END,
    f.name = $name, f.url = $url, f.host = $host, f.sectors = $sectors, f.topics = $topics,
    f.pollSeconds = $pollSeconds, f.updatedAt = datetime()
