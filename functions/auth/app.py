"""The auth function: Plex PIN sign-in, local admin sign-in, sessions, users and notifications.

Routes are relative to the function's root (the router serves them under /api/v1/auth). Access is declared
on each view and enforced centrally by `medianest.web`; see API.md for the table this implements.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from flask import Blueprint, Flask, Response, current_app, request

from functions.auth import cookies, plex_signin, users_admin
from functions.auth.accounts import account_disabled, begin_session
from functions.auth.schemas import (
    AdminUserOut,
    AuditEntry,
    AuditList,
    AuditQuery,
    ImportOut,
    LoginIn,
    MarkReadIn,
    MarkReadOut,
    NotificationList,
    NotificationOut,
    NotificationQuery,
    PinOut,
    PinStatusOut,
    SessionList,
    SessionOut,
    SetupOut,
    UserEnvelope,
    UserList,
    UserOut,
    UserPatch,
)
from medianest.config import Settings
from medianest.errors import ApiError, error_response, not_found
from medianest.openapi import validate
from medianest.passwords import verify_password
from medianest.sessions import REFRESH_COOKIE, AuthError
from medianest.store import audit, notifications, service_config, users
from medianest.web import (
    csrf_protected,
    current_principal,
    limiter_of,
    make_app,
    public,
    require_admin,
    require_user,
    services,
)

log = logging.getLogger(__name__)
bp = Blueprint("auth", __name__)
SESSION_ID = re.compile(r"^[0-9a-f]{32}$")
# Sign-in attempts are limited per IP (MEDIANEST_LOGIN_RATE_LIMIT); each endpoint has its own budget.
SIGN_IN_ENDPOINTS = ("auth.login", "auth.create_pin")


def _respond(body: Any, status: int = 200) -> Response:
    """A JSON response object, for views that also set cookies."""
    return current_app.make_response((body, status))


def _settings() -> Settings:
    """This function's settings."""
    return services().settings


# --- before a session ---------------------------------------------------------------------------------
@bp.get("/setup")
@public
@validate(response=SetupOut)
def setup() -> Response:
    """Whether the portal still needs its first admin or a linked Plex server."""
    with services().db.connection() as conn:
        admin_exists = users.count_active_admins(conn) > 0
        plex_linked = service_config.linked_plex_server(conn) is not None
    response = _respond(SetupOut(needs_setup=not (admin_exists and plex_linked), admin_exists=admin_exists,
                                 plex_linked=plex_linked))
    cookies.ensure_csrf_cookie(response, _settings())
    return response


@bp.post("/login")
@public
@validate(body=LoginIn, response=UserEnvelope)
def login(body: LoginIn) -> Response:
    """Local account sign-in; an unknown name and a wrong password get the same answer in the same time."""
    with services().db.connection() as conn:
        user = users.get_local_by_username(conn, body.username)
    # verify_password(None, ...) checks against a dummy hash, so both failures cost one argon2 check.
    if not verify_password(user["password_hash"] if user else None, body.password) or user is None:
        # The attempted name is not logged: people type passwords into the wrong field.
        log.info("local sign-in failed", extra={"ip": request.remote_addr})
        raise ApiError(401, "invalid_credentials", "The username or password is not right.")
    if user["status"] != "active":
        raise account_disabled()
    with services().db.connection() as conn:
        user = users.record_login(conn, user["id"])
    issued = begin_session(user)
    response = _respond(UserEnvelope(user=UserOut.from_row(user)))
    cookies.set_session_cookies(response, issued, _settings())
    return response


@bp.post("/plex/pin")
@public
@validate(response=PinOut, status=201)
def create_pin() -> Response:
    """Start a Plex sign-in: a plex.tv PIN and the auth-app address to open."""
    binder, is_new = cookies.pin_binder()
    response = _respond(PinOut(**plex_signin.create_pin(binder)), 201)
    if is_new:
        cookies.set_pin_cookie(response, binder, _settings())
    return response


@bp.get("/plex/pin/<int:pin_id>")
@public
@validate(response=PinStatusOut)
def poll_pin(pin_id: int) -> Response:
    """Poll a Plex sign-in; on success the session cookies are set."""
    result = plex_signin.poll_pin(pin_id, request.cookies.get(cookies.PIN_COOKIE))
    if result.issued is None or result.user is None:
        return _respond(PinStatusOut(status="waiting"))
    response = _respond(PinStatusOut(status="authorized", user=UserOut.from_row(result.user)))
    cookies.set_session_cookies(response, result.issued, _settings())
    return response


@bp.post("/refresh")
@public
@csrf_protected
@validate(response=UserEnvelope)
def refresh() -> Response:
    """Rotate both session cookies; a refresh token used twice ends its whole session."""
    svc = services()
    try:
        issued = svc.sessions.rotate(request.cookies.get(REFRESH_COOKIE), request.remote_addr)
    except AuthError as exc:
        response = error_response(401, exc.code, exc.message)
        cookies.clear_session_cookies(response, svc.settings)
        return response
    with svc.db.connection() as conn:
        user = users.get(conn, issued.user_id)
    if user is None or user["status"] != "active":
        svc.sessions.revoke(issued.session_id)
        response = error_response(401, "unauthenticated", "This session has ended; sign in again.")
        cookies.clear_session_cookies(response, svc.settings)
        return response
    response = _respond(UserEnvelope(user=UserOut.from_row(user)))
    cookies.set_session_cookies(response, issued, svc.settings)
    return response


