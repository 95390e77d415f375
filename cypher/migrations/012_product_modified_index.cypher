// TAXII pages read a collection's products in the order their versions came to be (modifiedAt):
// a page starts where the last one ended, by this index, rather than reading the collection.
// Changes the partnership graph: no
CREATE INDEX product_modified_at IF NOT EXISTS FOR (p:InformationProduct) ON (p.modifiedAt);
// A product's report was added when its version came to be; one written before versions were
// timed counts from its publication, as its STIX `modified` does.
MATCH (p:InformationProduct) WHERE p.modifiedAt IS NULL
SET p.modifiedAt = p.publishedAt;
