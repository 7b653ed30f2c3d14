"""Trying each service once: used by the periodic checks and by the admin's "test connection".

A probe never raises: it returns results with a status (`up`, `down`, `degraded`, `disabled`) and a plain
message that names the service and what went wrong, never a secret or an upstream body.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from typing import Any

from medianest.clients.overseerr import OverseerrClient
from medianest.clients.plex import PlexClient
from medianest.clients.uptimekuma import UptimeKumaClient
from medianest.config import Settings
from medianest.http import UpstreamError
from medianest.integrations import DISPLAY_NAMES, ServiceConfig

SLOW_MS = 2000  # answered, but slowly enough that people notice: degraded


@dataclass
class CheckResult:
    name: str
    display_name: str
    status: str
    response_ms: int | None = None
    message: str = ""
    version: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def explain(error: UpstreamError, display: str) -> str:
    """Plain words for an admin: what the service did and what it means."""
    if error.kind == "http" and error.status in (401, 403):
        what = "the token was refused" if display == "Plex" else "the API key was refused"
        return f"{error.status} from {display}: {what}."
    if error.kind == "http" and error.status == 404:
        return f"404 from {display}: nothing at that address; check the URL (and the status page slug)."
    if error.kind == "http":
        return f"{error.status} from {display}: the service reported an error."
    if error.kind == "timeout":
        return f"{display} did not answer in time."
    if error.kind == "circuit_open":
        return f"{display} kept failing; MediaNest paused calls to it for a moment."
    if error.kind == "bad_response":
        return f"{display} answered with something MediaNest could not read; is the URL right?"
    return f"Could not connect to {display}; check the URL and that the service is running."


def _timed(name: str, display: str, call: Callable[[], tuple[str, str | None]]) -> CheckResult:
    started = time.perf_counter()
    try:
        message, version = call()
    except UpstreamError as exc:
        elapsed = int((time.perf_counter() - started) * 1000)
        status = "degraded" if exc.kind == "circuit_open" else "down"
        return CheckResult(name, display, status, elapsed, explain(exc, display))
    elapsed = int((time.perf_counter() - started) * 1000)
    status = "degraded" if elapsed > SLOW_MS else "up"
    return CheckResult(name, display, status, elapsed, message, version)


def _timeouts(settings: Settings, service: str, timeout: float) -> dict[str, Any]:
    # probes always really try: no retries, and a breaker of their own (keyed apart from live traffic)
    return {"connect_timeout": min(settings.http_connect_timeout, timeout), "read_timeout": timeout, "retries": 0,
            "breaker_failures": 1000, "breaker_recovery": 1, "breaker_key": f"{service}-probe"}


def probe_plex(settings: Settings, cfg: ServiceConfig, timeout: float, check_token: bool = False) -> CheckResult:
    client = PlexClient(cfg.url or "", cfg.api_key, **_timeouts(settings, "plex", timeout))

    def call() -> tuple[str, str | None]:
        identity = client.identity()
        if cfg.machine_identifier and identity.machine_identifier != cfg.machine_identifier:
            raise UpstreamError("plex", "bad_response", "This Plex server is not the linked one.")
        if check_token:
            client.check_token()
        return f"Plex {identity.version} answered.", identity.version

    result = _timed("plex", "Plex", call)
    if result.status == "down" and "not the linked one" in (result.message or ""):
        result.message = "Plex answered, but it is a different server than the one linked."
    return result


def probe_overseerr(settings: Settings, cfg: ServiceConfig, timeout: float, check_key: bool = False) -> CheckResult:
    client = OverseerrClient(cfg.url or "", cfg.api_key, **_timeouts(settings, "overseerr", timeout))

    def call() -> tuple[str, str | None]:
        status = client.status()
        if check_key:
            client.check_api_key()
        return f"Overseerr {status.version} answered.", status.version

    return _timed("overseerr", "Overseerr", call)


def probe_uptime_kuma(settings: Settings, cfg: ServiceConfig, timeout: float) -> list[CheckResult]:
    """The status page itself, plus one result per monitor on it (`uptime_kuma:<id>`)."""
    client = UptimeKumaClient(cfg.url or "", **_timeouts(settings, "uptime_kuma", timeout))
    monitors: list[Any] = []

    def call() -> tuple[str, str | None]:
        monitors.extend(client.monitors(str(cfg.options.get("slug", ""))))
        return f"Status page answered with {len(monitors)} monitors.", None

    page = _timed("uptime_kuma", "Uptime Kuma", call)
    results = [page]
    for monitor in monitors:
        results.append(CheckResult(f"uptime_kuma:{monitor.id}", monitor.name, monitor.status, monitor.ping_ms,
                                   f"Uptime Kuma reports {monitor.name} {monitor.status}."))
    return results


def probe_youtube() -> CheckResult:
    started = time.perf_counter()
    try:
        import yt_dlp.version
    except ImportError:
        return CheckResult("youtube", "YouTube", "down", None, "yt-dlp is not installed on this worker.")
    version = yt_dlp.version.__version__
    elapsed = int((time.perf_counter() - started) * 1000)
    return CheckResult("youtube", "YouTube", "up", elapsed, f"yt-dlp {version} is ready.", version)


def not_configured(name: str) -> CheckResult:
    return CheckResult(name, DISPLAY_NAMES.get(name, name), "disabled", None, "Not configured.")


def probe(settings: Settings, name: str, cfg: ServiceConfig | None, timeout: float,
          thorough: bool = False) -> list[CheckResult]:
    """Every result for service `name`; `thorough` also checks credentials (the admin's test button)."""
    if name == "youtube":
        return [probe_youtube() if cfg is None or cfg.enabled else not_configured(name)]
    if cfg is None or not cfg.configured:
        return [not_configured(name)]
    if name == "plex":
        return [probe_plex(settings, cfg, timeout, check_token=thorough)]
    if name == "overseerr":
        return [probe_overseerr(settings, cfg, timeout, check_key=thorough)]
    return probe_uptime_kuma(settings, cfg, timeout)

