"""Local runs: every function in one WSGI app, routed as nginx routes them in production.

    /api/v1/<fn>/...  → that function, with `/api/v1/<fn>` moved into SCRIPT_NAME (routes stay relative);
                        realtime answers its health routes here too
    /ws               → the realtime function, path unchanged
    everything else   → the built front end (frontend/dist), with the SPA fallback to index.html
"""

from __future__ import annotations

import importlib
import json
import re
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import Any

from flask import Flask, Response, send_from_directory
from werkzeug.exceptions import NotFound

from functions import ALL_FUNCTIONS
from medianest.config import Settings, load_settings

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
API_PATH = re.compile(r"^/api/v1/(?P<fn>[a-z]+)(?P<rest>/.*)?$")
DEFAULT_FRONTEND = Path(__file__).resolve().parent.parent / "frontend" / "dist"
# The CSP of SECURITY.md for the single-page app; `connect-src 'self'` covers same-origin ws(s) too.
SPA_CSP = ("default-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'; "
           "connect-src 'self'; img-src 'self' data:; form-action 'self'")
PLACEHOLDER = b"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>MediaNest</title></head>
<body><h1>MediaNest</h1><p>The API is running. The web app has not been built: run <code>make run</code>.</p>
</body></html>"""


def create_frontend_app(root: Path) -> Flask:
    """Serve the static build; unknown paths get index.html so client-side routes survive a reload."""
    app = Flask("medianest.frontend", static_folder=None)

    @app.after_request
    def headers(response: Response) -> Response:
        response.headers["Content-Security-Policy"] = SPA_CSP
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        response.headers["X-Frame-Options"] = "DENY"
        return response

    @app.get("/", defaults={"path": ""})
    @app.get("/<path:path>")
    def serve(path: str) -> Response:
        index = root / "index.html"
        if not index.is_file():
            return Response(PLACEHOLDER, content_type="text/html; charset=utf-8")
        if path:
            try:
                response = send_from_directory(root, path)
                # Vite names assets by content hash: cache them for a year.
                if path.startswith("assets/"):
                    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
                return response
            except NotFound:
                if "." in path.rsplit("/", 1)[-1]:
                    raise
        response = send_from_directory(root, "index.html")
        response.headers["Cache-Control"] = "no-cache"
        return response

    return app


class Dispatcher:
    def __init__(self, functions: Mapping[str, WSGIApp], realtime: WSGIApp, frontend: WSGIApp) -> None:
        self.functions = dict(functions)
        self.realtime = realtime
        self.frontend = frontend

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "") or "/"
        if path == "/ws" or path.startswith("/ws/"):
            return self.realtime(environ, start_response)
        match = API_PATH.match(path)
        if match and match.group("fn") in self.functions:
            environ = {**environ, "SCRIPT_NAME": environ.get("SCRIPT_NAME", "") + f"/api/v1/{match.group('fn')}",
                       "PATH_INFO": match.group("rest") or "/"}
            return self.functions[match.group("fn")](environ, start_response)
        if path.startswith("/api/"):
            body = json.dumps({"error": {"code": "not_found", "message": "No such API function.",
                                         "request_id": ""}}).encode()
            start_response("404 Not Found", [("Content-Type", "application/json"),
                                             ("Content-Length", str(len(body)))])
            return [body]
        return self.frontend(environ, start_response)


def create_app(config: Settings | Mapping[str, Any] | None = None, frontend_dir: Path | None = None) -> Dispatcher:
    """All functions in one process, sharing one settings object, database pool and Redis pool."""
    settings = config if isinstance(config, Settings) else load_settings(config)
    apps = {name: importlib.import_module(f"functions.{name}.app").create_app(settings) for name in ALL_FUNCTIONS}
    return Dispatcher(apps, apps["realtime"], create_frontend_app(frontend_dir or DEFAULT_FRONTEND))
