"""Admin changes to accounts: role and status (never leaving the portal without an active admin), and
importing the Plex server's shared users. Every change is written to the audit log."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from flask import request

from functions.auth.accounts import linked_server, plex_client
from medianest.clients import plextv
from medianest.errors import ApiError, not_found
from medianest.logs import redact
from medianest.sessions import Principal
from medianest.store import audit, service_config, users
from medianest.store.sealed import SERVICE_API_KEY
from medianest.web import services


def update_user(actor: Principal, user_id: UUID, role: str | None, status: str | None) -> dict[str, Any]:
    """Apply a role/status change; it reaches the user's live sessions on their very next request."""
    svc = services()
    with svc.db.connection() as conn:
        # Lock the admins first (always in id order) so concurrent demotions queue instead of racing.
        active_admins = users.lock_active_admins(conn)
        target = users.get_for_update(conn, user_id)
        if target is None:
            raise not_found("That user")
        new_role, new_status = role or target["role"], status or target["status"]
        was_active_admin = target["role"] == "admin" and target["status"] == "active"
        if was_active_admin and (new_role, new_status) != ("admin", "active") and len(active_admins) <= 1:
            raise ApiError(409, "last_admin", "The last active admin cannot be demoted or disabled.")
        changes = {name: {"from": target[name], "to": new}
                   for name, new in (("role", new_role), ("status", new_status)) if target[name] != new}
        if not changes:
            return target
        updated = users.update_role_status(conn, user_id, new_role, new_status)
        audit.record(conn, actor.user_id, "user.update", "user", user_id, {"changes": changes},
                     request.remote_addr)
    # After the commit, so a rolled-back change never signs anyone out.
    if "status" in changes and new_status == "disabled":
        svc.sessions.revoke_user(str(user_id))
    elif "role" in changes:
        svc.sessions.set_role(str(user_id), new_role)
    return updated


def import_shared_users(actor: Principal) -> tuple[list[dict[str, Any]], int]:
    """Add everyone the owner shares the linked server with; returns (their accounts, how many are new)."""
    svc = services()
    with svc.db.connection() as conn:
        machine = linked_server(conn)
        config = service_config.get(conn, "plex")
        client = plex_client(conn)
    if config is None or not config["api_key_sealed"]:
        raise ApiError(409, "server_not_linked", "The Plex server is linked without the owner's token; link it again.")
    owner_token = svc.sealer.open(config["api_key_sealed"], SERVICE_API_KEY.aad("plex"))
    redact.register(owner_token)
    try:
        shared = client.shared_users(owner_token)
    except plextv.PlexTvUnauthorized:
        raise ApiError(409, "plex_token_rejected",
                       "plex.tv refused the Plex server's stored token; link the server again.") from None
    with_access = [u for u in shared if machine in u.machine_identifiers]
    imported, created = [], 0
    with svc.db.connection() as conn:
        for person in with_access:
            row, is_new = users.import_plex_user(conn, plex_id=person.id, username=person.username,
                                                 email=person.email, thumb=person.thumb)
            imported.append(row)
            created += is_new
        audit.record(conn, actor.user_id, "users.import", "user", None,
                     {"imported": len(imported), "created": created}, request.remote_addr)
    return imported, created
