"""The status function: service health, history and the service settings (admin).

Health reads come from the cache the periodic checks fill (`functions/status/jobs.py`); no read here ever
calls a service. Settings, the Plex link and webhook secrets are in `services_api.py` and `plex_link.py`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import UTC, datetime, timedelta
from typing import Any

from flask import Blueprint, Flask, request

from functions.status import jobs, plex_link, services_api
from functions.status.schemas import (
    HistoryPoint,
    HistoryQuery,
    InsightsQuery,
    PublicStatus,
    PublicToggle,
    ServiceStatus,
)
from medianest.config import Settings
from medianest.errors import ApiError
from medianest.http import breaker_state
from medianest.openapi import validate
from medianest.store import app_settings, audit, insights, service_checks
from medianest.web import current_principal, make_app, public, require_admin, require_user, services

bp = Blueprint("health", __name__)
PUBLIC_SETTING = "public_status_enabled"
SERVICE_NAME = re.compile(r"^[a-z_]{1,32}(:[0-9]{1,9})?$")


def _with_breakers(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A service this process has stopped calling (breaker open) shows as degraded."""
    out = []
    for entry in entries:
        if entry.get("status") == "up" and breaker_state(entry["name"].split(":")[0]) == "open":
            entry = {**entry, "status": "degraded", "message": "Recent calls failed; MediaNest is pausing them."}
        out.append(entry)
    return out


@bp.get("/")
@require_user
@validate(response=list[ServiceStatus])
def current_status() -> Any:
    """Every service's latest state, from the cache."""
    svc = services()
    return _with_breakers(jobs.current(svc.redis, svc.settings.check_interval))


@bp.get("/<name>/history")
@require_user
@validate(query=HistoryQuery, response=list[HistoryPoint])
def history(name: str, query: HistoryQuery) -> Any:
    """Points for a sparkline: about sixty buckets over the asked window."""
    if not SERVICE_NAME.match(name):
        raise ApiError(404, "not_found", "There is no such service.")
    since = datetime.now(UTC) - timedelta(hours=query.hours)
    with services().db.connection() as conn:
        return service_checks.history(conn, name, since, bucket_seconds=max(60, query.hours * 60))


@bp.get("/public")
@public
@validate(response=list[PublicStatus])
def public_status() -> Any:
    """The same list, names and states only, when the admin has turned it on."""
    svc = services()
    with svc.db.connection() as conn:
        enabled = bool(app_settings.get_value(conn, PUBLIC_SETTING))
    if not enabled:
        raise ApiError(404, "not_found", "The public status page is turned off.")
    return [{"name": e["name"], "display_name": e["display_name"], "status": e["status"]}
            for e in jobs.current(svc.redis, svc.settings.check_interval)]


@bp.put("/public")
@require_admin
@validate(body=PublicToggle, response=PublicToggle)
def set_public(body: PublicToggle) -> Any:
    """Turn the public status list on or off."""
    with services().db.connection() as conn:
        app_settings.set_value(conn, PUBLIC_SETTING, body.enabled)
        audit.record(conn, current_principal().user_id, "status.public", "setting", PUBLIC_SETTING,
                     {"enabled": body.enabled}, request.remote_addr)
    return body


@bp.get("/insights")
@require_admin
@validate(query=InsightsQuery)
def insights_view(query: InsightsQuery) -> Any:
    """Usage and availability over the last `days`, from our own tables."""
    since = datetime.now(UTC) - timedelta(days=query.days)
    with services().db.connection() as conn:
        return {
            "days": query.days,
            "daily_active_users": insights.daily_active_users(conn, since),
            "requests": insights.requests_per_day(conn, since),
            "downloads_per_user": insights.downloads_per_user(conn, since),
            "queue_wait": insights.queue_wait_per_day(conn, since),
            "availability": service_checks.daily_availability(conn, since),
        }


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the status function's app."""
    app = make_app("status", config)
    for blueprint in (bp, services_api.bp, plex_link.bp):
        app.register_blueprint(blueprint)
    return app
