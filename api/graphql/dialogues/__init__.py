"""Stakeholders' constructive dialogues (¶53) in GraphQL."""
