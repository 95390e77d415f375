// Changes the partnership graph: no
UNWIND $rows AS row
// One reading of the clock: a first version's `modifiedAt` and `createdAt` are the same moment.
WITH row, datetime.realtime() AS now
MERGE (p:InformationProduct {id: row.id})
// The origin is a product's for life: the importer has refused a row of another origin.
ON CREATE SET p.origin = row.origin
SET p.title = row.title, p.kind = row.kind, p.level = row.level, p.severity = row.severity,
    p.severityRank = row.severityRank, p.tlp = row.tlp, p.pcii = row.pcii,
    p.publishedAt = datetime(row.publishedAt), p.illustrative = row.illustrative,
    p.summary = row.summary, p.link = row.link,
    p.version = coalesce(p.version, 0) + 1,
    // When this version came to be (STIX `modified`); the first one's time is `created`.
    p.modifiedAt = now, p.createdAt = coalesce(p.createdAt, now)
WITH p
OPTIONAL MATCH (p)-[old:ABOUT_SECTOR|ABOUT_TOPIC|ABOUT_REGION|ADDRESSED_TO|ISSUED_BY]->()
DELETE old
