"""The strategies and bibliography databases: national strategies and action plans, and
publications."""
