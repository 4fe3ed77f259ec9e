"""Accounts in GraphQL: `me`, login and logout, and the secretariat's account management."""
