"""The Starlette application: GraphQL, GraphiQL's local assets, and the health endpoints."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import orjson
import strawberry
from cross_web import HTTPException
from graphql import GraphQLError
from starlette.applications import Starlette
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.types import ASGIApp, Message, Receive, Scope, Send
from strawberry.asgi import GraphQL
from strawberry.http import GraphQLHTTPResponse
from strawberry.types import ExecutionResult

from api import exports, graphiql, speedups
from api.auth import Accounts, request_token, warm_up_login
from api.collector import serving_collector
from api.config import Settings, load_settings
from api.databases import Databases
from api.graphql.context import Context
from api.graphql.cursors import CursorKeys
from api.graphql.loaders import create_loaders
from api.graphql.reviews.types import artefact_ref
from api.graphql.schema import build_schema
from api.policy.reader import Reader
from api.reference_cache import ReferenceCache
from api.security import SecurityMiddleware
from graph.driver import current_round_trips, start_counting
from graph.schema import schema_applied
from mechanism.credentials import Throttle
from search.indices import indices_ready
from search.publishing import publish_pending_reviews
from search.sync import index_pending

log = logging.getLogger("sherloc.api")


class RequestIdMiddleware:
    """Gives every request an id, returned as X-Request-ID and quoted in masked errors."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = uuid.uuid4().hex[:16]
        scope.setdefault("state", {})["request_id"] = request_id

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                message.setdefault("headers", []).append((b"x-request-id", request_id.encode()))
            await send(message)

        await self.app(scope, receive, send_with_id)


# Strawberry's reasons, said so that a client knows what to change.
_BAD_REQUESTS = {
    "Batching is not enabled": "send one operation per request: batches are not accepted",
    "Unsupported content type": "send the request as application/json",
}


# Far above what any operation needs: lists are limited to 300 items (api/graphql/limits.py),
# and a long text, with its commas, is one value.
MAX_BODY_VALUES = 200_000


