// Which of the objects a page's reports reference ($keys: {kind, value}) a report of the same
// collection the reader may see (the VISIBLE slot on q, with the facts the VIEWER slot binds) referenced
// before $before: those were added to the collection then, and a later page leaves them out.
// Changes the partnership graph: no
/*VIEWER*/
UNWIND $keys AS key
WITH *, EXISTS {
  MATCH (q:InformationProduct)
  WHERE q.modifiedAt >= $earliest AND q.modifiedAt < $before
    AND ($sector IS NULL OR EXISTS { (q)-[:ABOUT_SECTOR]->(:Sector {id: $sector}) })
    AND ($deliveredTo IS NULL
         OR EXISTS { (d:Delivery)-[:OF]->(q) WHERE EXISTS { (d)-[:TO]->(:Partner {id: $deliveredTo}) } })
    AND CASE key.kind
          WHEN 'tlp' THEN q.tlp = key.value
          WHEN 'pcii' THEN q.pcii
          WHEN 'sector' THEN EXISTS { (q)-[:ABOUT_SECTOR]->(:Sector {id: key.value}) }
          WHEN 'partner' THEN EXISTS { (q)-[:ISSUED_BY]->(:Partner {id: key.value}) }
          ELSE NOT EXISTS { (q)-[:ABOUT_SECTOR]->(:Sector) } AND NOT EXISTS { (q)-[:ISSUED_BY]->(:Partner) }
        END
    AND /*VISIBLE*/
} AS seen
RETURN key.kind AS kind, key.value AS value, seen
