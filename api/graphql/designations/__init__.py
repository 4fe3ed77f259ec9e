"""Focal points and governmental experts (¶18, ¶27) in GraphQL."""
