// What deduplication needs of the items first seen since $since.
// Changes the partnership graph: no
MATCH (i:OpenSourceItem)
WHERE i.firstSeenAt >= datetime($since)
RETURN i.id AS id, i.url AS url, i.contentHash AS contentHash, i.title AS title, i.source AS source,
       i.feeds AS feeds, i.urls AS urls, i.hashes AS hashes
