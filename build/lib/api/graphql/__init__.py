"""The GraphQL API: types, queries, loaders and the limits set where the schema is built."""
