"""The query layer: the only code that talks to Neo4j. It knows no GraphQL and no HTTP."""
