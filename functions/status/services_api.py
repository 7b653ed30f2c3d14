"""Admin routes for the service settings: read, change (keys sealed, audited), test, webhook secrets."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request
from pydantic import ValidationError

from functions.status.probes import explain, probe
from functions.status.schemas import ServiceOut, ServiceUpdate, TestResult, WebhookUrls
from medianest import integrations, webhook_secrets
from medianest.clients.plex import PlexClient
from medianest.errors import ApiError, validation_details
from medianest.http import UpstreamError
from medianest.openapi import validate
from medianest.store import audit, sealed, service_config
from medianest.web import current_principal, require_admin, services

bp = Blueprint("services", __name__)


def known_service(name: str) -> str:
    if name not in integrations.SERVICES:
        raise ApiError(404, "not_found", "There is no such service.")
    return name


def service_out(name: str, row: dict[str, Any] | None) -> ServiceOut:
    if row is None:
        defaults = integrations.YoutubeOptions().model_dump() if name == "youtube" else {}
        return ServiceOut(name=name, display_name=integrations.DISPLAY_NAMES[name], url=None, enabled=name == "youtube",
                          configured=name == "youtube", api_key_set=False, options=defaults)
    return ServiceOut(
        name=name, display_name=integrations.DISPLAY_NAMES[name], url=row["url"], enabled=row["enabled"],
        configured=row["enabled"] and (name == "youtube" or bool(row["url"])), api_key_set=bool(row["api_key_sealed"]),
        options=row["options"] or {}, machine_identifier=row["machine_identifier"], updated_at=row["updated_at"],
    )


def _validated_options(name: str, options: dict[str, Any]) -> dict[str, Any]:
    try:
        return integrations.OPTION_MODELS[name].model_validate(options).model_dump()
    except ValidationError as exc:
        details = [{**d, "field": f"options.{d['field']}"} for d in validation_details(exc)]
        raise ApiError(422, "validation_error", "Some options are not valid.", details=details) from None


def _plex_machine_identifier(url: str, token: str | None) -> str:
    """Linking by URL and token: the server must answer and accept the token."""
    settings = services().settings
    client = PlexClient(url, token, **integrations.client_kwargs(settings), retries=0, breaker_key="plex-probe")
    try:
        identity = client.identity()
        client.check_token()
    except UpstreamError as exc:
        raise ApiError(422, "service_check_failed", explain(exc, "Plex")) from None
    return identity.machine_identifier


@bp.get("/services")
@require_admin
@validate(response=list[ServiceOut])
def list_services() -> Any:
    """Every service's settings; secrets only as `api_key_set`."""
    with services().db.connection() as conn:
        rows = {row["name"]: row for row in service_config.list_all(conn)}
    return [service_out(name, rows.get(name)) for name in integrations.SERVICES]


@bp.put("/services/<name>")
@require_admin
@validate(body=ServiceUpdate, response=ServiceOut)
def update_service(name: str, body: ServiceUpdate) -> Any:
    """Change a service's settings; the API key (Plex: the token) is stored sealed."""
    known_service(name)
    svc = services()
    if name == "youtube" and body.url:
        raise ApiError(422, "validation_error", "YouTube takes no URL; set its options only.")
    if name != "youtube" and body.enabled and not body.url:
        raise ApiError(422, "validation_error", "An enabled service needs a URL.")
    if name == "uptime_kuma" and body.enabled and "slug" not in body.options:
        raise ApiError(422, "validation_error", "Uptime Kuma needs the status page slug in options.slug.")
    options = _validated_options(name, body.options)
    key_given = "api_key" in body.model_fields_set
    changes: dict[str, Any] = {"url": body.url, "enabled": body.enabled, "options": options,
                               "api_key": "changed" if key_given else "kept"}
    with svc.db.connection() as conn:
        current = integrations.load(conn, svc.sealer, name)
        kwargs: dict[str, Any] = {}
        if key_given:
            kwargs["api_key_sealed"] = (svc.sealer.seal(body.api_key, sealed.SERVICE_API_KEY.aad(name))
                                        if body.api_key else None)
        if name == "plex" and body.enabled and body.url:
            token = body.api_key if key_given else (current.api_key if current else None)
            kwargs["machine_identifier"] = _plex_machine_identifier(body.url, token)
            changes["machine_identifier"] = kwargs["machine_identifier"]
        candidate = integrations.ServiceConfig(
            name=name, url=body.url, enabled=body.enabled, options=options,
            machine_identifier=kwargs.get("machine_identifier", current.machine_identifier if current else None),
            api_key=body.api_key if key_given else (current.api_key if current else None))
        warning = _refuse_bad_credentials(name, candidate)
        row = service_config.upsert(conn, name, url=body.url, enabled=body.enabled, options=options,
                                    updated_by=current_principal().user_id, **kwargs)
        audit.record(conn, current_principal().user_id, "service.update", "service", name, changes,
                     request.remote_addr)
    integrations.forget_cached_configs()  # committed: views in this process read the new settings at once
    out = service_out(name, row)
    out.warning = warning
    return out


def _refuse_bad_credentials(name: str, cfg: integrations.ServiceConfig) -> str | None:
    """A key the service refuses is not saved (422); a service that is merely down is saved with a warning."""
    if name in ("youtube", "plex") or not cfg.configured:
        return None  # Plex was checked above while reading its machineIdentifier
    settings = services().settings
    result = probe(settings, name, cfg, timeout=settings.http_read_timeout, thorough=True)[0]
    if result.status != "down":
        return None
    if result.message.startswith(("401 ", "403 ", "404 ")):
        raise ApiError(422, "service_check_failed", result.message)
    return f"Saved, but the service did not answer: {result.message}"


@bp.post("/services/<name>/test")
@require_admin
@validate(response=TestResult)
def test_service(name: str) -> Any:
    """Try the service now, credentials included, and say what happened in plain words."""
    known_service(name)
    svc = services()
    with svc.db.connection() as conn:
        cfg = integrations.load(conn, svc.sealer, name)
    results = probe(svc.settings, name, cfg, timeout=svc.settings.http_read_timeout, thorough=True)
    main = results[0]
    return TestResult(ok=main.status in ("up", "degraded"), response_ms=main.response_ms, message=main.message,
                      version=main.version)


@bp.get("/webhooks")
@require_admin
@validate(response=WebhookUrls)
def webhook_urls() -> Any:
    """What to paste into Plex and Overseerr: the one route that shows a secret, to admins only."""
    svc = services()
    with svc.db.connection() as conn:
        return _urls(webhook_secrets.get(conn, svc.sealer))


def _urls(secrets: webhook_secrets.WebhookSecrets) -> WebhookUrls:
    base = services().settings.public_url
    return WebhookUrls(plex_url=f"{base}/api/v1/webhooks/plex/{secrets.plex}",
                       overseerr_url=f"{base}/api/v1/webhooks/overseerr", overseerr_authorization=secrets.overseerr)


@bp.post("/webhooks/rotate")
@require_admin
@validate(response=WebhookUrls)
def rotate_webhooks() -> Any:
    """New webhook secrets; the old ones stop working at once."""
    svc = services()
    with svc.db.connection() as conn:
        secrets = webhook_secrets.rotate(conn, svc.sealer)
        audit.record(conn, current_principal().user_id, "webhooks.rotate", "webhooks", None, {}, request.remote_addr)
    return _urls(secrets)
