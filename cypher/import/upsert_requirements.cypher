// Changes the partnership graph: yes
UNWIND $rows AS row
MERGE (r:Requirement {id: row.id})
SET r.kinds = row.kinds, r.levels = row.levels, r.minSeverity = row.minSeverity,
    r.minSeverityRank = row.minSeverityRank, r.channel = row.channel,
    r.audiencePartnerKinds = row.audiencePartnerKinds, r.illustrative = row.illustrative,
    r.version = coalesce(r.version, 0) + 1
WITH r
OPTIONAL MATCH (r)-[old:SET_BY|FOR_SECTOR|ON_TOPIC|AUDIENCE]->()
DELETE old
