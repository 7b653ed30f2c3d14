"""Requests: ask Overseerr for a film or show, follow it, cancel it; admins approve and decline.

Our table is the list people read (so it answers while Overseerr is down); Overseerr is where requests
are made and decided. Status changes go through `medianest.requests_lifecycle.apply_status`, the same code
the webhooks and the periodic reconcile use.
"""

from __future__ import annotations

import uuid
from typing import Any

from flask import Blueprint, request

from functions.media import quotas, upstream
from functions.media.discover import tmdb_poster_url
from functions.media.schemas import NewRequest, RequestDetail, RequestOut, RequestPage, RequestsQuery
from medianest import cache
from medianest.clients import overseerr as ov
from medianest.errors import ApiError, not_found
from medianest.openapi import validate
from medianest.requests_lifecycle import apply_status, event_data, publish_update, status_from_overseerr_request
from medianest.store import audit, media_requests
from medianest.web import current_principal, require_admin, require_user, services

bp = Blueprint("requests", __name__)
LOCK_MS = 30000  # one user's request is sent to Overseerr at a time (quota and duplicate checks hold)
TAKEN = (ov.MEDIA_PENDING, ov.MEDIA_PROCESSING)


def request_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"id": row["id"], "title": row["title"], "media_type": row["media_type"], "tmdb_id": row["tmdb_id"],
            "year": row["year"], "poster_url": tmdb_poster_url(row["poster_path"]),
            "seasons": list(row["seasons"] or []), "status": row["status"],
            "requested_by": {"id": row["user_id"], "username": row["username"]},
            "overseerr_id": row["overseerr_id"], "created_at": row["created_at"], "updated_at": row["updated_at"]}


def _detail(conn: Any, row: dict[str, Any]) -> dict[str, Any]:
    return {**request_out(row), "history": media_requests.history(conn, row["id"])}


def _visible(conn: Any, request_id: uuid.UUID) -> dict[str, Any]:
    """The request when the caller owns it or is an admin; 404 for everyone else."""
    principal = current_principal()
    row = media_requests.get(conn, request_id)
    if row is None or not (principal.is_admin or str(row["user_id"]) == principal.user_id):
        raise not_found("That request")
    return row


def _conflict(code: str) -> ApiError:
    messages = {"already_available": "That is already available in Plex.",
                "already_requested": "That has already been requested."}
    return ApiError(409, code, messages[code])


def _wanted_seasons(body: NewRequest, title: ov.Title) -> list[int]:
    """The seasons a tv request asks for: those named (each must exist), else every regular season."""
    if body.media_type == "movie":
        return []
    if body.seasons is not None:
        unknown = [n for n in body.seasons if title.seasons and n not in title.seasons]
        if unknown:
            raise ApiError(422, "validation_error", "That show has no such season.", details={"seasons": unknown})
        return list(body.seasons)
    seasons = [n for n in title.seasons if n > 0]
    if not seasons:
        raise ApiError(422, "validation_error", "That show lists no seasons to request yet.")
    return seasons


def _still_wanted(conn: Any, body: NewRequest, title: ov.Title, seasons: list[int]) -> list[int]:
    """Raise 409 when the title (or every asked season) is in Plex or already requested; else what is left."""
    media = title.media
    holding = media_requests.holding_title(conn, body.media_type, body.tmdb_id)
    if body.media_type == "movie":
        if (media and media.status == ov.MEDIA_AVAILABLE) or any(r["status"] == "available" for r in holding):
            raise _conflict("already_available")
        if holding or (media and media.status in (*TAKEN, ov.MEDIA_PARTIALLY_AVAILABLE)):
            raise _conflict("already_requested")
        return []
    available = {n for n, s in (media.seasons if media else {}).items() if s == ov.MEDIA_AVAILABLE}
    if media and not media.seasons and media.status == ov.MEDIA_AVAILABLE:
        available = set(seasons)
    requested = {n for n, s in (media.seasons if media else {}).items() if s in TAKEN}
    for row in holding:
        (available if row["status"] == "available" else requested).update(row["seasons"] or [])
    remaining = [n for n in seasons if n not in available and n not in requested]
    if not remaining:
        raise _conflict("already_available" if all(n in available for n in seasons) else "already_requested")
    return remaining


def _create_in_overseerr(client: ov.OverseerrClient, body: NewRequest, title: ov.Title,
                         seasons: list[int]) -> ov.OverseerrRequest:
    try:
        return client.create_request(body.media_type, body.tmdb_id, seasons or None, title.tvdb_id)
    except ov.RequestRefused as exc:
        if exc.reason == "quota":
            raise ApiError(429, "quota_exceeded", "Overseerr's own request limit for MediaNest is used up.",
                           details={"resets_at": None}) from None
        if exc.reason == "forbidden":
            raise ApiError(403, "request_refused", "Overseerr does not allow this request.") from None
        raise _conflict("already_requested") from None