# --- the signed-in user -------------------------------------------------------------------------------
@bp.post("/logout")
@require_user
@validate(status=204)
def logout() -> Response:
    """End this session and clear its cookies."""
    services().sessions.revoke(current_principal().session_id)
    response = Response(status=204)
    cookies.clear_session_cookies(response, _settings())
    return response


@bp.get("/me")
@require_user
@validate(response=UserOut)
def me() -> UserOut:
    """The signed-in account."""
    with services().db.connection() as conn:
        user = users.get(conn, current_principal().user_id)
    if user is None:
        raise ApiError(401, "unauthenticated", "This account no longer exists.")
    return UserOut.from_row(user)


@bp.get("/sessions")
@require_user
@validate(response=SessionList)
def list_sessions() -> SessionList:
    """The signed-in user's active sessions."""
    principal = current_principal()
    entries = services().sessions.list_for_user(principal.user_id)
    return SessionList(items=[SessionOut.from_entry(e, principal.session_id) for e in entries])


@bp.delete("/sessions/<session_id>")
@require_user
@validate(status=204)
def revoke_session(session_id: str) -> Response:
    """Sign one of one's own sessions out (404 for anyone else's)."""
    principal, svc = current_principal(), services()
    own = {entry["id"] for entry in svc.sessions.list_for_user(principal.user_id)}
    if not SESSION_ID.match(session_id) or session_id not in own:
        raise not_found("That session")
    svc.sessions.revoke(session_id)
    response = Response(status=204)
    if session_id == principal.session_id:
        cookies.clear_session_cookies(response, svc.settings)
    return response


@bp.get("/notifications")
@require_user
@validate(query=NotificationQuery, response=NotificationList)
def list_notifications(query: NotificationQuery) -> NotificationList:
    """The signed-in user's notifications, newest first (`?unread` for unread ones only)."""
    user_id = current_principal().user_id
    with services().db.connection() as conn:
        rows = notifications.list_for_user(conn, user_id, unread_only=query.unread, limit=query.limit,
                                           offset=query.offset)
        unread = notifications.count_unread(conn, user_id)
    return NotificationList(items=[NotificationOut(**row) for row in rows], unread=unread)


@bp.post("/notifications/read")
@require_user
@validate(body=MarkReadIn, response=MarkReadOut)
def mark_notifications_read(body: MarkReadIn) -> MarkReadOut:
    """Mark the listed notifications (or all of them) read; other users' ids are ignored."""
    user_id = current_principal().user_id
    with services().db.connection() as conn:
        updated = notifications.mark_read(conn, user_id, body.ids)
        unread = notifications.count_unread(conn, user_id)
    return MarkReadOut(updated=updated, unread=unread)


# --- admin --------------------------------------------------------------------------------------------
@bp.get("/users")
@require_admin
@validate(response=UserList)
def list_users() -> UserList:
    """Every account with its role, status, last sign-in and request and download counts."""
    with services().db.connection() as conn:
        rows = users.list_with_counts(conn)
    items = [AdminUserOut(**UserOut.from_row(r).model_dump(), request_count=r["request_count"],
                          download_count=r["download_count"]) for r in rows]
    return UserList(items=items, total=len(items))


@bp.patch("/users/<uuid:user_id>")
@require_admin
@validate(body=UserPatch, response=UserOut)
def update_user(user_id: UUID, body: UserPatch) -> UserOut:
    """Change an account's role or status; disabling signs it out everywhere at once."""
    return UserOut.from_row(users_admin.update_user(current_principal(), user_id, body.role, body.status))


@bp.post("/users/import")
@require_admin
@validate(response=ImportOut)
def import_users() -> ImportOut:
    """Import the Plex server's shared users, so roles can be set before they first sign in."""
    rows, created = users_admin.import_shared_users(current_principal())
    return ImportOut(imported=len(rows), created=created, items=[UserOut.from_row(r) for r in rows])


@bp.get("/audit")
@require_admin
@validate(query=AuditQuery, response=AuditList)
def audit_log(query: AuditQuery) -> AuditList:
    """Who changed what: every admin action, newest first."""
    with services().db.connection() as conn:
        rows = audit.recent(conn, query.limit, query.offset)
        total = audit.count(conn)
    return AuditList(items=[AuditEntry(**{k: r[k] for k in AuditEntry.model_fields}) for r in rows], total=total)


def create_app(config: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the auth function's app."""
    app = make_app("auth", config)
    app.register_blueprint(bp)
    per_ip = limiter_of(app).limit(lambda: services().settings.login_rate_limit,
                                   key_func=lambda: f"ip:{request.remote_addr}")
    for endpoint in SIGN_IN_ENDPOINTS:
        app.view_functions[endpoint] = per_ip(app.view_functions[endpoint])
    return app
