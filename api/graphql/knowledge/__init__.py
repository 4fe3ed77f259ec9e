"""The knowledge base in GraphQL: legislation, cases, competent authorities, crime types, and search."""
