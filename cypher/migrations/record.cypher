// Changes the partnership graph: no
MERGE (m:SchemaMigration {version: $version})
ON CREATE SET m.name = $name, m.appliedAt = datetime()
