"""The configured outside services: their option models, and clients built from `service_config` rows.

A function asks `load(conn, sealer, "overseerr")` for the row with its API key opened (and registered for
log redaction), then `overseerr_client(settings, cfg)` for a client. Nothing here calls a service.

Views that need a service on every request use `cached_config(db, sealer, name)`: the opened row is kept per
process for `CONFIG_CACHE.ttl` seconds, so a read does not cost a PostgreSQL round trip and a decryption.
Admins change settings in the status function, often another process: there the change shows within the
TTL; in the process that saved it (`forget_cached_configs()` after the commit), at once.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import psycopg
from pydantic import BaseModel, ConfigDict, Field, field_validator

from medianest.config import Settings
from medianest.crypto import Sealer
from medianest.db import Database
from medianest.logs import redact
from medianest.store import sealed, service_config

SERVICES = ("plex", "overseerr", "uptime_kuma", "youtube")
DISPLAY_NAMES = {"plex": "Plex", "overseerr": "Overseerr", "uptime_kuma": "Uptime Kuma", "youtube": "YouTube"}
DEFAULT_YOUTUBE_HOSTS = ("youtube.com", "www.youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be")


class _Options(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PlexOptions(_Options):
    # the linked server's library section holding the YouTube folder is found by path; nothing to set here
    pass


class OverseerrOptions(_Options):
    quota_movies_per_week: int | None = Field(None, ge=0, le=1000)
    quota_seasons_per_week: int | None = Field(None, ge=0, le=1000)


class UptimeKumaOptions(_Options):
    slug: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9_-]+$")


class YoutubeOptions(_Options):
    allowed_hosts: list[str] = Field(default_factory=lambda: list(DEFAULT_YOUTUBE_HOSTS), min_length=1,
                                     max_length=20)
    library_folder: str = Field("youtube", min_length=1, max_length=100, pattern=r"^[A-Za-z0-9 _.-]+$")
    hourly_quota: int = Field(5, ge=1, le=1000)
    max_items: int = Field(50, ge=1, le=1000)
    min_free_gb: float = Field(5.0, ge=0, le=100000)

    @field_validator("allowed_hosts")
    @classmethod
    def _hosts(cls, hosts: list[str]) -> list[str]:
        cleaned = []
        for host in hosts:
            host = host.strip().lower()
            if not host or "/" in host or ":" in host or " " in host:
                raise ValueError("allowed_hosts holds bare host names such as youtube.com")
            cleaned.append(host)
        return cleaned

    @field_validator("library_folder")
    @classmethod
    def _folder(cls, folder: str) -> str:
        if folder in (".", "..") or folder.startswith("."):
            raise ValueError("library_folder is a plain folder name under MEDIA_ROOT")
        return folder


OPTION_MODELS: dict[str, type[_Options]] = {
    "plex": PlexOptions, "overseerr": OverseerrOptions, "uptime_kuma": UptimeKumaOptions, "youtube": YoutubeOptions,
}


@dataclass(frozen=True)
class ServiceConfig:
    name: str
    url: str | None
    enabled: bool
    options: dict[str, Any]
    machine_identifier: str | None = None
    api_key: str | None = field(default=None, repr=False)

    @property
    def display_name(self) -> str:
        return DISPLAY_NAMES[self.name]

    @property
    def configured(self) -> bool:
        return self.enabled and (self.name == "youtube" or bool(self.url))


def load(conn: psycopg.Connection[Any], sealer: Sealer, name: str) -> ServiceConfig | None:
    """The service's settings with its API key opened, or None when it was never configured."""
    row = service_config.get(conn, name)
    if row is None:
        return None
    api_key = None
    if row["api_key_sealed"]:
        api_key = sealer.open(row["api_key_sealed"], sealed.SERVICE_API_KEY.aad(name))
        redact.register(api_key)
    return ServiceConfig(name=name, url=row["url"], enabled=row["enabled"], options=row["options"] or {},
                         machine_identifier=row["machine_identifier"], api_key=api_key)


class ConfigCache:
    """Opened service configs by (database, sealer, service) for `ttl` seconds; safe across threads."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[tuple[str, Sealer, str], tuple[float, ServiceConfig | None]] = {}
        self._generation = 0  # bumped by clear(): a load that started before a clear is not stored
        self._lock = threading.Lock()

    def get(self, db: Database, sealer: Sealer, name: str) -> ServiceConfig | None:
        key = (db.url, sealer, name)
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None and entry[0] > self._clock():
                return entry[1]
            generation = self._generation
        with db.connection() as conn:
            cfg = load(conn, sealer, name)
        now = self._clock()
        with self._lock:
            if generation == self._generation:
                self._entries = {k: v for k, v in self._entries.items() if v[0] > now}
                self._entries[key] = (now + self.ttl, cfg)
        return cfg

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
            self._generation += 1


CONFIG_CACHE = ConfigCache(ttl=5.0)


def cached_config(db: Database, sealer: Sealer, name: str) -> ServiceConfig | None:
    """`load` for the request path: the same answer, re-read from PostgreSQL at most every few seconds."""
    return CONFIG_CACHE.get(db, sealer, name)


def forget_cached_configs() -> None:
    """Call after committing a change to `service_config`, so this process sees it on its next request."""
    CONFIG_CACHE.clear()


def youtube_options(conn: psycopg.Connection[Any]) -> YoutubeOptions:
    """The download settings, with defaults until an admin changes them."""
    row = service_config.get(conn, "youtube")
    return YoutubeOptions.model_validate((row or {}).get("options") or {})


def client_kwargs(settings: Settings) -> dict[str, Any]:
    return {"connect_timeout": settings.http_connect_timeout, "read_timeout": settings.http_read_timeout,
            "breaker_failures": settings.breaker_failures, "breaker_recovery": settings.breaker_recovery}
