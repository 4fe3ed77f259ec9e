"""The launcher of the real servers SHERLOC needs: Neo4j and Elasticsearch from Maven Central.

`sherloc services up|down|status` (and so `make run`, `make test` and `.ci/run`) all go
through `services.py`. Every failure a user can meet ends in a `LauncherError`: one
sentence naming what is wrong and how to fix it, and the log file to read.
"""

from ops.launcher.errors import LauncherError

__all__ = ["LauncherError"]
