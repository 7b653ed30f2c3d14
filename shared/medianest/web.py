"""`make_app(name)`: what every function gets — settings, the database and Redis, sessions, access
control, JSON errors, request ids, logs, security headers, rate limits, health routes, OpenAPI, metrics.

Access is declared on each view with `@public`, `@require_user`, `@require_admin` or `@webhook` and
enforced in one place (`_enforce_access`); a view that declares nothing needs a signed-in user.
"""

from __future__ import annotations

import hmac
import logging
import re
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

import redis
from flask import Flask, Response, current_app, g, jsonify, request
from flask.json.provider import DefaultJSONProvider
from flask_limiter import Limiter
from pydantic import BaseModel
from werkzeug.middleware.proxy_fix import ProxyFix

from medianest import metrics
from medianest.config import Settings, load_settings
from medianest.crypto import Sealer
from medianest.db import Database, get_database
from medianest.errors import ApiError, error_response, register_error_handlers
from medianest.logs import configure_logging, redact, request_id_var
from medianest.openapi import SAFE_METHODS, build_spec
from medianest.redisconn import get_redis
from medianest.sessions import (
    ACCESS_COOKIE,
    CSRF_COOKIE,
    CSRF_HEADER,
    Principal,
    SessionManager,
    csrf_matches,
)

F = TypeVar("F", bound=Callable[..., Any])
MAX_BODY_BYTES = 1024 * 1024
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'"


@dataclass
class Services:
    """Process-wide handles a function's views use (`services()` inside a request)."""

    settings: Settings
    db: Database
    redis: redis.Redis
    sessions: SessionManager
    sealer: Sealer


def services() -> Services:
    return current_app.extensions["medianest"]


def current_principal() -> Principal:
    principal = g.get("principal")
    if principal is None:  # only reachable if a public view asks for a user: a programming error
        raise ApiError(401, "unauthenticated", "Sign in to continue.")
    return principal


# --- access declarations ------------------------------------------------------------------------------
def _access(kind: str) -> Callable[[F], F]:
    def mark(view: F) -> F:
        view._mn_access = kind  # type: ignore[attr-defined]
        return view

    return mark


public = _access("public")          # pre-session routes: no session, no CSRF
require_user = _access("user")      # a valid session; CSRF on state changes
require_admin = _access("admin")    # a valid admin session; CSRF on state changes
webhook = _access("webhook")        # authenticated by the route's own secret; no CSRF
metrics_access = _access("metrics")  # admins, or the Prometheus bearer token


def csrf_protected(view: F) -> F:
    """For public views that still change session state from the browser (e.g. /refresh)."""
    view._mn_csrf = True  # type: ignore[attr-defined]
    return view


def access_of(view: Callable[..., Any]) -> str:
    return getattr(view, "_mn_access", "user")


def _check_csrf() -> None:
    if request.method not in SAFE_METHODS and not csrf_matches(
        request.cookies.get(CSRF_COOKIE), request.headers.get(CSRF_HEADER)
    ):
        raise ApiError(403, "csrf_failed", "The request is missing its CSRF token; reload the page and retry.")


def _metrics_token_ok(settings: Settings) -> bool:
    header = request.headers.get("Authorization", "")
    return bool(settings.metrics_token) and hmac.compare_digest(
        header.encode(), f"Bearer {settings.metrics_token}".encode()
    )


def _enforce_access() -> None:
    view = current_app.view_functions.get(request.endpoint or "")
    if view is None:
        return
    kind = access_of(view)
    if kind == "webhook":
        return
    if kind == "public":
        if getattr(view, "_mn_csrf", False):
            _check_csrf()
        return
    svc = services()
    if kind == "metrics" and _metrics_token_ok(svc.settings):
        return
    g.principal = svc.sessions.authenticate(request.cookies.get(ACCESS_COOKIE))
    if kind in ("admin", "metrics") and not g.principal.is_admin:
        raise ApiError(403, "forbidden", "Only an admin can do that.")
    _check_csrf()


# --- JSON ---------------------------------------------------------------------------------------------
class JSONProvider(DefaultJSONProvider):
    """ISO 8601 UTC times, UUIDs as strings, pydantic models as their JSON form."""

    sort_keys = False

    @staticmethod
    def default(o: Any) -> Any:
        if isinstance(o, BaseModel):
            return o.model_dump(mode="json")
        if isinstance(o, datetime):
            o = o if o.tzinfo else o.replace(tzinfo=UTC)
            return o.astimezone(UTC).isoformat().replace("+00:00", "Z")
        if isinstance(o, date):
            return o.isoformat()
        if isinstance(o, uuid.UUID | Decimal | Path):
            return str(o)
        return DefaultJSONProvider.default(o)


class MediaNestFlask(Flask):
    json_provider_class = JSONProvider

    def make_response(self, rv: Any) -> Response:
        body, rest = (rv[0], rv[1:]) if isinstance(rv, tuple) else (rv, ())
        if isinstance(body, BaseModel):
            body = jsonify(body.model_dump(mode="json"))
        elif isinstance(body, list):
            body = jsonify(body)
        return super().make_response((body, *rest) if rest else body)


# --- per-request plumbing ---------------------------------------------------------------------------
def _start_request() -> None:
    incoming = request.headers.get("X-Request-ID", "")
    g.request_id = incoming if _REQUEST_ID.match(incoming) else uuid.uuid4().hex
    g.started = time.perf_counter()
    request_id_var.set(g.request_id)


