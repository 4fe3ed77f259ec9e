"""The schedule of the groups and phases (¶9-¶15, table 2) in GraphQL."""
