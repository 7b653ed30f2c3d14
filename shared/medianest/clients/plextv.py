"""plex.tv: PIN sign-in, who a token belongs to, which servers it reaches, and the owner's shared users.

Written against `contracts/plex-tv-auth.md`. Every call sends `Accept: application/json` (plex.tv answers
XML otherwise) and the X-Plex-* identification headers with one client identifier per installation, which
must be the same for creating and polling a PIN. Tokens travel only in the `X-Plex-Token` header (never in
a URL, which could end up in a log), and every token plex.tv hands us is registered for log redaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import metadata
from typing import Any
from urllib.parse import quote, urlencode
from xml.etree import ElementTree as ET

import psycopg

from medianest.clients.values import flag, opt_int
from medianest.config import Settings
from medianest.http import ServiceClient, UpstreamError
from medianest.logs import redact
from medianest.store import app_settings

SERVICE = "plextv"
DISPLAY_NAME = "plex.tv"
PRODUCT = "MediaNest"
REAL_PLEXTV = "https://plex.tv"
REAL_AUTH_APP = "https://app.plex.tv/auth"
CLIENT_ID_SETTING = "plextv_client_identifier"


def _version() -> str:
    """MediaNest's version for X-Plex-Version."""
    try:
        return metadata.version("medianest")
    except metadata.PackageNotFoundError:
        return "0"


class PlexTvUnauthorized(Exception):
    """plex.tv refused the token (401, or 422 "Invalid token")."""


class PinExpired(Exception):
    """plex.tv no longer knows the PIN: it expired or never existed (404)."""


@dataclass(frozen=True)
class Pin:
    id: int
    code: str
    expires_at: datetime
    auth_token: str | None = field(default=None, repr=False)


@dataclass(frozen=True)
class PlexAccount:
    id: int
    uuid: str | None
    username: str
    email: str | None
    thumb: str | None


@dataclass(frozen=True)
class PlexConnection:
    protocol: str
    address: str
    port: int
    uri: str
    local: bool
    relay: bool


@dataclass(frozen=True)
class PlexResource:
    name: str
    client_identifier: str
    provides: tuple[str, ...]
    owned: bool
    owner_id: int | None
    source_title: str | None
    connections: tuple[PlexConnection, ...]
    access_token: str | None = field(default=None, repr=False)

    @property
    def is_server(self) -> bool:
        """True for a Plex Media Server entry."""
        return "server" in self.provides


@dataclass(frozen=True)
class SharedUser:
    id: int
    username: str
    email: str | None
    thumb: str | None
    machine_identifiers: tuple[str, ...]


def _parse_time(value: Any) -> datetime | None:
    """An ISO-8601 time (with `Z`) as an aware datetime, or None."""
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def auth_app_url(plextv_url: str) -> str:
    """Where the browser signs in: the real auth app, or the `/auth` page of a stand-in plex.tv (demo)."""
    return REAL_AUTH_APP if plextv_url.rstrip("/") == REAL_PLEXTV else f"{plextv_url.rstrip('/')}/auth"


