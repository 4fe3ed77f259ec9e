"""Elasticsearch: a derived index of the graph, rebuilt from it at will."""
