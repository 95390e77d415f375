// A window of the stored open-source items, newest first (by publication, then first seen), filtered
// by day ($day: YYYY-MM-DD), suggested sector, feed and ids ($...: null = any); the SEARCH slot is
// `true` or the full-text match of $query (the FULLTEXT slot then yields the matching nodes).
// Changes the partnership graph: no
/*FULLTEXT*/
WHERE ($day IS NULL OR i.day = $day)
  AND ($sector IS NULL OR $sector IN i.sectors)
  AND ($feed IS NULL OR $feed IN i.feeds)
  AND ($ids IS NULL OR i.id IN $ids)
WITH i ORDER BY coalesce(i.publishedAt, i.firstSeenAt) DESC, i.id
WITH collect(i) AS found
RETURN size(found) AS total,
       [i IN found[$offset..$offset + $limit] |
        i {.id, .link, .url, .title, .summary, .day, .sectors, .topics, .regions, .feeds, .source,
           publishedAt: toString(i.publishedAt), firstSeenAt: toString(i.firstSeenAt),
           updatedAt: toString(i.updatedAt)}] AS items
