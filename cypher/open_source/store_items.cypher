// One fetch of a feed, written at once: new items ($new), items their own source changed
// ($changed), other sources' copies of stored items ($copies: the item gains the feed and the
// address), and the feed's status (validators, error cleared, item count).
// Changes the partnership graph: no
CALL (*) {
  UNWIND $new AS row
  MERGE (i:OpenSourceItem {id: row.id})
  ON CREATE SET i.url = row.url, i.link = row.link, i.urls = [row.url], i.contentHash = row.contentHash,
                i.hashes = [row.contentHash], i.title = row.title, i.summary = row.summary,
                i.publishedAt = CASE WHEN row.publishedAt IS NULL THEN null ELSE datetime(row.publishedAt) END,
                i.firstSeenAt = datetime($at), i.updatedAt = datetime($at), i.day = row.day,
                i.source = $feed, i.feeds = [$feed],
                i.sectors = row.sectors, i.topics = row.topics, i.regions = row.regions
  RETURN count(*) AS created
}
CALL (*) {
  UNWIND $changed AS row
  MATCH (i:OpenSourceItem {id: row.id})
  SET i.title = row.title, i.summary = row.summary, i.contentHash = row.contentHash,
      i.hashes = CASE WHEN row.contentHash IN i.hashes THEN i.hashes ELSE i.hashes + row.contentHash END,
      i.publishedAt = CASE WHEN row.publishedAt IS NULL THEN i.publishedAt ELSE datetime(row.publishedAt) END,
      i.updatedAt = datetime($at), i.sectors = row.sectors, i.topics = row.topics, i.regions = row.regions
  RETURN count(*) AS changed
}
CALL (*) {
  UNWIND $copies AS row
  MATCH (i:OpenSourceItem {id: row.id})
  SET i.feeds = CASE WHEN $feed IN i.feeds THEN i.feeds ELSE i.feeds + $feed END,
      i.urls = CASE WHEN row.url IN i.urls THEN i.urls ELSE i.urls + row.url END,
      i.hashes = CASE WHEN row.contentHash IN i.hashes THEN i.hashes ELSE i.hashes + row.contentHash END
  RETURN count(*) AS copies
}
MATCH (f:OpenSourceFeed {id: $feed})
SET f.etag = $etag, f.lastModified = $lastModified, f.lastError = null, f.lastErrorAt = null,
    f.failingSince = null, f.lastSuccessAt = datetime($at),
    f.itemCount = coalesce(f.itemCount, 0) + created + $newCopies
RETURN created, changed, copies
