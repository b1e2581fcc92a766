"""create_app(store): the forcewatch web app (server-rendered pages, a JSON API, exports).

Reading is open; writes need a signed-in editor (see auth.py). Every response carries a
Content-Security-Policy that allows scripts only from this site's own files.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import xstatic.pkg.leaflet
from fastapi import FastAPI, HTTPException, Request
from fastapi.exception_handlers import http_exception_handler, request_validation_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forcewatch.store.db import Store
from forcewatch.web import account, api, exports, pages, review
from forcewatch.web.auth import load_secret
from forcewatch.web.templating import make_env, render_page

STATIC = Path(__file__).parent / "static"
SESSION_COOKIE = "forcewatch_session"
SESSION_HOURS = 12

CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"same-origin"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the CSP and friends to every response (plain ASGI, so streaming responses stay streamed)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", [])) + SECURITY_HEADERS
            await send(message)

        await self.app(scope, receive, send_with_headers)


#: Largest request body read (forms and JSON are a few KB); larger ones get 413 before any parsing.
MAX_BODY = 1024 * 1024


class BodyLimit:
    """Refuse request bodies over `limit` bytes with 413, before the app reads or parses them.

    A declared Content-Length over the limit is refused at once; a chunked body is counted
    as it arrives and refused at the first byte past the limit, so memory stays bounded
    whatever a client sends (and whether or not it is signed in).
    """

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers") or []).get(b"content-length", b"")
        if declared.isdigit() and int(declared) > self.limit:
            await self._refuse(send)
            return
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.limit:
                    raise HTTPException(status_code=413, detail=self._detail())  # FastAPI re-raises its own
            return message

        await self.app(scope, counted, send)

    def _detail(self) -> str:
        return f"request body over the limit of {self.limit / 2**20:g} MiB"

    async def _refuse(self, send: Send) -> None:
        body = json.dumps({"detail": self._detail()}).encode()
        headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": 413, "headers": headers + SECURITY_HEADERS})
        await send({"type": "http.response.body", "body": body})


def _wants_json(request: Request) -> bool:
    """Errors are JSON for the API and the exports, or when JSON is asked for; pages answer HTML (curl too)."""
    path = request.url.path
    accept = request.headers.get("accept", "")
    return (
        path.startswith("/api/")
        or path.startswith("/export")
        or path == "/openapi.json"
        or ("application/json" in accept and "text/html" not in accept)
    )


def create_app(
    store: Store, secret: str | None = None, https_only: bool | None = None, max_body: int = MAX_BODY
) -> FastAPI:
    """The app over one Store. `secret` signs the session cookie (default: see auth.load_secret);
    `https_only` marks the cookie Secure (default: $FORCEWATCH_HTTPS_ONLY=1); request bodies
    over `max_body` bytes get 413."""
    app = FastAPI(
        title="forcewatch",
        description="Deaths and injuries after police contact, read from news reports: every value linked to its evidence.",
        version="0.1.0",
        docs_url=None,  # Swagger UI needs inline script and a CDN; the schema is at /openapi.json
        redoc_url=None,
    )
    app.state.store = store
    app.state.templates = make_env()
    if https_only is None:
        https_only = os.environ.get("FORCEWATCH_HTTPS_ONLY") == "1"
    app.add_middleware(
        SessionMiddleware,
        secret_key=secret or load_secret(store),
        session_cookie=SESSION_COOKIE,
        max_age=SESSION_HOURS * 3600,
        same_site="lax",
        https_only=https_only,
    )
    app.add_middleware(SecurityHeaders)
    app.add_middleware(BodyLimit, limit=max_body)  # outermost: before sessions, routing and parsing
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/vendor/leaflet", StaticFiles(directory=xstatic.pkg.leaflet.BASE_DIR), name="leaflet")
    from forcewatch.publish import web as publish  # here: the publish package reads forcewatch.web

    for module in (account, pages, review, api, exports, publish):
        app.include_router(module.router)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> FileResponse:
        return FileResponse(STATIC / "favicon.svg", media_type="image/svg+xml")

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException):
        if _wants_json(request):
            return await http_exception_handler(request, exc)
        return render_page(request, "error.html", exc.status_code, status=exc.status_code, detail=exc.detail)

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError):
        if _wants_json(request):
            return await request_validation_exception_handler(request, exc)
        problems = [f"{'.'.join(str(p) for p in e['loc'][1:])}: {e['msg']}" for e in exc.errors()]
        return render_page(request, "error.html", 422, status=422, detail="; ".join(problems))

    return app


def create_app_from_env() -> FastAPI:
    """The app over $FORCEWATCH_DB: the factory each process of `forcewatch serve --workers N` calls."""
    return create_app(Store(os.environ.get("FORCEWATCH_DB")))
