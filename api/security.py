"""What every HTTP request and response goes through, whatever the route: the limits on the
request body and on the time a request may take, the check that a session cookie comes
from an allowed page (CSRF), and the security headers. CORS for the allowed origins is
Starlette's middleware (see app.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterable

from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api import deadline as request_deadline
from api.auth import BadAuthorization, request_credential

# JSON answers and downloads: nothing to run, nothing to frame.
_API_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"
# GraphiQL's page: its own scripts and styles (served by the app, no CDN) and inline setup.
_PAGE_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)


class SecurityMiddleware:
    def __init__(
        self,
        app: ASGIApp,
        max_body_bytes: int,
        timeout_seconds: float,
        allowed_origins: Iterable[str],
        production: bool,
        public_origin: str | None = None,
    ) -> None:
        self.app = app
        self.max_body_bytes = max_body_bytes
        self.timeout_seconds = timeout_seconds
        self.allowed_origins = {o.rstrip("/") for o in allowed_origins}
        self.production = production
        self.public_origin = public_origin.rstrip("/") if public_origin else None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        refusal = self._refusal(scope, headers)
        if refusal:
            await self._answer(send, *refusal)
            return

        received = 0
        too_large = False
        started = False

        async def limited_receive() -> Message:
            # A body sent without Content-Length (chunked) is counted as it arrives.
            nonlocal received, too_large
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_body_bytes:
                    too_large = True
                    return {"type": "http.disconnect"}
            return message

        deadline = asyncio.timeout(self.timeout_seconds)

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                # The limit is on preparing the answer, not on sending it (a slow reader of
                # a large document is not cut off).
                deadline.reschedule(None)
                message.setdefault("headers", []).extend(self._security_headers(message))
            await send(message)

        try:
            with request_deadline.serving(self.timeout_seconds):
                async with deadline:
                    await self.app(scope, limited_receive, send_with_headers)
        except TimeoutError:
            # Whatever waits (a database that does not answer, a slow query) is cancelled.
            if not started:
                message = (
                    f"the request took longer than {self.timeout_seconds:g} s and was stopped; try again"
                )
                await self._answer(send, 503, "TIMEOUT", message)
            return
        except Exception:
            if not too_large:
                raise
        if too_large and not started:
            await self._answer(send, 413, "PAYLOAD_TOO_LARGE", self._too_large_message())

    def _too_large_message(self) -> str:
        return f"request body: at most {self.max_body_bytes:,} bytes"

    def _refusal(self, scope: Scope, headers: Headers) -> tuple[int, str, str] | None:
        length = headers.get("content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body_bytes):
            return 413, "PAYLOAD_TOO_LARGE", self._too_large_message()
        try:
            credential = request_credential(headers)
        except BadAuthorization:
            return (
                401,
                "BAD_AUTHORIZATION",
                "Authorization: only 'Bearer <session token>' is accepted (or no header, "
                "and the session cookie from SHERLOC's own pages)",
            )
        if (
            credential.by_cookie
            and scope["method"] not in {"GET", "HEAD", "OPTIONS"}
            and not self._from_allowed_page(scope, headers)
        ):
            return (
                403,
                "FORBIDDEN_ORIGIN",
                "A session cookie is accepted only from SHERLOC's own pages or an allowed origin; "
                "other clients send Authorization: Bearer <token>.",
            )
        return None

    def _from_allowed_page(self, scope: Scope, headers: Headers) -> bool:
        """Whether a write that the cookie authenticates comes from SHERLOC's own pages or
        an allowed origin (else it is cross-site request forgery)."""
        origin = headers.get("origin")
        if origin is None:
            return False  # browsers send Origin with every POST; a cookie without it is suspect
        # Behind a proxy, the Host header is the proxy's business: SHERLOC_PUBLIC_ORIGIN
        # says where its pages are. Without it (development), the request's own host.
        own = self.public_origin or f"{scope.get('scheme', 'http')}://{headers.get('host', '')}"
        return origin.rstrip("/") in {own, *self.allowed_origins}

    def _security_headers(self, message: Message) -> list[tuple[bytes, bytes]]:
        present = {name.lower() for name, _ in message.get("headers", [])}
        content_type = dict(message.get("headers", [])).get(b"content-type", b"")
        policy = _PAGE_POLICY if content_type.startswith(b"text/html") else _API_POLICY
        wanted = [
            (b"x-content-type-options", b"nosniff"),
            (b"referrer-policy", b"no-referrer"),
            (b"x-frame-options", b"DENY"),
            (b"content-security-policy", policy.encode()),
            (b"cross-origin-opener-policy", b"same-origin"),
        ]
        if self.production:
            wanted.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
        return [(name, value) for name, value in wanted if name not in present]

    async def _answer(self, send: Send, status: int, code: str, message: str) -> None:
        body = json.dumps(
            {"data": None, "errors": [{"message": message, "extensions": {"code": code}}]}
        ).encode()
        start: Message = {
            "type": "http.response.start",
            "status": status,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
        start["headers"].extend(self._security_headers(start))
        await send(start)
        await send({"type": "http.response.body", "body": body})
