// Full-text search over partner and council names and product titles (index name_search).
// Changes the partnership graph: no
CALL db.index.fulltext.queryNodes('name_search', $query) YIELD node, score
WITH node, score
WHERE ($visible IS NULL OR NOT node:InformationProduct OR node.id IN $visible)
  AND ($labels IS NULL OR any(label IN labels(node) WHERE label IN $labels))
WITH node, score
ORDER BY score DESC, node.id
WITH collect({id: node.id, type: CASE WHEN node:Partner THEN 'partners'
                                      WHEN node:Council THEN 'councils' ELSE 'products' END,
              score: score}) AS hits
RETURN size(hits) AS total, hits[$offset..$offset + $limit] AS items
