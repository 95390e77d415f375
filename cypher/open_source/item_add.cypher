// An item an analyst adds by hand (seen where no feed reaches): stored like a fetched one, its
// source 'manual'. $row as store_items' new rows.
// Changes the partnership graph: no
MERGE (i:OpenSourceItem {id: $row.id})
ON CREATE SET i.url = $row.url, i.link = $row.link, i.urls = [$row.url], i.contentHash = $row.contentHash,
              i.hashes = [$row.contentHash], i.title = $row.title, i.summary = $row.summary,
              i.publishedAt = CASE WHEN $row.publishedAt IS NULL THEN null ELSE datetime($row.publishedAt) END,
              i.firstSeenAt = datetime($at), i.updatedAt = datetime($at), i.day = $row.day,
              i.source = 'manual', i.feeds = ['manual'], i.addedBy = $actor,
              i.sectors = $row.sectors, i.topics = $row.topics, i.regions = $row.regions
