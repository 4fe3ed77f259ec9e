"""GraphiQL served from local assets, so that SHERLOC works on a network without a CDN.

The assets come from the npm registry once (`sherloc fetch-assets`, ops/assets.py), into
the cache beside the servers.
"""

from __future__ import annotations

from pathlib import Path

GRAPHIQL_VERSION = "3.8.3"
REACT_VERSION = "18.2.0"

# (npm package, version, file inside the package, name served under /static/graphiql/)
ASSETS = (
    ("react", REACT_VERSION, "umd/react.production.min.js", "react.production.min.js"),
    ("react-dom", REACT_VERSION, "umd/react-dom.production.min.js", "react-dom.production.min.js"),
    ("graphiql", GRAPHIQL_VERSION, "graphiql.min.js", "graphiql.min.js"),
    ("graphiql", GRAPHIQL_VERSION, "graphiql.min.css", "graphiql.min.css"),
)


def assets_dir(cache_dir: Path) -> Path:
    return cache_dir / f"graphiql-{GRAPHIQL_VERSION}"


def assets_present(cache_dir: Path) -> bool:
    target = assets_dir(cache_dir)
    return all((target / served).is_file() for *_, served in ASSETS)


PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>SHERLOC GraphQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <link rel="stylesheet" href="/static/graphiql/graphiql.min.css">
  <style>body { margin: 0; height: 100vh; } #graphiql { height: 100vh; }</style>
</head>
<body>
  <div id="graphiql">Loading GraphiQL...</div>
  <script src="/static/graphiql/react.production.min.js"></script>
  <script src="/static/graphiql/react-dom.production.min.js"></script>
  <script src="/static/graphiql/graphiql.min.js"></script>
  <script>
    const fetcher = GraphiQL.createFetcher({ url: "/graphql", fetch: (url, options) =>
      fetch(url, { ...options, credentials: "same-origin" }) });
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {
        fetcher,
        defaultQuery:
          "{\\n  instruments {\\n    code\\n    title(lang: \\"fr\\") { text }\\n  }\\n}\\n",
      }));
  </script>
</body>
</html>
"""

MISSING = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>SHERLOC GraphQL</title></head>
<body><p>GraphiQL's assets are not installed on this server: run <code>sherloc fetch-assets</code>
once (it needs npm), then reload. The API itself answers POST requests at /graphql.</p></body>
</html>
"""
