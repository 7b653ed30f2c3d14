"""The webhooks function: Overseerr and Plex notifications in.

Both receivers check their secret in constant time (Overseerr: the `Authorization` header it is configured
to send; Plex, which cannot set headers: a secret in the path), cap bodies at 1 MiB, answer 200 to
well-formed events they ignore, 400 to malformed ones, 401 to a wrong secret, and apply each delivery once:
the same body delivered twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Flask, request
from pydantic import BaseModel

from functions.webhooks.payloads import MalformedPayload, OverseerrEvent, PlexEvent, parse_overseerr, parse_plex
from medianest import cache, integrations, webhook_secrets
from medianest.clients.plex import PlexClient
from medianest.config import Settings
from medianest.errors import ApiError
from medianest.http import UpstreamError
from medianest.openapi import validate
from medianest.requests_lifecycle import apply_status
from medianest.store import media_requests, service_config
from medianest.web import make_app, services, webhook

bp = Blueprint("webhooks", __name__)
# Plex item types whose request is a series; an episode or season arriving makes it partly available.
SERIES_PARTS = {"episode": "partially_available", "season": "partially_available", "show": "available"}


class Ack(BaseModel):
    ok: bool = True
    updated: int = 0
    ignored: str | None = None


def _secrets() -> webhook_secrets.WebhookSecrets:
    svc = services()
    with svc.db.connection() as conn:
        return webhook_secrets.get(conn, svc.sealer)


def _refuse() -> ApiError:
    return ApiError(401, "invalid_secret", "The webhook secret is missing or wrong.")


def _apply(rows: list[dict[str, Any]], status: str, delivery_id: str, note: str) -> int:
    svc = services()
    changed = 0
    with svc.db.connection() as conn:
        for row in rows:
            if apply_status(conn, svc.redis, row, status, "webhook", delivery_id, note) is not None:
                changed += 1
    return changed


def _overseerr_targets(event: OverseerrEvent) -> list[dict[str, Any]]:
    """The request by Overseerr's id, else every open request for the same title."""
    with services().db.connection() as conn:
        if event.request_id is not None:
            row = media_requests.get_by_overseerr_id(conn, event.request_id)
            if row is not None:
                return [row]
        if event.tmdb_id is not None and event.media_type is not None:
            return media_requests.open_for_title(conn, event.media_type, event.tmdb_id)
    return []


@bp.post("/overseerr")
@webhook
@validate(response=Ack)
def overseerr() -> Any:
    """Overseerr's webhook agent (default JSON template, `Authorization` header)."""
    if not webhook_secrets.matches(_secrets().overseerr, request.headers.get("Authorization")):
        raise _refuse()
    try:
        event = parse_overseerr(request.get_data(cache=False))
    except MalformedPayload as exc:
        raise ApiError(400, "malformed_payload", f"This is not an Overseerr notification: {exc}.") from None
    if event.status is None:
        return Ack(ignored=f"{event.notification_type} does not change a request")
    targets = _overseerr_targets(event)
    if not targets:
        return Ack(ignored="no matching request")
    return Ack(updated=_apply(targets, event.status, event.delivery_id, event.subject or event.notification_type))


def _series_tmdb_id(event: PlexEvent) -> int | None:
    """The show's TMDB id: on the event for a show, else on the show's metadata (episodes carry their own)."""
    if event.item_type == "show" and event.tmdb_ids:
        return event.tmdb_ids[0]
    show_key = {"episode": event.grandparent_rating_key, "season": event.parent_rating_key,
                "show": event.rating_key}.get(event.item_type or "")
    svc = services()
    with svc.db.connection() as conn:
        cfg = integrations.load(conn, svc.sealer, "plex")
    if show_key is None or cfg is None or not cfg.url:
        return None
    try:
        item = PlexClient(cfg.url, cfg.api_key, **integrations.client_kwargs(svc.settings)).metadata(show_key)
    except UpstreamError:
        return None  # the caches are refreshed anyway; the reconcile job settles the request later
    return item.tmdb_id if item else None


def _library_new(event: PlexEvent, machine_id: str) -> Ack:
    svc = services()
    cache.invalidate_library(svc.redis, machine_id)
    if event.item_type == "movie":
        media_type, status, tmdb_ids = "movie", "available", list(event.tmdb_ids)
    elif event.item_type in SERIES_PARTS:
        show_tmdb = _series_tmdb_id(event)
        media_type, status, tmdb_ids = "tv", SERIES_PARTS[event.item_type], [show_tmdb] if show_tmdb else []
    else:
        return Ack(ignored=f"a new {event.item_type or 'item'} is not something people request")
    updated = 0
    for tmdb_id in tmdb_ids:
        with svc.db.connection() as conn:
            rows = media_requests.open_for_title(conn, media_type, tmdb_id)
        updated += _apply(rows, status, event.delivery_id, f"Added to Plex: {event.title}")
    return Ack(updated=updated)


@bp.post("/plex/<secret>")
@webhook
@validate(response=Ack)
def plex(secret: str) -> Any:
    """Plex Media Server webhooks: multipart with a `payload` JSON part (and maybe a `thumb`)."""
    if not webhook_secrets.matches(_secrets().plex, secret):
        raise _refuse()
    if not request.mimetype.startswith("multipart/"):
        raise ApiError(400, "malformed_payload", "Plex webhooks are sent as multipart/form-data.")
    try:
        event = parse_plex(request.form.get("payload"))
    except MalformedPayload as exc:
        raise ApiError(400, "malformed_payload", f"This is not a Plex webhook: {exc}.") from None
    with services().db.connection() as conn:
        linked = service_config.linked_plex_server(conn)
    if linked is None or event.server_uuid != linked:
        return Ack(ignored="the event comes from another Plex server")
    if event.event != "library.new":
        return Ack(ignored=f"{event.event} does not change anything here")
    return _library_new(event, linked)


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the webhooks function's app."""
    app = make_app("webhooks", config)
    app.register_blueprint(bp)
    return app
