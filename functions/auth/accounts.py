"""Starting a session for an account that just proved who it is (password or Plex), and the plex.tv client."""

from __future__ import annotations

from typing import Any

from flask import request

from medianest.clients import plextv
from medianest.errors import ApiError
from medianest.sessions import IssuedSession
from medianest.store import service_config, users
from medianest.web import services


def account_disabled() -> ApiError:
    """The answer for a disabled account, whichever way it signs in."""
    return ApiError(403, "account_disabled", "This account has been disabled by an admin.")


def begin_session(user: dict[str, Any]) -> IssuedSession:
    """Create a session for `user`, then re-read its status so a disable that raced the sign-in wins."""
    svc = services()
    issued = svc.sessions.create(str(user["id"]), user["role"], request.remote_addr,
                                 request.headers.get("User-Agent", ""))
    with svc.db.connection() as conn:
        status = users.get_status(conn, user["id"])
    if status != "active":
        svc.sessions.revoke(issued.session_id)
        raise account_disabled()
    return issued


def linked_server(conn: Any) -> str:
    """The linked Plex server's machineIdentifier; 409 before an admin has linked one."""
    machine = service_config.linked_plex_server(conn)
    if not machine:
        raise ApiError(409, "server_not_linked",
                       "Sign-in with Plex opens once an admin has linked the Plex server.")
    return machine


def plex_client(conn: Any) -> plextv.PlexTvClient:
    """A plex.tv client with this installation's client identifier."""
    return plextv.from_settings(services().settings, plextv.installation_identifier(conn))