class GraphQLView(GraphQL[Context, None]):
    def __init__(self, schema: strawberry.Schema, settings: Settings, databases: Databases) -> None:
        # No GraphiQL in production: the schema is not advertised there (introspection is off too).
        super().__init__(
            schema,
            graphql_ide=None if settings.production else "graphiql",
            allow_queries_via_get=False,
            subscription_protocols=(),  # no subscriptions: websockets are refused
        )
        self.settings = settings
        self.databases = databases
        self.reference = ReferenceCache(
            databases.graph,
            settings.reference_cache_seconds,
            cached=speedups.on(settings, speedups.REFERENCE_CACHE),
        )
        self.cursor_keys = CursorKeys(settings.cursor_key.get_secret_value(), databases.graph)
        self.accounts = Accounts(
            databases.graph,
            session_hours=settings.session_hours,
            throttle=Throttle(
                slow_after=settings.login_slow_after,
                lock_after=settings.login_lock_after,
                max_delay_seconds=settings.login_max_delay_seconds,
                lock_minutes=settings.login_lock_minutes,
            ),
        )

    # orjson: a page of 100 cases is encoded in 0.03 ms instead of 0.4 ms. Its parser is
    # also stricter (no NaN, no lone surrogate escape, nesting limited), and raises
    # json.JSONDecodeError as strawberry expects for a body it cannot read.
    def encode_json(self, data: object) -> bytes:
        return orjson.dumps(data)

    def decode_json(self, data: str | bytes) -> object:
        # A body of many small values (500,000 list items in 4 MB of variables) costs ~30 ms
        # of a core to parse, before any limit could look at it: refused unread. Each value
        # of a list or an object but its last is followed by a comma, which is cheap to count.
        commas = data.count(b",") if isinstance(data, bytes) else data.count(",")
        if commas >= MAX_BODY_VALUES:
            raise HTTPException(413, f"request body: at most {MAX_BODY_VALUES:,} values (or commas)")
        return orjson.loads(data)

    async def get_context(self, request: Any, response: Any) -> Context:
        start_counting()
        token = request_token(request)
        viewer, user = await self.accounts.viewer(token)
        reference = await self.reference.snapshot()
        loaders = create_loaders(self.databases.graph, reference)
        return Context(
            request=request,
            response=response,
            settings=self.settings,
            graph=self.databases.graph,
            es=self.databases.es,
            loaders=loaders,
            reference=reference,
            auth=self.accounts,
            cursors=await self.cursor_keys.codec(),
            reader=Reader(viewer, self.databases.graph, loaders),
            viewer=viewer,
            user=user,
            session_token=token if user else None,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """As strawberry's, but a request it cannot read (not JSON, a batch of operations, a
        wrong content type) is answered in GraphQL's JSON shape, not in plain text."""
        if scope["type"] != "http":
            await super().__call__(scope, receive, send)
            return
        try:
            response = await self.run(Request(scope=scope, receive=receive))
        except HTTPException as error:
            reason = _BAD_REQUESTS.get(error.reason, error.reason)
            response = JSONResponse(
                {"data": None, "errors": [{"message": reason, "extensions": {"code": "BAD_REQUEST"}}]},
                status_code=error.status_code,
            )
        await response(scope, receive, send)

    async def render_graphql_ide(self, request: Request) -> Response:
        if not graphiql.assets_present(self.settings.cache_dir):
            return HTMLResponse(graphiql.MISSING, status_code=503)
        return HTMLResponse(graphiql.PAGE)

    async def process_result(self, request: Request, result: ExecutionResult) -> GraphQLHTTPResponse:
        response: GraphQLHTTPResponse = {"data": result.data}
        if result.errors:
            request_id = getattr(request.state, "request_id", "-")
            response["errors"] = [public_error(e, request_id).formatted for e in result.errors]
        extensions: dict[str, object] = dict(result.extensions or {})
        counter = current_round_trips()
        if counter is not None and not self.settings.production:
            # Round trips per request, for the tests and benchmarks that keep them bounded.
            extensions["roundTrips"] = {
                "neo4j": counter.neo4j,
                "elasticsearch": counter.elasticsearch,
            }
        if extensions:
            response["extensions"] = extensions
        return response


def public_error(error: GraphQLError, request_id: str) -> GraphQLError:
    """Errors of the request (validation, bad arguments) are shown as they are; any other
    is logged with the request id and shown without internals."""
    original = error.original_error
    if error.path is None or original is None or isinstance(original, GraphQLError):
        return error
    log.error("request %s failed at %s", request_id, error.path, exc_info=original)
    return GraphQLError(
        f"Internal error (request id {request_id}); it has been logged.",
        nodes=error.nodes,
        path=error.path,
        extensions={"code": "INTERNAL_SERVER_ERROR", "requestId": request_id},
    )


async def _probe(check: Any) -> dict[str, Any]:
    try:
        ok = bool(await asyncio.wait_for(check, timeout=3))
        return {"ok": ok}
    except Exception as error:  # readiness reports any failure, it does not raise it
        return {"ok": False, "error": type(error).__name__}


async def _keep_index_in_step(settings: Settings, databases: Databases) -> None:
    """Index what the graph holds and the index lacks (a write made while the index was
    unavailable), every few seconds, without anyone acting."""
    while True:
        await asyncio.sleep(settings.index_retry_seconds)
        try:
            await publish_pending_reviews(databases.graph, databases.es, settings.es_index_prefix)
            result = await index_pending(databases.graph, databases.es, settings.es_index_prefix)
            if result.indexed:
                log.info("indexed %d pending documents", result.indexed)
        except Exception as error:  # a database is down: try again on the next round
            log.warning("catching up the search index failed: %s", error)


def app_from_environment() -> Starlette:
    """The app configured from SHERLOC_* variables: what each of several workers runs."""
    return create_app(load_settings())


def create_app(settings: Settings) -> Starlette:
    databases = Databases.connect(settings)
    schema = build_schema(settings)
    view = GraphQLView(schema, settings, databases)

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        checks = {
            "neo4j": await _probe(schema_applied(databases.graph)),
            "elasticsearch": await _probe(indices_ready(databases.es, settings.es_index_prefix)),
        }
        ready = all(check["ok"] for check in checks.values())
        return JSONResponse(
            {"status": "ready" if ready else "not ready", "checks": checks},
            status_code=200 if ready else 503,
        )

    async def document(request: Request) -> Response:
        """A review document's content, for viewers who may read the review's documents;
        404 for anyone else, as for an unknown document."""
        viewer, _ = await view.accounts.viewer(request_token(request))
        # The document's global ID (ReviewDocument.id), or the bare id the API gave before.
        of_review, document_id = artefact_ref(request.path_params["id"], "ReviewDocument")
        loaders = create_loaders(databases.graph, await view.reference.snapshot())
        reader = Reader(viewer, databases.graph, loaders)
        found = await reader.document_content(document_id, of_review)
        if found is None:
            return JSONResponse({"error": "not found"}, status_code=404)
        safe_title = "".join(c if c.isalnum() or c in " ._-" else "_" for c in found["title"])[:100]
        return Response(
            bytes(found["content"]),
            media_type=found["contentType"],
            headers={
                "content-disposition": f'attachment; filename="{safe_title}"',
                "x-content-type-options": "nosniff",
                "cache-control": "private, no-store",
            },
        )

    async def case_digest(request: Request) -> Response:
        return await exports.case_digest(request, databases.graph, await view.reference.snapshot())

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        warm_up_login()  # the first failed login takes as long as the others
        await view.cursor_keys.load()
        catch_up = asyncio.create_task(_keep_index_in_step(settings, databases))
        with serving_collector(tuned=speedups.on(settings, speedups.COLLECTOR)):
            yield
        catch_up.cancel()
        await databases.close()

    routes = [
        Route("/graphql", view, methods=["GET", "POST"]),
        Route("/healthz", healthz),
        Route("/readyz", readyz),
        Route("/documents/{id}", document),
        Route("/export/case-digest", case_digest),
        Mount(
            "/static/graphiql",
            app=StaticFiles(directory=graphiql.assets_dir(settings.cache_dir), check_dir=False),
        ),
    ]
    app = Starlette(routes=routes, lifespan=lifespan)
    # Outermost last: request ids, then CORS (answering preflights), then the checks.
    app.add_middleware(
        SecurityMiddleware,
        max_body_bytes=settings.max_body_bytes,
        timeout_seconds=settings.request_timeout_seconds,
        allowed_origins=settings.allowed_origins,
        production=settings.production,
        public_origin=settings.public_origin or None,
    )
    if settings.allowed_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=settings.allowed_origins,
            allow_credentials=True,
            allow_methods=["GET", "POST"],
            allow_headers=["authorization", "content-type"],
            expose_headers=["x-request-id"],
            max_age=600,
        )
    app.add_middleware(RequestIdMiddleware)
    return app
