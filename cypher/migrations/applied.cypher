// Changes the partnership graph: no
MATCH (m:SchemaMigration) RETURN m.version AS version ORDER BY version
