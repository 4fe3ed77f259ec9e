"""Treaties, treaty actions and the legal basis between two States."""
