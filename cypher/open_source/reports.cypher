// A window of the published daily reports, newest day first, filtered by day range ($from, $to:
// YYYY-MM-DD, inclusive; null = open) and sector ($sector: null = any); the FULLTEXT slot is either
// a plain MATCH or the full-text match of $query over the reports' text.
// Changes the partnership graph: no
/*FULLTEXT*/
WHERE r.state = 'PUBLISHED'
  AND ($from IS NULL OR r.day >= $from)
  AND ($to IS NULL OR r.day <= $to)
  AND ($sector IS NULL OR $sector IN r.sectors)
WITH r ORDER BY r.day DESC
WITH collect(r.day) AS days
RETURN size(days) AS total, days[$offset..$offset + $limit] AS items
