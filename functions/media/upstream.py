"""The configured Plex and Overseerr as clients, or a 503 telling people an admin must set them up."""

from __future__ import annotations

from medianest import integrations
from medianest.clients.overseerr import SERVICE as OVERSEERR
from medianest.clients.overseerr import OverseerrClient
from medianest.clients.plex import PlexClient
from medianest.config import Settings
from medianest.errors import ApiError
from medianest.http import refuse_if_open
from medianest.web import services


def _config(name: str) -> integrations.ServiceConfig | None:
    """The service's settings, kept for a few seconds per process (every library read needs Plex's)."""
    svc = services()
    return integrations.cached_config(svc.db, svc.sealer, name)


def plex_from(settings: Settings, cfg: integrations.ServiceConfig | None) -> tuple[PlexClient, str]:
    """A client for the linked Plex server and its machineIdentifier (the scope of its cache keys)."""
    if cfg is None or not cfg.configured or not cfg.url or not cfg.machine_identifier:
        raise ApiError(503, "not_configured",
                       "Plex is not set up yet: an admin must link the Plex server in the service settings.")
    return PlexClient(cfg.url, cfg.api_key, **integrations.client_kwargs(settings)), cfg.machine_identifier


def overseerr_from(settings: Settings, cfg: integrations.ServiceConfig | None) -> OverseerrClient:
    if cfg is None or not cfg.configured or not cfg.url:
        raise ApiError(503, "not_configured",
                       "Overseerr is not set up yet: an admin must add it in the service settings.")
    return OverseerrClient(cfg.url, cfg.api_key, **integrations.client_kwargs(settings))


def plex() -> tuple[PlexClient, str]:
    return plex_from(services().settings, _config("plex"))


def overseerr() -> tuple[OverseerrClient, integrations.OverseerrOptions]:
    """The Overseerr client and its options (quotas); unreadable options fall back to no quotas."""
    refuse_if_open(OVERSEERR, "Overseerr")  # an open breaker refuses at once: no settings read for it
    cfg = _config(OVERSEERR)
    client = overseerr_from(services().settings, cfg)
    try:
        options = integrations.OverseerrOptions.model_validate(cfg.options if cfg else {})
    except ValueError:
        options = integrations.OverseerrOptions()
    return client, options


def lock_ms(settings: Settings) -> int:
    """How long one load from a service may take with its retries: what cache waiters wait for."""
    per_try = settings.http_connect_timeout + settings.http_read_timeout
    return int(min(60.0, per_try * 3 + 2) * 1000)
