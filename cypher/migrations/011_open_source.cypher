// Open-source feeds, their items (each stored once), the keyword rules that suggest sectors and
// topics, and the daily reports analysts curate from the items. Items are found by canonical URL
// and content hash when deduplicated, by day for the inbox, and by word through full-text indexes.
// Changes the partnership graph: no
CREATE CONSTRAINT open_source_feed_id IF NOT EXISTS FOR (n:OpenSourceFeed) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT open_source_item_id IF NOT EXISTS FOR (n:OpenSourceItem) REQUIRE n.id IS UNIQUE;
CREATE INDEX open_source_item_url IF NOT EXISTS FOR (n:OpenSourceItem) ON (n.url);
CREATE INDEX open_source_item_hash IF NOT EXISTS FOR (n:OpenSourceItem) ON (n.contentHash);
CREATE INDEX open_source_item_day IF NOT EXISTS FOR (n:OpenSourceItem) ON (n.day);
CREATE INDEX open_source_item_seen IF NOT EXISTS FOR (n:OpenSourceItem) ON (n.firstSeenAt);
CREATE CONSTRAINT open_source_rule_key IF NOT EXISTS FOR (n:OpenSourceKeywordRule) REQUIRE n.key IS UNIQUE;
CREATE CONSTRAINT open_source_report_day IF NOT EXISTS FOR (n:OpenSourceReport) REQUIRE n.day IS UNIQUE;
CREATE FULLTEXT INDEX open_source_item_text IF NOT EXISTS FOR (n:OpenSourceItem) ON EACH [n.title, n.summary];
CREATE FULLTEXT INDEX open_source_report_text IF NOT EXISTS FOR (n:OpenSourceReport) ON EACH [n.text];
