// The daily report of $day with its entries in the analyst's order (none: no row).
// Changes the partnership graph: no
MATCH (r:OpenSourceReport {day: $day})
RETURN r {.day, .state, .product, .sectors, .text, .version, updatedAt: toString(r.updatedAt),
          updatedBy: r.updatedBy, publishedAt: toString(r.publishedAt), publishedBy: r.publishedBy} AS report,
       COLLECT {
         MATCH (r)-[e:INCLUDES]->(i:OpenSourceItem)
         RETURN {item: i.id, title: i.title, link: i.link, itemSummary: i.summary, summary: e.summary,
                 sector: e.sector, position: e.position,
                 sectorName: head(COLLECT { MATCH (s:Sector {id: e.sector}) RETURN s.name })}
         ORDER BY e.position
       } AS entries
