"""The secure module's policy, applied at one boundary.

- reads: each request's `Reader` (reader.py) returns only the rows its viewer may read;
- fields that come back empty for some viewers are declared `restricted(rule)` (fields.py);
- writes: one guard per mutation, attached when the schema is built (writes.py).

The rules themselves are mechanism/access.py and mechanism/disclosure.py; nothing here
decides anything they do not. Resolvers under api/graphql/ neither compare roles nor
call `may_*` (docs/policy.md, "Where the policy is applied").
"""