class PlexTvClient(ServiceClient):
    """Typed calls to plex.tv."""

    def __init__(self, base_url: str, client_identifier: str, **kwargs: Any) -> None:
        """A client identifying itself as this installation; kwargs go to ServiceClient."""
        headers = {
            "Accept": "application/json",
            "X-Plex-Client-Identifier": client_identifier,
            "X-Plex-Product": PRODUCT,
            "X-Plex-Version": _version(),
            "X-Plex-Device": PRODUCT,
            "X-Plex-Device-Name": PRODUCT,
            "X-Plex-Platform": "Web",
        }
        super().__init__(SERVICE, DISPLAY_NAME, base_url, headers=headers, **kwargs)
        self.client_identifier = client_identifier

    # --- helpers ----------------------------------------------------------------------------------
    def _bad(self) -> UpstreamError:
        """The error for an answer we cannot read (its body is never echoed)."""
        return UpstreamError(self.service, "bad_response",
                             f"{self.display_name} sent a response MediaNest could not read.")

    def _authed(self, token: str) -> dict[str, str]:
        """Headers carrying `token`, which is registered for log redaction first."""
        redact.register(token)
        return {"X-Plex-Token": token}

    def _pin(self, data: Any) -> Pin:
        """A PIN from plex.tv's JSON."""
        if not isinstance(data, dict) or opt_int(data.get("id")) is None or not data.get("code"):
            raise self._bad()
        token = data.get("authToken") or None
        if token is not None:
            token = str(token)
            redact.register(token)
        expires_at = _parse_time(data.get("expiresAt"))
        if expires_at is None:
            expires_at = datetime.now(UTC) + timedelta(seconds=opt_int(data.get("expiresIn")) or 900)
        return Pin(id=int(data["id"]), code=str(data["code"]), expires_at=expires_at, auth_token=token)

    # --- PIN sign-in -----------------------------------------------------------------------------
    def create_pin(self) -> Pin:
        """A strong (25-character) PIN for the auth-app flow."""
        response = self.request("POST", "/api/v2/pins", params={"strong": "true"}, idempotent=False)
        return self._pin(self.json(response))

    def poll_pin(self, pin_id: int, code: str) -> Pin:
        """One look at a PIN; `auth_token` is set once the user approved it. Raises PinExpired."""
        response = self.request("GET", f"/api/v2/pins/{int(pin_id)}", params={"code": code}, ok=(404,))
        if response.status_code == 404:
            raise PinExpired(pin_id)
        return self._pin(self.json(response))

    def auth_url(self, code: str) -> str:
        """The Plex auth-app address for a PIN code; its query sits in the fragment, so no server sees it."""
        query = urlencode(
            [("clientID", self.client_identifier), ("code", code), ("context[device][product]", PRODUCT)],
            quote_via=quote,
        )
        return f"{auth_app_url(self.base_url)}#?{query}"

    # --- the token's account and servers ---------------------------------------------------------
    def user(self, token: str) -> PlexAccount:
        """Who owns this plex.tv token. Raises PlexTvUnauthorized for an invalid token."""
        response = self.request("GET", "/api/v2/user", headers=self._authed(token), ok=(401, 422))
        if response.status_code in (401, 422):
            raise PlexTvUnauthorized()
        data = self.json(response)
        if not isinstance(data, dict) or opt_int(data.get("id")) is None:
            raise self._bad()
        username = data.get("username") or data.get("title") or data.get("email") or f"plex-{data['id']}"
        return PlexAccount(id=int(data["id"]), uuid=data.get("uuid") or None, username=str(username)[:200],
                           email=data.get("email") or None, thumb=data.get("thumb") or None)

    def resources(self, token: str) -> list[PlexResource]:
        """Every device this token can reach (servers, players), with HTTPS and relay connections."""
        response = self.request("GET", "/api/v2/resources", params={"includeHttps": 1, "includeRelay": 1},
                                headers=self._authed(token), ok=(401,))
        if response.status_code == 401:
            raise PlexTvUnauthorized()
        data = self.json(response)
        if not isinstance(data, list):
            raise self._bad()
        return [r for r in (self._resource(item) for item in data) if r is not None]

    def _resource(self, item: Any) -> PlexResource | None:
        """One `/api/v2/resources` entry, or None when it is unusable."""
        if not isinstance(item, dict) or not item.get("clientIdentifier"):
            return None
        token = item.get("accessToken") or None
        if token:
            redact.register(str(token))
        connections = tuple(
            PlexConnection(protocol=str(c.get("protocol", "")), address=str(c.get("address", "")),
                           port=opt_int(c.get("port")) or 0, uri=str(c.get("uri", "")),
                           local=flag(c.get("local")), relay=flag(c.get("relay")))
            for c in item.get("connections") or [] if isinstance(c, dict)
        )
        return PlexResource(
            name=str(item.get("name", "")), client_identifier=str(item["clientIdentifier"]),
            provides=tuple(p.strip() for p in str(item.get("provides") or "").split(",") if p.strip()),
            owned=flag(item.get("owned")), owner_id=opt_int(item.get("ownerId")),
            source_title=item.get("sourceTitle") or None, connections=connections,
            access_token=str(token) if token else None,
        )

    # --- the owner's side ------------------------------------------------------------------------
    def shared_users(self, owner_token: str) -> list[SharedUser]:
        """The owner's friends (`/api/users`, XML only) and the machineIdentifiers each may use."""
        response = self.request("GET", "/api/users", headers={**self._authed(owner_token), "Accept": "application/xml"},
                                ok=(401,))
        if response.status_code == 401:
            raise PlexTvUnauthorized()
        try:
            # Python's bundled expat (>= 2.4.1) refuses entity-expansion bombs and never fetches external
            # entities, and the document comes from plex.tv over the configured URL, not from a user.
            root = ET.fromstring(response.content)  # noqa: S314
        except ET.ParseError:
            raise self._bad() from None
        users = []
        for elem in root.iter("User"):
            plex_id = opt_int(elem.get("id"))
            if plex_id is None:
                continue
            username = elem.get("username") or elem.get("title") or elem.get("email") or f"plex-{plex_id}"
            machines = tuple(s.get("machineIdentifier", "") for s in elem.iter("Server") if s.get("machineIdentifier"))
            users.append(SharedUser(id=plex_id, username=username[:200], email=elem.get("email") or None,
                                    thumb=elem.get("thumb") or None, machine_identifiers=machines))
        return users


def server_access(resources: list[PlexResource], machine_identifier: str) -> PlexResource | None:
    """The entry proving access to our server: same clientIdentifier and it provides `server`."""
    return next((r for r in resources if r.client_identifier == machine_identifier and r.is_server), None)


def installation_identifier(conn: psycopg.Connection[Any]) -> str:
    """This installation's X-Plex-Client-Identifier, generated on first use and kept in app_settings."""
    value = app_settings.get_value(conn, CLIENT_ID_SETTING)
    if not value:
        value = app_settings.set_default(conn, CLIENT_ID_SETTING, f"medianest-{uuid.uuid4()}")
    return str(value)


def from_settings(settings: Settings, client_identifier: str) -> PlexTvClient:
    """A client for the configured plex.tv with the installation's timeouts and breaker settings."""
    return PlexTvClient(
        settings.plextv_url, client_identifier, connect_timeout=settings.http_connect_timeout,
        read_timeout=settings.http_read_timeout, breaker_failures=settings.breaker_failures,
        breaker_recovery=settings.breaker_recovery,
    )
