"""Neo4j, the system of record: the driver, the schema, and the Cypher repositories."""