# (lower-case name, name, value): set on every response unless the view set its own
_DEFAULT_HEADERS = tuple((name.lower(), name, value) for name, value in (
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "strict-origin-when-cross-origin"),
    ("X-Frame-Options", "DENY"),
    ("Content-Security-Policy", API_CSP),
    ("Cross-Origin-Resource-Policy", "same-origin"),
    ("Cache-Control", "no-store"),
))
_HTTPS_HEADERS = (*_DEFAULT_HEADERS,
                  ("strict-transport-security", "Strict-Transport-Security", "max-age=31536000; includeSubDomains"))
_UNLOGGED_ROUTES = frozenset({"/healthz", "/readyz", "/_/health", "/_/ready", "/metrics"})


def _finish_request(response: Response) -> Response:
    app = current_app._get_current_object()  # type: ignore[attr-defined]  # one proxy lookup, not five
    settings: Settings = app.extensions["medianest"].settings
    headers = response.headers
    headers["X-Request-ID"] = g.get("request_id", "")
    present = {name.lower() for name, _ in headers.items()}  # one pass instead of two per header
    for lower, name, value in _HTTPS_HEADERS if settings.secure_cookies else _DEFAULT_HEADERS:
        if lower not in present:
            headers.add(name, value)
    # CORS stays closed: never reflect an Origin, whatever a view set.
    if "access-control-allow-origin" in present:
        headers.remove("Access-Control-Allow-Origin")
    req = request._get_current_object()  # type: ignore[attr-defined]
    route = req.url_rule.rule if req.url_rule else "<unmatched>"
    elapsed = time.perf_counter() - g.get("started", time.perf_counter())
    metrics.observe(app.name, req.method, route, response.status_code, elapsed)
    if route not in _UNLOGGED_ROUTES and app.logger.isEnabledFor(logging.INFO):
        principal = g.get("principal")
        app.logger.info("request", extra={
            "method": req.method, "route": route, "status": response.status_code,
            "duration_ms": round(elapsed * 1000, 1), "user_id": principal.user_id if principal else None,
            "ip": req.remote_addr,
        })
    return response


def _rate_key() -> str:
    principal = g.get("principal")
    return f"user:{principal.user_id}" if principal else f"ip:{request.remote_addr}"


def _limiter_storage(url: str) -> str:
    return "redis+unix://" + url.removeprefix("unix://") if url.startswith("unix://") else url


# --- health, readiness, spec, metrics ---------------------------------------------------------------
def _register_builtin_routes(app: Flask, limiter: Limiter) -> None:
    @public
    def healthz() -> Any:
        """Liveness: the process answers."""
        return {"status": "ok", "function": app.config["MEDIANEST_FUNCTION"]}

    @public
    def readyz() -> Any:
        """Readiness: PostgreSQL and Redis really answer a query."""
        svc = services()
        checks = {"database": "ok", "redis": "ok"}
        try:
            svc.db.ping()
        except Exception:
            checks["database"] = "unavailable"
        try:
            svc.redis.ping()
        except Exception:
            checks["redis"] = "unavailable"
        ready = all(v == "ok" for v in checks.values())
        if not ready:
            return error_response(503, "not_ready", "A dependency is unavailable.", checks)
        return {"status": "ready", "checks": checks}

    @public
    def openapi_json() -> Any:
        """This function's OpenAPI document."""
        spec = app.extensions.get("medianest.spec")
        if spec is None:
            spec = app.extensions["medianest.spec"] = build_spec(app, f"MediaNest {app.config['MEDIANEST_FUNCTION']}")
        return jsonify(spec)

    @metrics_access
    def metrics_route() -> Any:
        """Prometheus metrics."""
        body, content_type = metrics.exposition()
        return Response(body, content_type=content_type)

    for rule, view in (("/healthz", healthz), ("/_/health", healthz), ("/readyz", readyz),
                       ("/_/ready", readyz), ("/openapi.json", openapi_json), ("/metrics", metrics_route)):
        app.add_url_rule(rule, view_func=limiter.exempt(view), endpoint=f"{view.__name__}:{rule}")


def make_app(name: str, config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """The Flask app for function `name`; `config` is a Settings, or overrides by setting name."""
    settings = config if isinstance(config, Settings) else load_settings(config)
    configure_logging(settings.log_level)
    redact.register(*settings.secret_values())

    app = MediaNestFlask(f"medianest.{name}")
    app.config.update(MEDIANEST_FUNCTION=name, MAX_CONTENT_LENGTH=MAX_BODY_BYTES)
    if isinstance(config, Mapping):
        app.config.update({k: v for k, v in config.items() if k.isupper() and k.startswith("FLASK_")})
    app.url_map.strict_slashes = False
    client = get_redis(settings.redis_url)
    app.extensions["medianest"] = Services(
        settings=settings,
        db=get_database(settings.database_url, settings.db_pool_size),
        redis=client,
        sessions=SessionManager(client, settings.secret_key, settings.access_ttl, settings.refresh_ttl),
        sealer=Sealer(settings.encryption_keys),
    )
    if settings.trusted_proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=settings.trusted_proxies,  # type: ignore[method-assign]
                                x_proto=settings.trusted_proxies, x_host=settings.trusted_proxies)

    register_error_handlers(app)
    app.before_request(_start_request)
    app.before_request(_enforce_access)
    limiter = Limiter(
        key_func=_rate_key, app=app, storage_uri=_limiter_storage(settings.redis_url),
        # one budget per user across every function, not per route or per function
        # no X-RateLimit-* headers: reading the window back costs two Redis round trips on every response and
        # nothing uses them; a 429 still says when to retry (errors.py)
        application_limits=[settings.rate_limit], headers_enabled=False, swallow_errors=True,
        key_prefix="mn:rl", strategy="fixed-window",
    )
    app.extensions["medianest.limiter"] = limiter
    app.after_request(_finish_request)
    _register_builtin_routes(app, limiter)
    return app


def limiter_of(app: Flask) -> Limiter:
    return app.extensions["medianest.limiter"]
