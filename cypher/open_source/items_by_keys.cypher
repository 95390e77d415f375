// What deduplication needs of the items stored at one of $urls (canonical) or with one of $hashes.
// Changes the partnership graph: no
CALL (*) {
  UNWIND $urls AS url
  MATCH (i:OpenSourceItem {url: url})
  RETURN i
  UNION
  UNWIND $hashes AS digest
  MATCH (i:OpenSourceItem {contentHash: digest})
  RETURN i
}
RETURN DISTINCT i.id AS id, i.url AS url, i.contentHash AS contentHash, i.title AS title, i.source AS source,
       i.feeds AS feeds, i.urls AS urls, i.hashes AS hashes
