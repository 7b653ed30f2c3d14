"""Every MediaNest setting, read from the environment by `load_settings()` (never at import time).

A file named after a setting in the secrets folder (`/var/openfaas/secrets` by default, where OpenFaaS
mounts secrets) overrides the environment variable: `MEDIANEST_SECRET_KEY` is read from
`<secrets>/MEDIANEST_SECRET_KEY` or `<secrets>/medianest-secret-key`.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

DEFAULT_SECRETS_DIR = "/var/openfaas/secrets"


class SettingsError(Exception):
    """A setting is missing or malformed; the message is one line naming it (never its value)."""


@dataclass(frozen=True)
class Setting:
    name: str
    doc: str
    default: str | None = None
    required: bool = False
    secret: bool = False


# The table the README's settings section is written from; `tests/foundation/test_config.py` keeps the two
# in step.
SETTINGS: tuple[Setting, ...] = (
    Setting("DATABASE_URL", "PostgreSQL URL (postgresql://user@host:5432/db)", required=True, secret=True),
    Setting("REDIS_URL", "Redis URL (redis://host:6379/0)", required=True, secret=True),
    Setting("MEDIANEST_SECRET_KEY", "JWT signing key, at least 32 characters", required=True, secret=True),
    Setting(
        "MEDIANEST_ENCRYPTION_KEYS",
        "comma-separated `keyid:base64(32 bytes)` pairs; the first is the current key",
        required=True,
        secret=True,
    ),
    Setting("MEDIANEST_PUBLIC_URL", "the portal's public origin, e.g. https://media.example.org", required=True),
    Setting("MEDIA_ROOT", "folder the Plex libraries live in; downloads land below it", required=True),
    Setting("MEDIANEST_ADMIN_USERNAME", "name of the bootstrap local admin", default="admin"),
    Setting(
        "MEDIANEST_ADMIN_PASSWORD",
        "bootstrap admin password; generated and printed once when unset",
        secret=True,
    ),
    Setting("PLEXTV_URL", "plex.tv base URL (a fake in tests and demo)", default="https://plex.tv"),
    Setting("MEDIANEST_TRUSTED_PROXIES", "reverse-proxy hops in front of the functions", default="0"),
    Setting("MEDIANEST_ACCESS_TTL", "access token lifetime, seconds", default="900"),
    Setting("MEDIANEST_REFRESH_TTL", "refresh token lifetime, seconds", default=str(30 * 24 * 3600)),
    Setting("MEDIANEST_RATE_LIMIT", "API rate limit per user (or per IP without a session)", default="100/minute"),
    Setting("MEDIANEST_LOGIN_RATE_LIMIT", "sign-in attempts per IP", default="10/minute"),
    Setting("MEDIANEST_DB_POOL_SIZE", "PostgreSQL connections per process", default="5"),
    Setting("MEDIANEST_HTTP_CONNECT_TIMEOUT", "outbound connect timeout, seconds", default="3"),
    Setting("MEDIANEST_HTTP_READ_TIMEOUT", "outbound read timeout, seconds", default="10"),
    Setting("MEDIANEST_BREAKER_FAILURES", "failures in a row that open a service's circuit", default="5"),
    Setting("MEDIANEST_BREAKER_RECOVERY", "seconds an open circuit waits before one trial call", default="30"),
    Setting("MEDIANEST_CHECK_INTERVAL", "seconds between service health checks", default="60"),
    Setting("MEDIANEST_METRICS_TOKEN", "bearer token for Prometheus scrapes of /metrics (admins always)", secret=True),
    Setting("MEDIANEST_LOG_LEVEL", "DEBUG, INFO, WARNING or ERROR", default="INFO"),
    Setting("MEDIANEST_SECRETS_DIR", "folder whose files override settings", default=DEFAULT_SECRETS_DIR),
)


@dataclass(frozen=True)
class Settings:
    database_url: str
    redis_url: str
    secret_key: str
    encryption_keys: tuple[tuple[str, bytes], ...]
    public_url: str
    media_root: Path
    admin_username: str
    admin_password: str | None
    plextv_url: str
    trusted_proxies: int
    access_ttl: int
    refresh_ttl: int
    rate_limit: str
    login_rate_limit: str
    db_pool_size: int
    http_connect_timeout: float
    http_read_timeout: float
    breaker_failures: int
    breaker_recovery: int
    check_interval: int
    metrics_token: str | None
    log_level: str
    raw: Mapping[str, str] = field(repr=False, default_factory=dict)

    @property
    def secure_cookies(self) -> bool:
        return self.public_url.startswith("https://")

    @property
    def public_origin(self) -> str:
        parts = urlsplit(self.public_url)
        return f"{parts.scheme}://{parts.netloc}"

    def secret_values(self) -> list[str]:
        """Every secret value in force, for log redaction and leak tests."""
        values = [self.secret_key, *(base64.b64encode(key).decode() for _, key in self.encryption_keys)]
        values += [self.raw[s.name] for s in SETTINGS if s.secret and self.raw.get(s.name)]
        return [v for v in values if v]

    def __repr__(self) -> str:  # never print secrets by accident
        return f"Settings(public_url={self.public_url!r}, media_root={str(self.media_root)!r})"


def _read_secret_file(folder: Path, name: str) -> str | None:
    for candidate in (name, name.lower().replace("_", "-")):
        path = folder / candidate
        if path.is_file():
            return path.read_text(encoding="utf-8").strip()
    return None


def read_raw(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """Collect raw strings: defaults < environment < secret files < explicit overrides."""
    env = dict(os.environ if environ is None else environ)
    merged = {s.name: s.default for s in SETTINGS if s.default is not None}
    merged.update({s.name: env[s.name] for s in SETTINGS if env.get(s.name, "") != ""})
    if overrides:
        merged.update({k: str(v) for k, v in overrides.items() if v is not None})
    folder = Path(merged.get("MEDIANEST_SECRETS_DIR", DEFAULT_SECRETS_DIR))
    if folder.is_dir():
        for s in SETTINGS:
            if overrides and s.name in overrides:
                continue
            value = _read_secret_file(folder, s.name)
            if value:
                merged[s.name] = value
    return merged


def _number(name: str, value: str, lo: float, hi: float, kind: type = int) -> Any:
    try:
        number = kind(value)
    except ValueError:
        raise SettingsError(f"{name} must be a {'whole number' if kind is int else 'number'}") from None
    if not lo <= number <= hi:
        raise SettingsError(f"{name} must be between {lo} and {hi}")
    return number


def _int(name: str, value: str, lo: int, hi: int) -> int:
    return int(_number(name, value, lo, hi, int))


def _float(name: str, value: str, lo: float, hi: float) -> float:
    return float(_number(name, value, lo, hi, float))


def _url(name: str, value: str, schemes: tuple[str, ...]) -> str:
    parts = urlsplit(value)
    if parts.scheme not in schemes or not parts.netloc:
        raise SettingsError(f"{name} must be a {' or '.join(schemes)} URL")
    return value.rstrip("/")


def parse_encryption_keys(value: str) -> tuple[tuple[str, bytes], ...]:
    """`kid:base64key,kid2:base64key` → ((kid, key), ...); each key exactly 32 bytes, ids unique."""
    keys: list[tuple[str, bytes]] = []
    for item in filter(None, (part.strip() for part in value.split(","))):
        kid, sep, encoded = item.partition(":")
        if not sep or not kid.isalnum() or len(kid) > 16:
            raise SettingsError("MEDIANEST_ENCRYPTION_KEYS entries must look like keyid:base64key")
        try:
            key = base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError):
            raise SettingsError(f"MEDIANEST_ENCRYPTION_KEYS key {kid} is not valid base64") from None
        if len(key) != 32:
            raise SettingsError(f"MEDIANEST_ENCRYPTION_KEYS key {kid} must be 32 bytes")
        if any(kid == existing for existing, _ in keys):
            raise SettingsError(f"MEDIANEST_ENCRYPTION_KEYS repeats key id {kid}")
        keys.append((kid, key))
    if not keys:
        raise SettingsError("MEDIANEST_ENCRYPTION_KEYS has no keys")
    return tuple(keys)


def _secret_key(value: str) -> str:
    if len(value) < 32:
        raise SettingsError("MEDIANEST_SECRET_KEY must be at least 32 characters")
    return value


def _log_level(value: str) -> str:
    level = value.upper()
    if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
        raise SettingsError("MEDIANEST_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR")
    return level


def load_settings(overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Read and validate every setting; raise SettingsError naming the first bad or missing one."""
    raw = read_raw(overrides, environ)
    for s in SETTINGS:
        if s.required and not raw.get(s.name):
            raise SettingsError(f"missing required setting {s.name} ({s.doc})")
    get: Callable[[str], str] = raw.__getitem__
    return Settings(
        database_url=_url("DATABASE_URL", get("DATABASE_URL"), ("postgresql", "postgres")),
        redis_url=_url("REDIS_URL", get("REDIS_URL"), ("redis", "rediss", "unix")),
        secret_key=_secret_key(get("MEDIANEST_SECRET_KEY")),
        encryption_keys=parse_encryption_keys(get("MEDIANEST_ENCRYPTION_KEYS")),
        public_url=_url("MEDIANEST_PUBLIC_URL", get("MEDIANEST_PUBLIC_URL"), ("http", "https")),
        media_root=Path(get("MEDIA_ROOT")).expanduser().resolve(),
        admin_username=get("MEDIANEST_ADMIN_USERNAME").strip() or "admin",
        admin_password=raw.get("MEDIANEST_ADMIN_PASSWORD") or None,
        plextv_url=_url("PLEXTV_URL", get("PLEXTV_URL"), ("http", "https")),
        trusted_proxies=_int("MEDIANEST_TRUSTED_PROXIES", get("MEDIANEST_TRUSTED_PROXIES"), 0, 5),
        access_ttl=_int("MEDIANEST_ACCESS_TTL", get("MEDIANEST_ACCESS_TTL"), 30, 24 * 3600),
        refresh_ttl=_int("MEDIANEST_REFRESH_TTL", get("MEDIANEST_REFRESH_TTL"), 300, 365 * 24 * 3600),
        rate_limit=get("MEDIANEST_RATE_LIMIT"),
        login_rate_limit=get("MEDIANEST_LOGIN_RATE_LIMIT"),
        db_pool_size=_int("MEDIANEST_DB_POOL_SIZE", get("MEDIANEST_DB_POOL_SIZE"), 1, 50),
        http_connect_timeout=_float("MEDIANEST_HTTP_CONNECT_TIMEOUT", get("MEDIANEST_HTTP_CONNECT_TIMEOUT"), 0.1, 60),
        http_read_timeout=_float("MEDIANEST_HTTP_READ_TIMEOUT", get("MEDIANEST_HTTP_READ_TIMEOUT"), 0.1, 300),
        breaker_failures=_int("MEDIANEST_BREAKER_FAILURES", get("MEDIANEST_BREAKER_FAILURES"), 1, 100),
        breaker_recovery=_int("MEDIANEST_BREAKER_RECOVERY", get("MEDIANEST_BREAKER_RECOVERY"), 1, 3600),
        check_interval=_int("MEDIANEST_CHECK_INTERVAL", get("MEDIANEST_CHECK_INTERVAL"), 5, 3600),
        metrics_token=raw.get("MEDIANEST_METRICS_TOKEN") or None,
        log_level=_log_level(get("MEDIANEST_LOG_LEVEL")),
        raw=raw,
    )
