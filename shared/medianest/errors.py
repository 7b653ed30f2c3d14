"""The one JSON error shape, and the handlers that turn every failure into it.

`{"error": {"code": "snake_case", "message": "human sentence", "request_id": "..."}}` — never a stack
trace, an HTML page, an upstream body or a secret.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, current_app, g, jsonify
from pydantic import ValidationError
from werkzeug.exceptions import HTTPException

from medianest.db import DatabaseUnavailable
from medianest.http import UpstreamError
from medianest.redisconn import RedisUnavailable
from medianest.sessions import AuthError

log = logging.getLogger(__name__)

# Codes and plain messages for the HTTP errors Flask and Werkzeug raise themselves.
HTTP_CODES: dict[int, tuple[str, str]] = {
    400: ("bad_request", "The request could not be understood."),
    401: ("unauthenticated", "Sign in to continue."),
    403: ("forbidden", "You are not allowed to do that."),
    404: ("not_found", "Nothing was found at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    409: ("conflict", "That conflicts with the current state."),
    413: ("payload_too_large", "The request body is too large."),
    415: ("unsupported_media_type", "Send the body as application/json."),
    422: ("validation_error", "Some fields are not valid."),
    429: ("rate_limited", "Too many requests; wait a moment and try again."),
    500: ("internal_error", "Something went wrong on our side; it has been logged."),
    503: ("service_unavailable", "A service MediaNest depends on is unavailable; try again shortly."),
}


class ApiError(Exception):
    """Raised by views to answer with a specific status and code."""

    def __init__(self, status: int, code: str, message: str, *, details: Any = None,
                 headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.details, self.headers = status, code, message, details, headers


def not_found(what: str = "That item") -> ApiError:
    return ApiError(404, "not_found", f"{what} was not found.")


def error_response(status: int, code: str, message: str, details: Any = None,
                   headers: dict[str, str] | None = None) -> Response:
    body: dict[str, Any] = {"code": code, "message": message, "request_id": g.get("request_id", "")}
    if details is not None:
        body["details"] = details
    response = jsonify(error=body)
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def validation_details(exc: ValidationError) -> list[dict[str, str]]:
    """Where and why, without echoing the submitted values (they may be secrets)."""
    return [{"field": ".".join(str(p) for p in err["loc"]) or "body", "message": err["msg"]}
            for err in exc.errors(include_url=False, include_input=False, include_context=False)]


def _retry_after_seconds() -> int:
    """Seconds until the rate-limit window that refused this request resets (at least one)."""
    limiter = current_app.extensions.get("medianest.limiter")
    limit = getattr(limiter, "current_limit", None) if limiter is not None else None
    reset_at = getattr(limit, "reset_at", None)
    return max(1, int(reset_at - time.time())) if reset_at else 60


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError) -> Response:
        return error_response(exc.status, exc.code, exc.message, exc.details, exc.headers)

    @app.errorhandler(AuthError)
    def _auth_error(exc: AuthError) -> Response:
        return error_response(401, exc.code, exc.message)

    @app.errorhandler(ValidationError)
    def _validation_error(exc: ValidationError) -> Response:
        return error_response(422, "validation_error", "Some fields are not valid.", validation_details(exc))

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException) -> Response:
        status = exc.code or 500
        code, message = HTTP_CODES.get(status, ("http_error", exc.name))
        headers = {}
        valid_methods = getattr(exc, "valid_methods", None)
        if status == 405 and valid_methods:
            headers["Allow"] = ", ".join(sorted(valid_methods))
        if status == 429:
            headers["Retry-After"] = str(_retry_after_seconds())
        return error_response(status, code, message, headers=headers)

    @app.errorhandler(UpstreamError)
    def _upstream_error(exc: UpstreamError) -> Response:
        # a refusal by an open breaker is routine until it closes (its opening was logged as a warning)
        level = logging.DEBUG if exc.kind == "circuit_open" else logging.WARNING
        log.log(level, "upstream failure", extra={"service": exc.service, "kind": exc.kind, "status": exc.status})
        return error_response(503, "service_unavailable", exc.message, {"service": exc.service})

    @app.errorhandler(Exception)
    def _unexpected(exc: Exception) -> Response:
        if isinstance(exc, DatabaseUnavailable):
            log.error("database unavailable: %s", type(exc).__name__)
            return error_response(503, "database_unavailable", "The database is unavailable; try again shortly.")
        if isinstance(exc, RedisUnavailable):
            log.error("redis unavailable: %s", type(exc).__name__)
            return error_response(503, "cache_unavailable", "The session store is unavailable; try again shortly.")
        log.exception("unhandled error")
        return error_response(500, *HTTP_CODES[500])
