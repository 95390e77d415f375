// Identity: every record type has a unique id, enforced by the database itself.
// Changes the partnership graph: no
CREATE CONSTRAINT sector_id IF NOT EXISTS FOR (n:Sector) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT region_id IF NOT EXISTS FOR (n:Region) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT topic_id IF NOT EXISTS FOR (n:Topic) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT partner_id IF NOT EXISTS FOR (n:Partner) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT council_id IF NOT EXISTS FOR (n:Council) REQUIRE n.id IS UNIQUE;
// Partners and councils are the vertices of the collaboration graph and share one id space.
CREATE CONSTRAINT vertex_id IF NOT EXISTS FOR (n:Vertex) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT contact_id IF NOT EXISTS FOR (n:Contact) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT requirement_id IF NOT EXISTS FOR (n:Requirement) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT product_id IF NOT EXISTS FOR (n:InformationProduct) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT migration_version IF NOT EXISTS FOR (n:SchemaMigration) REQUIRE n.version IS UNIQUE;
CREATE INDEX partner_name IF NOT EXISTS FOR (n:Partner) ON (n.name);
CREATE INDEX council_name IF NOT EXISTS FOR (n:Council) ON (n.name);
CREATE INDEX product_published IF NOT EXISTS FOR (n:InformationProduct) ON (n.publishedAt);
CREATE INDEX fusion_center_type IF NOT EXISTS FOR (n:Partner) ON (n.fusionCenterType);
CREATE FULLTEXT INDEX name_search IF NOT EXISTS FOR (n:Partner|Council|InformationProduct) ON EACH [n.name, n.title];
