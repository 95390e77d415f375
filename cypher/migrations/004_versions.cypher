// Optimistic concurrency: every editable record and relationship carries a version, bumped on
// each change. Records written before this migration start at 1.
// Changes the partnership graph: no
MATCH (n)
WHERE (n:Sector OR n:Region OR n:Topic OR n:Partner OR n:Council OR n:Contact OR n:Requirement
       OR n:InformationProduct) AND n.version IS NULL
SET n.version = 1;
MATCH ()-[r:MEMBER_OF|SUBSCRIBES_TO]->() WHERE r.version IS NULL SET r.version = 1;
// A merged partner's old id keeps answering: an alias points at the partner it was merged into.
CREATE CONSTRAINT partner_alias_id IF NOT EXISTS FOR (n:PartnerAlias) REQUIRE n.id IS UNIQUE;
