// The Daily Report of sector $sector for the day [$from, $to): the products published then about
// the sector that may travel with their content (TLP:CLEAR or TLP:GREEN, not PCII), newest first.
// Changes the partnership graph: no
MATCH (:Sector {id: $sector})<-[:ABOUT_SECTOR]-(p:InformationProduct)
WHERE p.publishedAt >= datetime($from) AND p.publishedAt < datetime($to)
  AND p.tlp IN $tlps AND NOT coalesce(p.pcii, false)
RETURN p.id AS id
ORDER BY p.publishedAt DESC, p.id
