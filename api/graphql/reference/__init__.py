"""Reference data in GraphQL: the instruments, their articles, the parties and their participation."""
