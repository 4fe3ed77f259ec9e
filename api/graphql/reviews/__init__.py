"""Country reviews in GraphQL: a review's artefacts as the viewer may read them, and their writing."""