@bp.post("/requests")
@require_user
@validate(body=NewRequest, response=RequestOut, status=201)
def create_request(body: NewRequest) -> Any:
    """Ask Overseerr for a film or some seasons of a show."""
    principal, svc = current_principal(), services()
    client, options = upstream.overseerr()
    title = client.movie(body.tmdb_id) if body.media_type == "movie" else client.tv(body.tmdb_id)
    if title is None:
        raise ApiError(404, "not_found", "Overseerr does not know that title.")
    seasons = _wanted_seasons(body, title)
    with cache.redis_lock(svc.redis, f"mn:media:request-lock:{principal.user_id}", LOCK_MS, wait=10) as held:
        if not held:
            raise ApiError(409, "request_in_progress", "Another request of yours is still being sent; try again.")
        with svc.db.connection() as conn:
            seasons = _still_wanted(conn, body, title, seasons)
            if not principal.is_admin:
                quotas.check(conn, principal.user_id, body.media_type, len(seasons) or 1, options)
        created = _create_in_overseerr(client, body, title, seasons)
        stored_seasons = list(created.seasons) or seasons
        status = status_from_overseerr_request(created, stored_seasons) or "pending"
        with svc.db.connection() as conn:
            row = media_requests.create(
                conn, user_id=principal.user_id, overseerr_id=created.id, tmdb_id=body.tmdb_id,
                media_type=body.media_type, title=title.title, year=title.year, poster_path=title.poster_path,
                seasons=stored_seasons, status=status)
            media_requests.add_history(conn, row["id"], status, "user", actor_id=principal.user_id,
                                       note="Requested")
    publish_update(svc.redis, row["user_id"], event_data(row))
    return request_out(row), 201


@bp.get("/requests")
@require_user
@validate(query=RequestsQuery, response=RequestPage)
def list_requests(query: RequestsQuery) -> Any:
    """Own requests, newest first (admins: everyone's, or one user's with `user_id`); from our database."""
    principal = current_principal()
    if principal.is_admin:
        user_id: Any = query.user_id or (principal.user_id if query.mine else None)
    elif query.user_id is not None and str(query.user_id) != principal.user_id:
        raise ApiError(403, "forbidden", "Only an admin can list another person's requests.")
    else:
        user_id = principal.user_id
    with services().db.connection() as conn:
        rows = media_requests.list_requests(conn, user_id=user_id, status=query.status, offset=query.offset,
                                            limit=query.limit)
        total = media_requests.count(conn, user_id=user_id, status=query.status)
    return {"items": [request_out(r) for r in rows], "total": total}


@bp.get("/requests/<uuid:request_id>")
@require_user
@validate(response=RequestDetail)
def get_request(request_id: uuid.UUID) -> Any:
    """One request with its status history (its owner and admins only)."""
    with services().db.connection() as conn:
        return _detail(conn, _visible(conn, request_id))


@bp.delete("/requests/<uuid:request_id>")
@require_user
@validate(status=204)
def delete_request(request_id: uuid.UUID) -> Any:
    """Cancel a request here and in Overseerr: its owner while it is pending, an admin at any time."""
    principal, svc = current_principal(), services()
    with svc.db.connection() as conn:
        row = _visible(conn, request_id)
    if not principal.is_admin and row["status"] != "pending":
        raise ApiError(409, "not_pending", "Only a request still waiting for approval can be cancelled.")
    if row["overseerr_id"] is not None:
        client, _ = upstream.overseerr()
        client.delete_request(row["overseerr_id"])  # already gone there is fine
    with svc.db.connection() as conn:
        media_requests.delete(conn, row["id"])
        if principal.is_admin:
            audit.record(conn, principal.user_id, "request.delete", "media_request", row["id"],
                         {"title": row["title"], "owner": str(row["user_id"])}, request.remote_addr)
    publish_update(svc.redis, row["user_id"], {**event_data(row), "deleted": True})
    return "", 204


def _decide(request_id: uuid.UUID, decision: str) -> dict[str, Any]:
    principal, svc = current_principal(), services()
    with svc.db.connection() as conn:
        row = _visible(conn, request_id)
    if row["status"] != "pending":
        raise ApiError(409, "not_pending", "This request has already been decided.")
    if row["overseerr_id"] is None:
        raise ApiError(409, "not_in_overseerr", "Overseerr has no record of this request.")
    client, _ = upstream.overseerr()
    result = client.approve(row["overseerr_id"]) if decision == "approve" else client.decline(row["overseerr_id"])
    if result is None:
        raise ApiError(409, "not_in_overseerr", "Overseerr no longer has this request.")
    fallback = "approved" if decision == "approve" else "declined"
    status = status_from_overseerr_request(result, row["seasons"] or ()) or fallback
    with svc.db.connection() as conn:
        apply_status(conn, svc.redis, row, status, "admin", actor_id=principal.user_id)
        audit.record(conn, principal.user_id, f"request.{decision}", "media_request", row["id"],
                     {"title": row["title"], "status": status}, request.remote_addr)
        return _detail(conn, media_requests.get(conn, row["id"]) or row)


@bp.post("/requests/<uuid:request_id>/approve")
@require_admin
@validate(response=RequestDetail)
def approve(request_id: uuid.UUID) -> Any:
    """Approve a pending request in Overseerr."""
    return _decide(request_id, "approve")


@bp.post("/requests/<uuid:request_id>/decline")
@require_admin
@validate(response=RequestDetail)
def decline(request_id: uuid.UUID) -> Any:
    """Decline a pending request in Overseerr."""
    return _decide(request_id, "decline")
