"""Linking the Plex server by the owner's Plex sign-in: PIN, list the owner's servers, pick one.

The owner's token never reaches the browser: between the poll and the pick it waits in Redis, sealed,
for at most the PIN's lifetime.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, request

from functions.status.probes import explain
from functions.status.schemas import LinkSelect, LinkStatus, PinOut, PlexConnectionOut, PlexServerOut
from medianest import integrations
from medianest.clients import plextv
from medianest.clients.plex import PlexClient
from medianest.crypto import aad
from medianest.errors import ApiError
from medianest.http import UpstreamError
from medianest.logs import redact
from medianest.openapi import validate
from medianest.store import audit, sealed, service_config
from medianest.web import current_principal, require_admin, services

bp = Blueprint("plex_link", __name__)
PURPOSE = "plex-link"


def _key(pin_id: int) -> str:
    return f"mn:plexlink:{pin_id}"


def _client(conn: Any) -> plextv.PlexTvClient:
    return plextv.from_settings(services().settings, plextv.installation_identifier(conn))


def _state(pin_id: int) -> dict[str, Any]:
    raw = services().redis.get(_key(pin_id))
    if raw is None:
        raise ApiError(410, "expired", "This Plex sign-in expired; start again.")
    return json.loads(raw)


def _servers(resources: list[plextv.PlexResource]) -> list[PlexServerOut]:
    return [
        PlexServerOut(machine_identifier=r.client_identifier, name=r.name,
                      connections=[PlexConnectionOut(uri=c.uri, local=c.local, relay=c.relay) for c in r.connections])
        for r in resources if r.is_server and r.owned
    ]


@bp.post("/services/plex/link")
@require_admin
@validate(response=PinOut, status=201)
def start_link() -> Any:
    """Start the owner's Plex sign-in to pick the server to link."""
    svc = services()
    with svc.db.connection() as conn:
        client = _client(conn)
    pin = client.create_pin()
    ttl = max(60, int((pin.expires_at - datetime.now(UTC)).total_seconds()))
    svc.redis.set(_key(pin.id), json.dumps({"code": pin.code}), ex=ttl)
    return PinOut(pin_id=pin.id, code=pin.code, auth_url=client.auth_url(pin.code), expires_at=pin.expires_at), 201


@bp.get("/services/plex/link/<int:pin_id>")
@require_admin
@validate(response=LinkStatus)
def poll_link(pin_id: int) -> Any:
    """Poll plex.tv once; once signed in, list the owner's servers."""
    svc = services()
    state = _state(pin_id)
    with svc.db.connection() as conn:
        client = _client(conn)
    if "token" not in state:
        try:
            pin = client.poll_pin(pin_id, state["code"])
        except plextv.PinExpired:
            svc.redis.delete(_key(pin_id))
            raise ApiError(410, "expired", "This Plex sign-in expired; start again.") from None
        if not pin.auth_token:
            return LinkStatus(status="waiting")
        redact.register(pin.auth_token)
        state["token"] = svc.sealer.seal(pin.auth_token, aad(PURPOSE, pin_id))
        svc.redis.set(_key(pin_id), json.dumps(state), keepttl=True)
    token = svc.sealer.open(state["token"], aad(PURPOSE, pin_id))
    return LinkStatus(status="authorized", servers=_servers(client.resources(token)))


def _first_answering(candidates: list[str], token: str, machine_identifier: str) -> str:
    settings = services().settings
    last_error = "None of the server's addresses answered."
    for url in candidates:
        client = PlexClient(url, token, **integrations.client_kwargs(settings), retries=0, breaker_key="plex-probe")
        try:
            if client.identity().machine_identifier == machine_identifier:
                return url.rstrip("/")
            last_error = "That address answers as a different Plex server."
        except UpstreamError as exc:
            last_error = explain(exc, "Plex")
    raise ApiError(422, "service_check_failed", last_error)


@bp.post("/services/plex/link/<int:pin_id>/select")
@require_admin
@validate(body=LinkSelect, response=LinkStatus)
def select_server(pin_id: int, body: LinkSelect) -> Any:
    """Link the chosen server: the first of its addresses that answers (local ones first), or `url`."""
    svc = services()
    state = _state(pin_id)
    if "token" not in state:
        raise ApiError(409, "not_authorized_yet", "Finish the Plex sign-in first.")
    owner_token = svc.sealer.open(state["token"], aad(PURPOSE, pin_id))
    with svc.db.connection() as conn:
        resources = _client(conn).resources(owner_token)
    chosen = next((r for r in resources if r.client_identifier == body.machine_identifier and r.owned), None)
    if chosen is None:
        raise ApiError(404, "not_found", "That server is not one of the owner's servers.")
    token = chosen.access_token or owner_token
    redact.register(token)
    ordered = sorted(chosen.connections, key=lambda c: (c.relay, not c.local))
    url = _first_answering([body.url] if body.url else [c.uri for c in ordered], token, chosen.client_identifier)
    with svc.db.connection() as conn:
        current = service_config.get(conn, "plex")
        service_config.upsert(
            conn, "plex", url=url, enabled=True, options=(current or {}).get("options") or {},
            updated_by=current_principal().user_id, machine_identifier=chosen.client_identifier,
            api_key_sealed=svc.sealer.seal(token, sealed.SERVICE_API_KEY.aad("plex")),
        )
        audit.record(conn, current_principal().user_id, "service.plex_link", "service", "plex",
                     {"machine_identifier": chosen.client_identifier, "url": url, "name": chosen.name},
                     request.remote_addr)
    integrations.forget_cached_configs()  # committed: views in this process use the new server at once
    svc.redis.delete(_key(pin_id))
    return LinkStatus(status="authorized", servers=_servers([chosen]))
