// Which of $items are stored items and which of $sectors are sectors.
// Changes the partnership graph: no
RETURN COLLECT { MATCH (i:OpenSourceItem) WHERE i.id IN $items RETURN i.id } AS items,
       COLLECT { MATCH (s:Sector) WHERE s.id IN $sectors RETURN s.id } AS sectors
