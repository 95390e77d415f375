// Phone calls and watch-center notices waiting for a person, oldest first; offset pagination
// with the total. $channel null: both channels.
// Changes the partnership graph: no
MATCH (m:Message {status: 'MANUAL'})
WHERE $channel IS NULL OR m.channel = $channel
WITH m ORDER BY m.createdAt, m.id
WITH collect(m.id) AS ids
RETURN size(ids) AS total, ids[$offset..$offset + $limit] AS items
