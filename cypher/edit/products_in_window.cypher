// The products an impact question considers: published in [$after, $before), newest first.
// Changes the partnership graph: no
MATCH (p:InformationProduct)
WHERE p.publishedAt >= datetime($after) AND p.publishedAt < datetime($before)
RETURN p.id AS id
ORDER BY p.publishedAt DESC, id
LIMIT $limit
