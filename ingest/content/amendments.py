"""Which laws amend or repeal which, to refuse a link that would close a cycle (a law that
amends, through others, a law that amends it)."""

from __future__ import annotations

from collections import deque


class AmendmentGraph:
    """The links of the laws a batch names, as the graph held them before the batch, and
    the batch's own links as its records are accepted (a record's links replace its old)."""

    def __init__(self, known: dict[str, set[str]]) -> None:
        self.edges: dict[str, set[str]] = {law: set(targets) for law, targets in known.items()}

    def add(self, law: str, targets: list[str]) -> None:
        self.edges[law] = set(targets)

    def cycle_through(self, law: str, targets: list[str]) -> list[str] | None:
        """The cycle that links from `law` to `targets` would close, as the laws along it
        (from `law` back to `law`), or None."""
        for target in targets:
            path = self._path(target, law)
            if path is not None:
                return [law, *path]
        return None

    def _path(self, start: str, goal: str) -> list[str] | None:
        came_from: dict[str, str | None] = {start: None}
        queue = deque([start])
        while queue:
            node = queue.popleft()
            if node == goal:
                path = [node]
                while (previous := came_from[path[-1]]) is not None:
                    path.append(previous)
                return path[::-1]
            for following in sorted(self.edges.get(node, ())):
                if following not in came_from:
                    came_from[following] = node
                    queue.append(following)
        return None
