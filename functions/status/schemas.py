"""Request and response models of the status function (they also make its OpenAPI document)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, field_validator

Status = Literal["up", "down", "degraded", "unknown", "disabled"]


class ServiceStatus(BaseModel):
    name: str
    display_name: str
    status: Status
    response_ms: int | None
    checked_at: datetime | None
    uptime_24h: float | None
    message: str


class PublicStatus(BaseModel):
    name: str
    display_name: str
    status: Status


class HistoryQuery(BaseModel):
    hours: int = Field(24, ge=1, le=168)


class HistoryPoint(BaseModel):
    at: datetime
    status: Status
    response_ms: int | None


class PublicToggle(BaseModel):
    model_config = ConfigDict(extra="forbid")
    enabled: bool


class ServiceUpdate(BaseModel):
    """`api_key` left out keeps the stored one; `null` removes it."""

    model_config = ConfigDict(extra="forbid")
    url: str | None = Field(None, max_length=500)
    api_key: str | None = Field(None, min_length=1, max_length=512)
    enabled: bool = True
    options: dict[str, Any] = Field(default_factory=dict)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str | None) -> str | None:
        if value is None:
            return None
        value = value.strip()
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https"):
            raise ValueError("the URL must start with http:// or https://")
        if not parts.hostname:
            raise ValueError("the URL needs a host name")
        if parts.username or parts.password or "@" in parts.netloc:
            raise ValueError("put credentials in the API key field, not inside the URL")
        if parts.query or parts.fragment:
            raise ValueError("the URL must not carry a query or fragment")
        try:
            parts.port  # noqa: B018 - raises on a malformed port
        except ValueError:
            raise ValueError("the URL has an invalid port") from None
        return value.rstrip("/")


class ServiceOut(BaseModel):
    name: str
    display_name: str
    url: str | None
    enabled: bool
    configured: bool
    api_key_set: bool
    options: dict[str, Any]
    machine_identifier: str | None = None
    updated_at: datetime | None = None
    warning: str | None = None


class TestResult(BaseModel):
    ok: bool
    response_ms: int | None
    message: str
    version: str | None


class WebhookUrls(BaseModel):
    plex_url: str
    overseerr_url: str
    overseerr_authorization: str


class InsightsQuery(BaseModel):
    days: int = Field(30, ge=1, le=365)


class PinOut(BaseModel):
    pin_id: int
    code: str
    auth_url: str
    expires_at: datetime


class PlexConnectionOut(BaseModel):
    uri: str
    local: bool
    relay: bool


class PlexServerOut(BaseModel):
    machine_identifier: str
    name: str
    version: str | None = None
    connections: list[PlexConnectionOut]


class LinkStatus(BaseModel):
    status: Literal["waiting", "authorized"]
    servers: list[PlexServerOut] = Field(default_factory=list)


class LinkSelect(BaseModel):
    model_config = ConfigDict(extra="forbid")
    machine_identifier: str = Field(min_length=1, max_length=100, pattern=r"^[A-Za-z0-9-]+$")
    url: str | None = Field(None, max_length=500)

    _check_url = field_validator("url")(ServiceUpdate._url.__func__)  # type: ignore[attr-defined]
